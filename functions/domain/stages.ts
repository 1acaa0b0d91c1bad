export const STAGES = [
  'DATA_REQUEST_APPROVAL',
  'PLATFORM_REQUESTS',
  'ISP_RESOLUTION',
  'IDENTIFICATION',
  'IDENTIFICATION_APPROVAL',
  'DISCLOSURE_DECISION',
  'DISCLOSURE_APPROVAL',
  'DELAY_APPROVAL',
  'DELAYED',
  'DISCLOSURE_DELIVERY',
  'AFTER_DISCLOSURE',
  'DISCLOSURE_DECLINED',
  'CLOSED',
  'REJECTED',
] as const;
export type Stage = (typeof STAGES)[number];

export const FINAL_STAGES: readonly Stage[] = ['CLOSED', 'REJECTED'];

export function isFinal(stage: Stage): boolean {
  return FINAL_STAGES.includes(stage);
}

/**
 * The human tasks the workflow waits on. Each is a `.waitForTaskToken` state;
 * the stage it puts the case in is listed here, so the workflow and the
 * read model agree on where a case is. A `workflow` task is the workflow
 * waiting on a set of things people do (the arrest track's outcomes and what
 * they call for, domain/arrestTrack.ts, each shown as its own task): it is
 * never shown as a task itself.
 */
export const TASKS = {
  REQUEST_RETURN: { stage: undefined, role: 'spoc' },
  IDENTIFICATION_PROPOSAL: { stage: 'IDENTIFICATION', role: 'investigator' },
  DISCLOSURE_PROPOSAL: { stage: 'DISCLOSURE_DECISION', role: 'investigator' },
  DELAY_REVIEW: { stage: 'DELAYED', role: 'investigator' },
  ARREST_TRACK: { stage: undefined, role: 'workflow' },
  // Identification opens on a proposal, or once every request has settled (domain/cases.ts identificationReady).
  IDENTIFICATION_READY: { stage: undefined, role: 'workflow' },
  // ISP look-ups the SPoC chose that nothing watches yet.
  ISP_REQUESTS_CHOSEN: { stage: undefined, role: 'workflow' },
  // Delivery enters its stage itself (handlers/workflowSteps.ts startDelivery); a closure's notice waits on it at its own.
  CONTACT_VERIFICATION: { stage: undefined, role: 'investigator' },
  HANDOVER: { stage: 'DISCLOSURE_DELIVERY', role: 'investigator' },
  DELIVERY_FAILED: { stage: 'DISCLOSURE_DELIVERY', role: 'investigator' },
  // No safe written channel is left: the investigator tells the victim in person and records it.
  IN_PERSON_DISCLOSURE: { stage: 'DISCLOSURE_DELIVERY', role: 'investigator' },
  // The victim declined to be told: the right-to-know branch waits for a change of mind, or for the arrest track to end.
  VICTIM_CHOICE: { stage: 'DISCLOSURE_DECLINED', role: 'workflow' },
  CASE_CLOSURE: { stage: undefined, role: 'investigator' },
  // A closure without a suspect approved and no safe written channel left: the investigator tells the victim in person.
  CLOSURE_IN_PERSON: { stage: undefined, role: 'investigator' },
} as const satisfies Record<string, { stage: Stage | undefined; role: 'spoc' | 'investigator' | 'workflow' }>;
export type TaskName = keyof typeof TASKS;
export const TASK_NAMES = Object.keys(TASKS) as TaskName[];

/** Stages a fresh execution can resume at: every stage the workflow can be waiting in. */
export const RESUMABLE_STAGES: readonly Stage[] = STAGES.filter((s) => !isFinal(s));

/** A task waiting on people, as a case shows it: a workflow task, a pending approval, or one derived from the case. */
export interface OpenTask {
  task: string;
  dueAt: string;
  overdue: boolean;
}
