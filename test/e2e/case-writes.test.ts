import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { ApprovalRecord, CaseRecord, RequestRecord } from '../../functions/domain/records.js';
import { lambdaContext } from '../../local/handlers.js';
import { startDynalite } from '../../local/stack.js';
import { aCaseRecord } from '../support/caseRecord.js';
import { keyedTable } from '../support/keyedTable.js';

/**
 * What a write of a case's items does beside them, against a real store (one store, its cases and audit tables, no
 * stack):
 * - the case's version moves with every write to one of its items (functions/adapters/case.ts keepSummary), so a
 *   conditional read of the case, which compares its version and its chain's head, never answers 304 over a change;
 * - the force's statistics counters (functions/adapters/statsCounts.ts): a write that changes no counter (a task
 *   opened, a summary kept: most writes) costs the counters nothing, and a change is counted exactly once even when
 *   the write that made it stopped before the counters took it;
 * - a workflow step run again after it stopped part way finishes what it left (requestOverdue giving a request up,
 *   closeWithoutSuspect giving the outstanding requests up).
 */
const dir = mkdtempSync(join(process.cwd(), '.tmp', 'case-writes-'));
let store: Awaited<ReturnType<typeof startDynalite>>;
let caseAdapter: typeof import('../../functions/adapters/case.js');
let counters: typeof import('../../functions/adapters/statsCounts.js');
let requestAdapter: typeof import('../../functions/adapters/request.js');
let approvalAdapter: typeof import('../../functions/adapters/approval.js');

const ENV = [
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'CASES_TABLE',
  'AUDIT_TABLE',
] as const;
const envBefore = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));

let putItem: (item: Record<string, unknown>) => Promise<void>;

/** Each call to the counters' partition, as `Operation`; and a way to make the next write to it fail as a crash would. */
const statsCalls: string[] = [];
let crashNextCount = false;

beforeAll(async () => {
  store = await startDynalite(dir, 0);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: store.url,
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    CASES_TABLE: 'stats-cases',
    AUDIT_TABLE: 'case-writes-audit',
  });
  const client = new DynamoDBClient({
    endpoint: store.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await keyedTable(client, 'stats-cases', ['pk', 'S'], ['sk', 'S']);
  await keyedTable(client, 'case-writes-audit', ['caseId', 'S'], ['seq', 'N']);
  client.destroy();
  caseAdapter = await import('../../functions/adapters/case.js');
  counters = await import('../../functions/adapters/statsCounts.js');
  requestAdapter = await import('../../functions/adapters/request.js');
  approvalAdapter = await import('../../functions/adapters/approval.js');
  const { watchDynamoCalls, put } = await import('../../functions/adapters/clients/dynamo.js');
  putItem = (item) => put({ TableName: 'stats-cases', Item: item });
  watchDynamoCalls((commandName, input) => {
    // The adapters send the client's own commands: the key as the store takes it.
    const pk = (input as { Key?: { pk?: { S?: string } } }).Key?.pk?.S;
    if (!pk?.startsWith('STATS#')) return;
    const op = commandName.replace(/Command$/, '');
    statsCalls.push(op);
    if (op === 'UpdateItem' && crashNextCount) {
      crashNextCount = false;
      throw new Error('the process stopped here');
    }
  });
});
afterAll(async () => {
  for (const k of ENV)
    if (envBefore[k] === undefined) delete process.env[k];
    else process.env[k] = envBefore[k];
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  statsCalls.length = 0;
  crashNextCount = false;
});

let opened = 0;
async function openedCase(caseId?: string): Promise<CaseRecord> {
  opened++;
  const kase = aCaseRecord({
    caseId: caseId ?? `stats-case-${opened}`,
    force: `FORCE${opened}`,
    crimeReference: `FORCE${opened}/26/${opened}`,
    stage: 'DATA_REQUEST_APPROVAL',
    version: 1,
  });
  await caseAdapter.createCase(kase);
  statsCalls.length = 0;
  return kase;
}
const NOW = '2026-11-18T10:00:00.000Z';
/** The force's counters, without zeros. */
const countsOf = async (force: string) => counters.forceCounts(force);

