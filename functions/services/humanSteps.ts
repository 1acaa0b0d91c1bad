import { mustLoadCase } from '../adapters/case.js';
import { completeTask } from '../adapters/task.js';
import { signal } from '../adapters/workflow.js';
import { answerOnRecord } from '../domain/taskAnswers.js';
import { type ReleasingRoute, type TaskName, tasksReleasedBy } from '../domain/tasks.js';

/**
 * A route has recorded something: each open wait of a task naming the route (domain/tasks.ts TASK_ROUTES) that the
 * record settles ends now. The one release of a route's record: functions/http/answering.ts calls it after every
 * such route's handler, so that naming a route in the registry is the release.
 */
export async function releaseWaits(route: ReleasingRoute, caseId: string, now: string): Promise<void> {
  await releaseSatisfiedWaits(caseId, tasksReleasedBy(route), now);
}

/**
 * The workflow's own record (a request given up, a gate opening beside a closure proposed, the arrest track ended)
 * may settle waits of these kinds: each open one it settles is completed with what it is answered
 * (domain/taskAnswers.ts answerOnRecord), its task marked done before the workflow is told (so a retry completes it).
 */
export async function releaseSatisfiedWaits(caseId: string, kinds: readonly TaskName[], now: string): Promise<void> {
  const b = await mustLoadCase(caseId);
  for (const t of b.tasks)
    if (t.status === 'open' && kinds.includes(t.task)) {
      const answer = answerOnRecord(b, t, now);
      if (!answer) continue;
      const done = await completeTask(caseId, t.key, answer, now);
      await signal(done?.taskToken, answer);
    }
}
