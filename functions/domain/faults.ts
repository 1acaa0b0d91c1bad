import { addSeconds, isOverdue } from './clock.js';
import { rankAbove, type Rank } from './ranks.js';
import type { Person } from './records.js';

/**
 * A workflow step that failed in a way retrying will not cure (a bug, a record
 * that breaks a rule, a service that refuses for good) is not retried for
 * ever: the workflow parks at that step and a supervisor sees the fault
 * (GET /faults, and the case's open tasks). The supervisor asks for the step
 * again once the cause is dealt with; unanswered, the fault goes one rank up
 * at each due time, and at superintendent it stays and shows overdue.
 */
export interface FaultRecord {
  caseId: string;
  force: string;
  /** The case's reference and its stage when the step failed: what the fault queue shows without reading the case. */
  crimeReference?: string;
  stage?: string;
  /** New at each opening: a retry names the opening it answers. */
  faultId: string;
  /** The workflow state that failed. */
  state: string;
  /** The error's name only: its message may carry data. */
  error: string;
  status: 'open' | 'retried';
  openedAt: string;
  dueAt: string;
  requiredRank: Rank;
  overdue: boolean;
  /** How many times this step has failed for good on this case. */
  occurrences: number;
  retriedBy?: Person;
  retriedAt?: string;
  rationale?: string;
}

/** The state a fault names when a whole execution failed (what no Catch can take: a States.Runtime error, a timed-out execution). */
export const EXECUTION_FAULT_STATE = 'Execution';

/** The first rank a fault goes to: the rank that decides the lowest gate. */
export const FAULT_RANK: Rank = 'sergeant';

export type ParkOutcome = 'opened' | 'escalated' | 'overdue' | 'waiting' | 'retry';

/** The error a fault wait reports when its own due time passes: not a new failure of the step. */
export const WAIT_TIMED_OUT = 'States.Timeout';

/**
 * The workflow parks at a failed step (again). When the fault's own wait timed
 * out: a fault a supervisor answered meanwhile (their signal met the expired
 * wait) is honoured, and the step runs again; an open one goes one rank up, or
 * stays overdue at the top. When the step failed: nothing open (or answered
 * before) is a new fault; an open one not yet due (a restart, a duplicate
 * invocation) is the same fault, waiting on a fresh token.
 */
export function parkFault(
  existing: FaultRecord | undefined,
  at: Pick<FaultRecord, 'caseId' | 'force' | 'crimeReference' | 'stage' | 'state' | 'error'>,
  now: string,
  waitSeconds: number,
  newId: () => string,
): { fault: FaultRecord; outcome: ParkOutcome } {
  const dueAt = addSeconds(now, waitSeconds);
  const timedOut = at.error === WAIT_TIMED_OUT;
  if (timedOut && existing?.status === 'retried') return { outcome: 'retry', fault: existing };
  if (existing?.status !== 'open') {
    return {
      outcome: 'opened',
      fault: {
        ...at,
        faultId: newId(),
        status: 'open',
        openedAt: now,
        dueAt,
        requiredRank: FAULT_RANK,
        overdue: false,
        occurrences: (existing?.occurrences ?? 0) + 1,
      },
    };
  }
  if (!timedOut && !isOverdue(existing.dueAt, now)) return { outcome: 'waiting', fault: existing };
  const above = rankAbove(existing.requiredRank);
  return above
    ? { outcome: 'escalated', fault: { ...existing, requiredRank: above, dueAt, overdue: false } }
    : { outcome: 'overdue', fault: { ...existing, dueAt, overdue: true } };
}

/** What a supervisor and the case page see of a fault: no token, no message. */
export function faultView(f: FaultRecord, now: string) {
  return {
    faultId: f.faultId,
    caseId: f.caseId,
    state: f.state,
    error: f.error,
    status: f.status,
    openedAt: f.openedAt,
    dueAt: f.dueAt,
    requiredRank: f.requiredRank,
    overdue: f.status === 'open' && (f.overdue || isOverdue(f.dueAt, now)),
    occurrences: f.occurrences,
    ...(f.retriedBy ? { retriedBy: f.retriedBy.sub, retriedAt: f.retriedAt } : {}),
  };
}
