import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ApiClient } from '../../local/client.js';
import { lambdaContext, loadHandler } from '../../local/handlers.js';
import { startStack, type RunningStack } from '../../local/stack.js';
import { Journey } from '../support/journey.js';

/**
 * The audit trail as a court or an inspector would test it: each stored
 * chain is tampered with in the table itself (as someone with database
 * access could), and the verification names the first bad entry; a chain
 * deleted whole is found by the daily digest.
 */
const run = promisify(execFile);
let stack: RunningStack;
let journey: Journey;
let dataDir: string;
let db: DynamoDBClient;
let caseId: string;
type Item = Record<string, import('@aws-sdk/client-dynamodb').AttributeValue>;
let original: Item[];

beforeAll(async () => {
  dataDir = mkdtempSync(join(process.cwd(), '.tmp', 'audit-'));
  // Real time: no deadline passes during the test, so nothing else writes to the chain while it is tampered with.
  stack = await startStack({ port: 0, dataDir, timeScale: 1 });
  journey = new Journey(new ApiClient(stack.apiUrl));
  db = new DynamoDBClient({ endpoint: stack.endpoints.dynamodb });
  ({ caseId } = await journey.atIdentification());
  original = await stored(caseId);
  expect(original.length).toBeGreaterThanOrEqual(8);
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const stored = async (id: string) =>
  ((
    await db.send(
      new QueryCommand({
        TableName: 'audit',
        KeyConditionExpression: 'caseId = :c',
        ExpressionAttributeValues: { ':c': { S: id } },
        ConsistentRead: true,
      }),
    )
  ).Items ?? []) as Item[];
const put = (item: Item) => db.send(new PutItemCommand({ TableName: 'audit', Item: item }));
const remove = (seq: number) =>
  db.send(new DeleteItemCommand({ TableName: 'audit', Key: { caseId: { S: caseId }, seq: { N: String(seq) } } }));
const restore = async () => {
  for (const item of await stored(caseId)) await remove(Number(item.seq!.N));
  for (const item of original) await put(item);
};
const verify = async () =>
  (
    await journey.api.get<{ valid: boolean; entries: number; firstBadSeq?: number }>(
      `/cases/${caseId}/audit/verify`,
      'aud.frank',
    )
  ).body;
const at = (seq: number) => original.find((i) => i.seq!.N === String(seq))!;

describe('tampering with a stored chain is detected and named', () => {
  afterEach(restore);

  test('the untouched chain verifies', async () => {
    expect(await verify()).toMatchObject({ valid: true, entries: original.length });
  });

  test.each([2, 5])('altering entry %i (its action) names it', async (seq) => {
    await put({ ...at(seq), action: { S: 'case.viewed' } });
    expect(await verify()).toMatchObject({ valid: false, firstBadSeq: seq });
  });

  test('altering an entry’s time or actor names it', async () => {
    await put({ ...at(3), actor: { S: 'someone-else' } });
    expect((await verify()).firstBadSeq).toBe(3);
    await restore();
    await put({ ...at(4), at: { S: '2020-01-01T00:00:00.000Z' } });
    expect((await verify()).firstBadSeq).toBe(4);
  });

  test('deleting an entry names the place it was', async () => {
    await remove(4);
    expect(await verify()).toMatchObject({ valid: false, firstBadSeq: 4 });
  });

  test('inserting a forged entry (moving the rest along) names it', async () => {
    const forged = { ...at(3), action: { S: 'gate.identification.approved' }, actor: { S: 'local-sgt.bob' } };
    for (const item of [...original].reverse())
      if (Number(item.seq!.N) >= 3) await put({ ...item, seq: { N: String(Number(item.seq!.N) + 1) } });
    await put(forged);
    expect(await verify()).toMatchObject({ valid: false, firstBadSeq: 3 });
  });

  test('reordering two entries names the first', async () => {
    await put({ ...at(6), seq: { N: '5' } });
    await put({ ...at(5), seq: { N: '6' } });
    expect(await verify()).toMatchObject({ valid: false, firstBadSeq: 5 });
    await restore();
    expect((await verify()).valid).toBe(true);
  });
});

describe('the daily digest and npm run audit:verify', () => {
  test('a case’s whole chain deleted is named by the digest that saw it; an intact store passes', async () => {
    const digest = await loadHandler('scheduled', 'auditDigest');
    await digest({}, lambdaContext('auditDigest'));
    const cli = (...args: string[]) =>
      run('npx', ['tsx', 'local/audit-cli.ts', ...args, '--data', dataDir], { env: process.env }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    const clean = await cli('verify');
    expect(clean.out).toMatch(/0 broken; \d+ consultations; \d+ daily digests checked, 0 problems/);
    expect(clean.code).toBe(0);

    for (const item of original) await remove(Number(item.seq!.N));
    const gone = await cli('verify');
    expect(gone.code).toBe(1);
    expect(gone.out).toContain(`DIGEST  ${caseId}: chain_missing`);
    await restore();

    const exported = await cli('export', caseId);
    expect(exported.code).toBe(0);
    const json = JSON.parse(readFileSync(join(dataDir, 'exports', `${caseId}-audit.json`), 'utf8'));
    expect(json.verification.valid).toBe(true);
    expect(json.entries).toHaveLength(original.length);
    expect(
      readFileSync(join(dataDir, 'exports', `${caseId}-audit.pdf`))
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect(existsSync(join(dataDir, 'endpoints.json'))).toBe(true);
  });
});