describe('the statistics counters', () => {
  test('a write that changes no counter neither reads nor writes them; one that does, reads and writes them once', async () => {
    const kase = await openedCase();
    // The opening's change is settled by the first write after it (a read: counted already).
    await caseAdapter.mutateCase(kase.caseId, (k) => ({ ...k, summary: 'Messages.' }), NOW);
    expect(statsCalls).toEqual(['GetItem']);
    statsCalls.length = 0;
    await caseAdapter.mutateCase(kase.caseId, (k) => ({ ...k, summary: 'Messages and a parcel.' }), NOW);
    expect(statsCalls).toEqual([]);
    // A write after a write that changed no counter has nothing to settle.
    await caseAdapter.mutateCase(kase.caseId, (k) => ({ ...k, stage: 'PLATFORM_REQUESTS' }), NOW);
    expect(statsCalls).toEqual(['UpdateItem']);
    statsCalls.length = 0;
    // The next write settles the last one's change (read: counted already) and changes none of its own.
    await caseAdapter.mutateCase(kase.caseId, (k) => ({ ...k, summary: 'Messages, a parcel, a call.' }), NOW);
    expect(statsCalls).toEqual(['GetItem']);
    expect(await countsOf(kase.force)).toEqual({ cases: 1, 'stage#PLATFORM_REQUESTS': 1 });
  });

  test('a change whose counting was cut short is counted once, by the next write, and a late try counts nothing', async () => {
    const kase = await openedCase();
    crashNextCount = true;
    await expect(
      caseAdapter.mutateCase(kase.caseId, (k) => ({ ...k, stage: 'PLATFORM_REQUESTS' }), NOW),
    ).rejects.toThrow('the process stopped here');
    // The case moved; its counters have not yet.
    const cutShort = await caseAdapter.getCase(kase.caseId);
    expect(cutShort?.stage).toBe('PLATFORM_REQUESTS');
    expect(await countsOf(kase.force)).toEqual({ cases: 1, 'stage#DATA_REQUEST_APPROVAL': 1 });
    // A write that changes no counter of its own settles the one left undone.
    await caseAdapter.mutateCase(kase.caseId, (k) => ({ ...k, summary: 'Messages and a parcel.' }), NOW);
    expect(await countsOf(kase.force)).toEqual({ cases: 1, 'stage#PLATFORM_REQUESTS': 1 });
    // The stopped write's counting, tried again late, and the settled write's again: counted already.
    await counters.applyCounts(cutShort!);
    await counters.applyCounts((await caseAdapter.getCase(kase.caseId))!);
    expect(await countsOf(kase.force)).toEqual({ cases: 1, 'stage#PLATFORM_REQUESTS': 1 });
    // Later changes still count.
    await caseAdapter.mutateCase(kase.caseId, (k) => ({ ...k, stage: 'ISP_RESOLUTION' }), NOW);
    expect(await countsOf(kase.force)).toEqual({ cases: 1, 'stage#ISP_RESOLUTION': 1 });
  });

  test('a change cut short, then writes that change no counter, then one that does: each change counted once, in order', async () => {
    const kase = await openedCase();
    crashNextCount = true;
    await expect(
      caseAdapter.mutateCase(kase.caseId, (k) => ({ ...k, stage: 'PLATFORM_REQUESTS' }), NOW),
    ).rejects.toThrow('the process stopped here');
    const cutShort = await caseAdapter.getCase(kase.caseId);
    await caseAdapter.mutateCase(kase.caseId, (k) => ({ ...k, summary: 'one' }), NOW);
    await caseAdapter.mutateCase(kase.caseId, (k) => ({ ...k, summary: 'two' }), NOW);
    await caseAdapter.mutateCase(kase.caseId, (k) => ({ ...k, stage: 'ISP_RESOLUTION' }), NOW);
    await counters.applyCounts(cutShort!);
    expect(await countsOf(kase.force)).toEqual({ cases: 1, 'stage#ISP_RESOLUTION': 1 });
  });
});

