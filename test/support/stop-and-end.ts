/**
 * Run by test/e2e/stop.test.ts in a process of its own: the stack started on the data folder it is given, a case
 * opened and left waiting at its first gate (the workflow holding a task token, the state's timeout days away at
 * time ×1), the stack stopped. Then nothing: the process must end by itself, as a bench or a script that stops its
 * stack does, with nothing of the stack left to keep it alive.
 */
import { ApiClient } from '../../local/client.js';
import { demoCaseBody } from '../../local/scenario.js';
import { startStack } from '../../local/stack.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: stop-and-end.ts <data folder>');
const stack = await startStack({ port: 0, dataDir, timeScale: 1, quiet: true });
const api = new ApiClient(stack.apiUrl);
const opened = await api.post<{ caseId: string }>('/cases', 'inv.alice', demoCaseBody('CR/STOP/1'));
if (opened.status !== 201) throw new Error(`POST /cases answered ${opened.status}`);
const { caseId } = opened.body;
for (let i = 0; ; i++) {
  const timeline = await api.get<{ timeline: { action: string }[] }>(`/cases/${caseId}`, 'inv.alice');
  if (
    timeline.body.timeline.some(
      (e) => e.action === 'gate.data_request.waiting' || e.action === 'gate.data_request.opened',
    )
  )
    break;
  if (i > 300) throw new Error('gate 1 never opened');
  await new Promise((r) => setTimeout(r, 100));
}
await stack.stop();
process.stdout.write(`stopped with ${caseId} waiting at gate 1\n`);
