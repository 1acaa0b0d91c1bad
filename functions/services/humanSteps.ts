import { mustLoadCase } from '../adapters/case.js';
import { completeTask } from '../adapters/task.js';
import { signal } from '../adapters/workflow.js';
import { trackWaitAnswer } from '../domain/arrestTrack.js';
import { taskSatisfied } from '../domain/taskAnswers.js';
import type { TaskName } from '../domain/tasks.js';

/** A human step is on record: mark its task done and let the workflow go on (ordered after the record, so a retry completes it). */
export async function completeStep(
  caseId: string,
  key: string,
  result: Record<string, unknown>,
  now: string,
): Promise<void> {
  const done = await completeTask(caseId, key, result, now);
  await signal(done?.taskToken, result);
}

/** A record that may settle waits of these kinds: each open one it satisfies is completed with what it is answered. */
export async function releaseSatisfiedWaits(caseId: string, kinds: readonly TaskName[], now: string): Promise<void> {
  const b = await mustLoadCase(caseId);
  for (const t of b.tasks)
    if (t.status === 'open' && kinds.includes(t.task)) {
      const answer = taskSatisfied(b, t.task, t.requestId, now);
      if (answer) await completeStep(caseId, t.key, answer, now);
    }
}

/**
 * Something the arrest track waits on is on record: its wait looks again now rather than at its next due time,
 * told the time it had left (the next turn waits no longer).
 */
export async function nudgeArrestTrack(caseId: string, now: string): Promise<void> {
  const done = await completeTask(caseId, 'ARREST_TRACK', { changed: true }, now);
  if (done) await signal(done.taskToken, trackWaitAnswer(done.task.dueAt, now));
}