describe("the case's version", () => {
  test('moves with every write to one of its items, also one that leaves its summary as it was', async () => {
    const kase = await openedCase();
    const version = async () => (await caseAdapter.getCase(kase.caseId))!.version;
    let before = await version();
    // A request is not in the summary at all.
    const request: RequestRecord = {
      requestId: 'req-1',
      caseId: kase.caseId,
      force: kase.force,
      kind: 'platform_disclosure',
      target: 'instagram',
      status: 'awaiting_return',
      createdAt: NOW,
      dueAt: '2026-11-25T10:00:00.000Z',
      tipOffRisk: false,
    };
    await requestAdapter.putRequests([request]);
    expect(await version()).toBeGreaterThan(before);
    before = await version();
    expect(await requestAdapter.updateRequest(request, 'awaiting_return', { chasedAt: NOW })).toBe(true);
    expect(await version()).toBeGreaterThan(before);
    // An approval past its due time is shown overdue by the summary already; flagging it overdue changes the
    // approval the case shows, not its summary.
    const approval: ApprovalRecord = {
      approvalId: 'appr-1',
      caseId: kase.caseId,
      force: kase.force,
      gate: 'data_request',
      requiredRank: 'sergeant',
      status: 'pending',
      subjectId: 'prop-1',
      requestedBy: kase.createdBy,
      createdAt: '2026-11-01T09:00:00.000Z',
      dueAt: '2026-11-02T09:00:00.000Z',
      overdue: false,
    };
    await putItem({ pk: `CASE#${kase.caseId}`, sk: `APPROVAL#${approval.approvalId}`, ...approval });
    await caseAdapter.keepSummary(kase.caseId);
    const summaryBefore = (await caseAdapter.getCase(kase.caseId))!.openTasks;
    before = await version();
    expect(await approvalAdapter.markApproval(approval, { overdue: true })).toBe(true);
    expect((await caseAdapter.getCase(kase.caseId))!.openTasks).toEqual(summaryBefore);
    expect(await version()).toBeGreaterThan(before);
  });
});

