import { WrongStage } from './errors.js';

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

/** Stages a fresh execution can resume at: every stage the workflow can be waiting in. */
export const RESUMABLE_STAGES: readonly Stage[] = /* @__PURE__ */ STAGES.filter((s) => !isFinal(s));

/** A task waiting on people, as a case shows it (the workflow's tasks: domain/tasks.ts): a workflow task, a pending approval, or one derived from the case. */
export interface OpenTask {
  task: string;
  dueAt: string;
  overdue: boolean;
}

/** A record made only at these stages: a WrongStage (409) at any other. */
export function requireStage(kase: { stage: Stage }, ...stages: Stage[]): void {
  if (!stages.includes(kase.stage)) throw new WrongStage(`the case is at ${kase.stage}, not ${stages.join(' or ')}`);
}
