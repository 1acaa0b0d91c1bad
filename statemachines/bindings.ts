import { policy } from '../functions/domain/policy.js';
import { TASK_CLOCKS, type TaskClock } from '../functions/domain/tasks.js';

/**
 * What the workflow definition's ${Placeholders} are bound to, in AWS (CDK
 * definitionSubstitutions) and locally (the embedded engine): the workflow
 * functions by name, and every duration from the policy module.
 */

/** Each workflow function: its placeholder is `${<Name>FunctionArn}`, its code functions/handlers/workflow/<name>.ts. */
export const WORKFLOW_FUNCTIONS = [
  'openApproval',
  'awaitTask',
  'escalate',
  'prepareRequests',
  'planIspRequests',
  'requestOverdue',
  'raiseArrestTasking',
  'planArrestTrack',
  'notifyVictim',
  'scheduleDelayReview',
  'sendDisclosure',
  'setStage',
  'continueExecution',
  'openFault',
  'closeWithoutSuspect',
] as const;
export type WorkflowFunction = (typeof WORKFLOW_FUNCTIONS)[number];

export const functionPlaceholder = (name: WorkflowFunction) => `${name[0]!.toUpperCase()}${name.slice(1)}FunctionArn`;
/** Where a definition names a workflow function: `${<Name>FunctionArn}`, bound to its ARN. */
export const functionArn = (name: WorkflowFunction) => `\${${functionPlaceholder(name)}}`;

/**
 * Durations in seconds. `timeScale` compresses time for demos (a scale of
 * 3600 makes an hour a second); `maxSeconds` clamps what an engine cannot
 * time (the local engine's Node timers overflow past 2,147,483 s).
 */
export function settingSubstitutions(timeScale = 1, maxSeconds = Number.POSITIVE_INFINITY): Record<string, string> {
  const s = (seconds: number) => String(Math.min(maxSeconds, Math.max(1, Math.round(seconds / timeScale))));
  return {
    DataRequestGateSeconds: s(policy.gateDecisionSeconds.data_request),
    IdentificationGateSeconds: s(policy.gateDecisionSeconds.identification),
    DisclosureGateSeconds: s(policy.gateDecisionSeconds.disclosure),
    DelayGateSeconds: s(policy.gateDecisionSeconds.delay),
    ClosureGateSeconds: s(policy.gateDecisionSeconds.closure),
    ...Object.fromEntries(
      Object.entries(TASK_CLOCKS).map(([clock, seconds]) => [clockPlaceholder(clock as TaskClock), s(policy[seconds])]),
    ),
    ReturnChaseSeconds: s(policy.returnChaseSeconds),
    ReturnGiveUpAfterChaseSeconds: s(policy.returnGiveUpSeconds - policy.returnChaseSeconds),
    DaySeconds: s(policy.daySeconds),
    ExecutionHandoverSeconds: s(policy.executionHandoverSeconds),
    // The same point for the arrest track, bound apart so that a test can shorten one without the other.
    ArrestTrackHandoverSeconds: s(policy.executionHandoverSeconds),
    PreservationRenewalWarningSeconds: s(policy.preservationRenewalWarningDays * policy.daySeconds),
    FaultResponseSeconds: s(policy.faultResponseSeconds),
  };
}

/** Where the workflow's settings take a task's due time from (domain/tasks.ts TASK_CLOCKS): `${<Clock>Seconds}`. */
export const clockPlaceholder = (clock: TaskClock) => `${clock[0]!.toUpperCase()}${clock.slice(1)}Seconds`;

export function functionSubstitutions(arnOf: (name: WorkflowFunction) => string): Record<string, string> {
  return Object.fromEntries(WORKFLOW_FUNCTIONS.map((f) => [functionPlaceholder(f), arnOf(f)]));
}

export function placeholdersIn(asl: string): string[] {
  return [...new Set([...asl.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]!))].sort();
}

export function bind(asl: string, substitutions: Record<string, string>): string {
  return asl.replace(/\$\{([A-Za-z0-9]+)\}/g, (_whole, name: string) => {
    const value = substitutions[name];
    if (value === undefined) throw new Error(`no binding for \${${name}} in the workflow definition`);
    return value;
  });
}
