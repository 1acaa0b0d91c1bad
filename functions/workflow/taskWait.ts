import { addSeconds, taskSatisfied } from '../domain/cases.js';
import { TASKS, type TaskName } from '../domain/stages.js';
import { completeTask, mustLoadCase, mutateCase, openTask } from '../adapters/cases.js';
import { signal } from '../adapters/workflow.js';
import { audit } from '../services/audit.js';

export interface TaskWait {
  caseId: string;
  task: TaskName;
  requestId?: string;
  taskToken: string;
  timeoutSeconds: number;
}

/**
 * The workflow waits on a person. The task is opened with its token; if what
 * it waits for is already on record (checked before and after opening, so a
 * record made at the same moment is never missed), the workflow goes on at once.
 */
export async function openTaskWait(
  { caseId, task, requestId, taskToken, timeoutSeconds }: TaskWait,
  now: string,
): Promise<{ key: string; already: boolean }> {
  const key = requestId ? `${task}#${requestId}` : task;
  const before = await mustLoadCase(caseId);
  const already = taskSatisfied(before, task, requestId, now);
  if (already) {
    await signal(taskToken, already);
    return { key, already: true };
  }
  // A task still open from an earlier run (a restart, a retry) keeps its opening time: its entry is keyed on it.
  const openedAt = before.tasks.find((t) => t.key === key && t.status === 'open')?.openedAt ?? now;
  await openTask(
    {
      caseId,
      key,
      task,
      openedAt,
      dueAt: addSeconds(now, timeoutSeconds),
      ...(requestId ? { requestId } : {}),
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
    await signal(done?.taskToken, after);
  }
  return { key, already: false };
}
