import type { TaskName } from '../../domain/tasks.js';
import { AwaitTaskEvent } from '../../schemas/workflow.js';
import { workflowHandler } from '../../workflow/stepHandler.js';
import { openTaskWait } from '../../workflow/taskWait.js';

/** The workflow waits on a person: the task opened with its token (functions/workflow/taskWait.ts). */
export const handler = workflowHandler('awaitTask', AwaitTaskEvent, ({ task, ...wait }, now) =>
  openTaskWait({ ...wait, task: task as TaskName }, now),
);
