import type { ClosureInput } from '../schemas/afterIdentification.js';
import { caseOpenTasks } from './caseSummary.js';
import type { ApprovalRecord, CaseRecord, Person, TaskRecord } from './records.js';
import { WrongStage, AlreadyDecided, OutOfOrder } from './errors.js';

/**
 * Closing is a decision, recorded with its reason, and only when nothing is
 * left to do: both tracks done (the workflow then waits on CASE_CLOSURE) and
 * no task open. A closed case keeps its record and its trail.
 */
export function checkClosing(
  b: { kase: CaseRecord; tasks: readonly TaskRecord[]; approvals: readonly ApprovalRecord[] },
  now: string,
): void {
  const { kase } = b;
  if (kase.stage === 'CLOSED' || kase.stage === 'REJECTED') throw new WrongStage(`the case is already ${kase.stage}`);
  if (kase.closure) throw new AlreadyDecided('the closing decision is already recorded');
  const open = caseOpenTasks(b, now).filter((t) => t.task !== 'CASE_CLOSURE');
  if (open.length)
    throw new OutOfOrder(
      `a case closes only when no task is open; open: ${[...new Set(open.map((t) => t.task))].join(', ')}`,
    );
  if (!b.tasks.some((t) => t.task === 'CASE_CLOSURE' && t.status === 'open'))
    throw new OutOfOrder(
      'the case is still running: it closes once the arrest track and the right-to-know decision are both done',
    );
}

export function recordClosure(kase: CaseRecord, input: ClosureInput, by: Person, now: string): CaseRecord {
  if (kase.closure) throw new AlreadyDecided('the closing decision is already recorded');
  return { ...kase, closure: { reason: input.reason, decidedBy: by, decidedAt: now } };
}
