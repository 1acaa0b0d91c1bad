import { trackWaitAnswer } from '../domain/arrestTrack.js';
import { addSeconds, resumedDueAt } from '../domain/clock.js';
import { taskSatisfied } from '../domain/taskAnswers.js';
import { TASKS, type TaskName } from '../domain/tasks.js';
import { mustLoadCase, mutateCase } from '../adapters/case.js';
import { completeTask, openTask } from '../adapters/task.js';
import { endResumedWait, signal } from '../adapters/workflow.js';
import { audit } from '../services/audit.js';

export interface TaskWait {
  caseId: string;
  task: TaskName;
  requestId?: string;
  taskToken: string;
  timeoutSeconds: number;
  /** The execution waiting: a task another execution opened keeps its first due time (domain/clock.ts). */
  execution?: string;
  /** Waiting out a resumed wait's seconds left: the due time on record stands. */
  untilFirstDue?: true;
}

/**
 * The workflow waits on a person. The task is opened with its token; if what
 * it waits for is already on record (checked before and after opening, so a
 * record made at the same moment is never missed), the workflow goes on at once.
 */
export async function openTaskWait(
  { caseId, task, requestId, taskToken, timeoutSeconds, execution, untilFirstDue }: TaskWait,
  now: string,
): Promise<{ key: string; already: boolean }> {
  const key = requestId ? `${task}#${requestId}` : task;
  const before = await mustLoadCase(caseId);
  const already = taskSatisfied(before, task, requestId, now);
  if (already) {
    await signal(taskToken, answerAt(task, already, addSeconds(now, timeoutSeconds), now));
    return { key, already: true };
  }
  // A task still open from an earlier run (a restart, a retry) keeps its opening time: its entry is keyed on it.
  const earlier = before.tasks.find((t) => t.key === key && t.status === 'open');
  const openedAt = earlier?.openedAt ?? now;
  // A person's deadline is kept across a restart; the workflow's own re-checks (role workflow) start afresh.
  const fresh = addSeconds(now, timeoutSeconds);
  const dueAt = resumedDueAt(TASKS[task].role === 'workflow' ? undefined : earlier, execution, fresh, untilFirstDue);
  await openTask(
    {
      caseId,
      key,
      task,
      openedAt,
      dueAt,
      ...(requestId ? { requestId } : {}),
      ...(execution ? { execution } : {}),
    },
    taskToken,
  );
  const stage = TASKS[task].stage;
  if (stage && before.kase.stage !== stage) await mutateCase(caseId, (k) => ({ ...k, stage }), now);
  // The workflow's own wait on the arrest track opens at every turn of it: the trail records what the track opens instead.
  if (TASKS[task].role !== 'workflow')
    await audit(
      caseId,
      'workflow',
      `task.${task}.opened`,
      requestId ? { requestId } : {},
      undefined,
      now,
      `task.opened|${key}|${openedAt}`,
    );
  const after = taskSatisfied(await mustLoadCase(caseId), task, requestId, now);
  if (after) {
    const done = await completeTask(caseId, key, after, now);
    await signal(done?.taskToken, answerAt(task, after, dueAt, now));
    return { key, already: false };
  }
  await endResumedWait(taskToken, dueAt, fresh, now, untilFirstDue);
  return { key, already: false };
}

/** The arrest track's wait is answered with the time it had left (domain/arrestTrack.ts trackWaitAnswer); others as found. */
const answerAt = (task: TaskName, answer: Record<string, unknown>, dueAt: string, now: string) =>
  task === 'ARREST_TRACK' ? { ...answer, ...trackWaitAnswer(dueAt, now) } : answer;
