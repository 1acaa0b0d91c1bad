import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiClient } from '../../local/client.js';
import { demoCaseBody } from '../../local/scenario.js';
import { startStack, type RunningStack } from '../../local/stack.js';
import { uniqueReference } from '../support/journey.js';

/**
 * A wait resumed after a restart keeps its first due time (issue 16). The stack is stopped with a case at gate 1
 * and started again on the same data: the fresh execution's wait on the same approval keeps the due time it was
 * first given, rather than a new working day from the restart; an approval whose due time passed while the
 * stack was down escalates as soon as the case is resumed, as its timeout would have; and one whose due time is
 * still ahead escalates at that due time, not a whole period after the restart. Time runs at its own pace: a gate
 * is due in a day, so nothing here falls due unless the test moves a due time.
 */
let stack: RunningStack;
let api: ApiClient;
let dataDir: string;

/** The stack (again) on the same data and ports; `resume: false` only opens the store, continuing no case. */
const start = async (resume = true) => {
  const port = (url: string | undefined) => (url ? Number(new URL(url).port) : 0);
  const before = stack?.endpoints;
  stack = await startStack({
    port: 0,
    dataDir,
    quiet: true,
    resume,
    servicePorts: {
      dynamodb: port(before?.dynamodb),
      s3: port(before?.s3),
      stepFunctions: port(before?.stepFunctions),
      notify: port(before?.notify),
    },
  });
  api = new ApiClient(stack.apiUrl);
};
beforeAll(async () => {
  dataDir = mkdtempSync(join(process.cwd(), '.tmp', 'resumed-waits-'));
  await start();
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Approval = { approvalId: string; caseId: string; gate: string; dueAt: string; requiredRank: string };
type Entry = { at: string; action: string; ids: Record<string, string> };
const approvalFor = (user: string, caseId: string, rank = 'sergeant') =>
  api.until(`gate 1 for a ${rank}`, async () =>
    (await api.all<Approval>('/approvals', user)).find(
      (a) => a.caseId === caseId && a.gate === 'data_request' && a.requiredRank === rank,
    ),
  );
const trail = (caseId: string) => api.all<Entry>(`/cases/${caseId}/audit`, 'aud.frank');

/** The approval's due time moved in the store: into the past, as time passing while the stack was down would. */
async function moveDue(caseId: string, approvalId: string, dueAt = new Date(Date.now() - 60_000).toISOString()) {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.endpoints.dynamodb,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  try {
    await db.send(
      new UpdateCommand({
        TableName: 'cases',
        Key: { pk: `CASE#${caseId}`, sk: `APPROVAL#${approvalId}` },
        UpdateExpression: 'SET dueAt = :d',
        ExpressionAttributeValues: { ':d': dueAt },
      }),
    );
  } finally {
    db.destroy();
  }
}

describe('a wait resumed after a restart', () => {
  test('keeps its first due time; one due while the stack was down escalates once resumed', async () => {
    const opened = await api.post<{ caseId: string }>('/cases', 'inv.alice', demoCaseBody(uniqueReference()));
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const first = await approvalFor('sgt.bob', caseId);

    // Restarted: the resumed execution waits on the same approval again, with its first due time.
    const restartedAt = Date.now();
    await stack.stop();
    await start();
    const restartMs = Date.now() - restartedAt;
    expect(stack.resumed).toContain(caseId);
    await api.until('the resumed wait on gate 1', async () =>
      (await trail(caseId)).some((e) => e.action === 'gate.data_request.waiting'),
    );
    const resumed = await approvalFor('sgt.bob', caseId);
    expect(resumed.approvalId).toBe(first.approvalId);
    expect(resumed.dueAt).toBe(first.dueAt);

    // Down past its due time: resumed, the gate escalates at once (an inspector's approval), not a day later.
    await stack.stop();
    await dueInThePastWhileStopped(caseId, first.approvalId);
    const escalated = await approvalFor('insp.dave', caseId, 'inspector');
    expect(escalated.approvalId).not.toBe(first.approvalId);

    // Due soon, and still ahead when the case resumes: it escalates at that due time (a chief inspector's approval),
    // where the engine's own timeout would wait a whole day from the restart. Moved while its wait runs, which reads
    // the due time only as the wait opens: the resumed wait is the first to see it.
    const soon = new Date(Date.now() + Math.max(SOON_MS, 3 * restartMs)).toISOString();
    await moveDue(caseId, escalated.approvalId, soon);
    await stack.stop();
    await start();
    expect(stack.resumed).toContain(caseId);
    expect((await approvalFor('insp.dave', caseId, 'inspector')).dueAt).toBe(soon);
    await approvalFor('supt.erin', caseId, 'chief_inspector');
    const entries = await trail(caseId);
    const about = (action: string) =>
      entries.find((e) => e.action === action && e.ids.approvalId === escalated.approvalId)!;
    // Resumed before its due time (else this would be the case above), and escalated at it, not before.
    expect(Date.parse(about('gate.data_request.waiting').at)).toBeLessThan(Date.parse(soon));
    expect(Date.parse(about('gate.data_request.escalated').at)).toBeGreaterThanOrEqual(Date.parse(soon));
  }, 240_000);
});

/**
 * Far enough ahead for the stack to stop and start again before it: about two seconds on a quiet machine, and at
 * least three times the test's first restart (a run beside another on two cores took longer than 8 s, and the gate
 * escalated before the test could see the resumed wait).
 */
const SOON_MS = 8_000;

/** The store lives in the stack: opened without resuming anything to move the time, then started to resume. */
async function dueInThePastWhileStopped(caseId: string, approvalId: string) {
  await start(false);
  await moveDue(caseId, approvalId);
  await stack.stop();
  await start();
  expect(stack.resumed).toContain(caseId);
}
