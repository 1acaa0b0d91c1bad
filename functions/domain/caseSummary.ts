import { trackTasks } from './arrestTrack.js';
import { isOverdue } from './clock.js';
import { closureNoticeFailedTask, deliveryFailedTask } from './delivery.js';
import type { FaultRecord } from './faults.js';
import { gateTask } from './gates.js';
import { caseOwner } from './ownership.js';
import type { ApprovalRecord, CaseRecord, TaskRecord } from './records.js';
import { isFinal, type OpenTask, type Stage } from './stages.js';
import { TASKS } from './tasks.js';

/**
 * What a case shows of itself without its history: the tasks open on it (the workflow's, the gates', the arrest
 * track's, a delivery reopened, a step parked on a fault), its next deadline and owner, kept on the case as its
 * summary, and its row in the case lists.
 */

/**
 * What is waiting on people: open workflow tasks (not the workflow's own
 * waits), pending approvals named by the stage they hold, and any tasks
 * derived from the case record (the arrest track's).
 */
export function openTasks(
  tasks: readonly TaskRecord[],
  approvals: readonly ApprovalRecord[],
  now: string,
  derived: readonly OpenTask[] = [],
): OpenTask[] {
  const fromTasks = tasks
    .filter((t) => t.status === 'open' && TASKS[t.task]?.role !== 'workflow')
    .map((t) => ({ task: t.task, dueAt: t.dueAt, overdue: t.overdue || isOverdue(t.dueAt, now) }));
  const fromApprovals = approvals
    .filter((a) => a.status === 'pending')
    .map((a) => ({ task: gateTask(a.gate), dueAt: a.dueAt, overdue: a.overdue || isOverdue(a.dueAt, now) }));
  return [...fromTasks, ...fromApprovals, ...derived].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

/** A failure receipt reopened delivery (domain/delivery.ts), unless the workflow already waits on it. */
const reopenedDelivery = (b: { kase: CaseRecord; tasks: readonly TaskRecord[] }, now: string): OpenTask[] =>
  [deliveryFailedTask(b.kase, now), closureNoticeFailedTask(b.kase, now)].filter(
    (failed): failed is OpenTask => !!failed && !b.tasks.some((t) => t.task === failed.task && t.status === 'open'),
  );

/** Every open task of a case: what the case shows, and what must be done before it may close (a step parked on a fault among them). */
export const caseOpenTasks = (
  b: {
    kase: CaseRecord;
    tasks: readonly TaskRecord[];
    approvals: readonly ApprovalRecord[];
    faults?: readonly FaultRecord[];
  },
  now: string,
) =>
  openTasks(b.tasks, b.approvals, now, [
    ...trackTasks(b.kase, now),
    ...reopenedDelivery(b, now),
    ...(b.faults ?? [])
      .filter((f) => f.status === 'open')
      .map((f) => ({ task: 'WORKFLOW_FAULT', dueAt: f.dueAt, overdue: f.overdue || isOverdue(f.dueAt, now) })),
  ]);

export const nextDeadline = (open: readonly OpenTask[]) => open[0]?.dueAt ?? null;

/** Open or closed, as the case lists filter: a case at a final stage is closed. */
export const caseStatus = (stage: Stage): 'open' | 'closed' => (isFinal(stage) ? 'closed' : 'open');

/**
 * What a list shows of a case without reading its other records: kept on the
 * case by every write that changes what it is made of (adapters/case.ts).
 */
export interface CaseSummary {
  openTasks: OpenTask[];
  nextDeadline: string | null;
  owner: string;
}

export function caseSummary(b: Parameters<typeof caseOpenTasks>[0], now: string): CaseSummary {
  const open = caseOpenTasks(b, now);
  return { openTasks: open, nextDeadline: nextDeadline(open), owner: caseOwner(b.kase) };
}

/** A list's row for a case, from its summary; overdue is worked out again at the time of reading. */
export function caseRow(
  k: Pick<CaseRecord, 'caseId' | 'crimeReference' | 'stage' | 'createdBy' | 'owner' | 'openTasks'>,
  now: string,
) {
  const openTasks = (k.openTasks ?? []).map((t) => ({ ...t, overdue: t.overdue || isOverdue(t.dueAt, now) }));
  return {
    caseId: k.caseId,
    crimeReference: k.crimeReference,
    stage: k.stage,
    openTasks,
    nextDeadline: nextDeadline(openTasks),
    createdBy: k.createdBy.sub,
    owner: caseOwner(k),
  };
}