describe('a step run again after it stopped part way', () => {
  /** A request of the case as the adapters store it, and its return's task, open. */
  const putRequest = (kase: CaseRecord, requestId: string, status: RequestRecord['status']) =>
    putItem({
      pk: `CASE#${kase.caseId}`,
      sk: `REQUEST#${requestId}`,
      kind_: 'request',
      requestId,
      caseId: kase.caseId,
      force: kase.force,
      kind: 'platform_disclosure',
      target: 'google',
      status,
      ...(status === 'abandoned' ? { abandonedAt: NOW } : {}),
      createdAt: NOW,
      dueAt: NOW,
      tipOffRisk: false,
    });
  const putOpenReturnTask = (kase: CaseRecord, requestId: string) =>
    putItem({
      pk: `CASE#${kase.caseId}`,
      sk: `TASK#REQUEST_RETURN#${requestId}`,
      caseId: kase.caseId,
      key: `REQUEST_RETURN#${requestId}`,
      task: 'REQUEST_RETURN',
      requestId,
      status: 'open',
      openedAt: NOW,
      dueAt: NOW,
      overdue: false,
    });

  test('a request given up by a run that stopped before its task and its entry: the next run completes both, once', async () => {
    const kase = await openedCase(randomUUID());
    const requestId = randomUUID();
    // What the stopped run left: the request given up, its return's task still open, no entry in the trail.
    await putRequest(kase, requestId, 'abandoned');
    await putOpenReturnTask(kase, requestId);
    const key = `REQUEST_RETURN#${requestId}`;
    const { handler } = await import('../../functions/handlers/workflow/requestOverdue.js');
    const run = () => handler({ caseId: kase.caseId, requestId, event: 'abandoned' }, lambdaContext('requestOverdue'));
    await expect(run()).resolves.toEqual({ changed: false });
    await expect(run()).resolves.toEqual({ changed: false });
    const { tasks } = await caseAdapter.mustLoadCase(kase.caseId);
    expect(tasks.find((t) => t.key === key)?.status).toBe('done');
    const { readAudit } = await import('../../functions/adapters/audit.js');
    const trail = await readAudit(kase.caseId);
    expect(trail.filter((e) => e.action === 'request.abandoned').map((e) => e.ids)).toEqual([{ requestId }]);
  });

  test("a closure without a suspect whose run stopped after giving a request up: the next run completes the request's task and entry, once", async () => {
    const kase = await openedCase(randomUUID());
    const proposalId = randomUUID();
    const person = { sub: 'local-inv.alice', name: 'DC Alice Hughes' };
    const sergeant = { sub: 'local-sgt.carol', name: 'DS Carol Price' };
    // The closure approved at its gate, the victim having declined to be told (so no message goes).
    await caseAdapter.mutateCase(
      kase.caseId,
      (k) => ({
        ...k,
        stage: 'PLATFORM_REQUESTS',
        closureProposal: {
          proposalId,
          reason: 'no_suspect_identified',
          rationale: 'The platform holds no subscriber data and the ISP records have lapsed.',
          proposedBy: person,
          proposedAt: NOW,
          stage: 'PLATFORM_REQUESTS',
          status: 'approved',
        },
        victimChoices: [{ choice: 'declines', note: 'she does not want to be told', by: person, at: NOW }],
      }),
      NOW,
    );
    const approvalId = randomUUID();
    await putItem({
      pk: `CASE#${kase.caseId}`,
      sk: `APPROVAL#${approvalId}`,
      kind_: 'approval',
      approvalId,
      caseId: kase.caseId,
      force: kase.force,
      gate: 'closure',
      requiredRank: 'sergeant',
      status: 'approved',
      subjectId: proposalId,
      requestedBy: person,
      crimeReference: kase.crimeReference,
      caseCreatedBy: person.sub,
      otherDeciders: [],
      createdAt: NOW,
      dueAt: NOW,
      overdue: false,
      decision: 'approve',
      rationale: 'nothing more can be done',
      decidedBy: sergeant,
      decidedRank: 'sergeant',
      decidedAt: NOW,
    });
    // What the stopped run left: one request given up, its return's task still open, no entry; another still
    // outstanding; a third returned before the closure (not given up).
    const [givenUp, outstanding, returned] = [randomUUID(), randomUUID(), randomUUID()];
    await putRequest(kase, givenUp, 'abandoned');
    await putOpenReturnTask(kase, givenUp);
    await putRequest(kase, outstanding, 'awaiting_return');
    await putOpenReturnTask(kase, outstanding);
    await putRequest(kase, returned, 'returned');
    const { handler } = await import('../../functions/handlers/workflow/closeWithoutSuspect.js');
    const run = () => handler({ caseId: kase.caseId }, lambdaContext('closeWithoutSuspect'));
    await expect(run()).resolves.toEqual({ notice: 'done' });
    await expect(run()).resolves.toEqual({ notice: 'done' });
    const { kase: after, tasks, requests } = await caseAdapter.mustLoadCase(kase.caseId);
    expect(Object.fromEntries(requests.map((r) => [r.requestId, r.status]))).toEqual({
      [givenUp]: 'abandoned',
      [outstanding]: 'abandoned',
      [returned]: 'returned',
    });
    expect(tasks.map((t) => `${t.requestId}:${t.status}`).sort()).toEqual(
      [`${givenUp}:done`, `${outstanding}:done`].sort(),
    );
    expect(after.openTasks).toEqual([]);
    const { readAudit } = await import('../../functions/adapters/audit.js');
    const trail = await readAudit(kase.caseId);
    expect(
      trail
        .filter((e) => e.action === 'request.abandoned')
        .map((e) => e.ids.requestId)
        .sort(),
    ).toEqual([givenUp, outstanding].sort());
  });
});
