import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiClient } from '../../local/client.js';
import { demoCaseBody, type CaseView } from '../../local/scenario.js';
import { startStack, type RunningStack } from '../../local/stack.js';
import { scanAll, storedTaskTokens, TABLES, TOKEN_SHAPE } from './tables.js';

/**
 * Task tokens move a case on: the tables hold them sealed, and no answer of
 * the API carries one, sealed or not.
 */
let stack: RunningStack;
let api: ApiClient;
let dataDir: string;
let caseId: string;

const find = <T>(what: string, f: () => Promise<T | undefined>) => api.until(what, f, 30_000);

beforeAll(async () => {
  dataDir = mkdtempSync(join(process.cwd(), '.tmp', 'tokens-'));
  stack = await startStack({ port: 0, dataDir, timeScale: 1 });
  api = new ApiClient(stack.apiUrl);
  const opened = await api.post<{ caseId: string }>('/cases', 'inv.alice', demoCaseBody('LOCAL/26/770001'));
  expect(opened.status).toBe(201);
  caseId = opened.body.caseId;
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function everyRawItem(): Promise<string> {
  const all = await Promise.all(TABLES.map((t) => scanAll(stack.endpoints.dynamodb!, t)));
  return JSON.stringify(all);
}

describe('task tokens at rest and in answers', () => {
  test('an approval holds its token sealed; opened with the key it is the waiting state’s token; nothing in the tables shows it', async () => {
    await find('gate 1', async () =>
      (await api.all<{ caseId: string }>('/approvals', 'sgt.bob')).find((a) => a.caseId === caseId),
    );
    const tokens = await storedTaskTokens(stack.endpoints.dynamodb!, dataDir);
    const approval = tokens.find((t) => t.pk === `CASE#${caseId}` && t.sk.startsWith('APPROVAL#'));
    expect(approval).toBeDefined();
    expect(approval!.sealed).toMatch(/^v1\./);
    expect(approval!.sealed).not.toContain(caseId);
    expect(approval!.token).toMatch(new RegExp(`^${caseId}\\.[A-Za-z0-9_-]{64}$`));
    const raw = await everyRawItem();
    for (const t of tokens) expect(raw).not.toContain(t.token);
    expect(raw).not.toMatch(TOKEN_SHAPE);
  });

  test('tasks hold theirs sealed too, and the sealed token still moves the case on', async () => {
    const gate = (await api.all<{ approvalId: string; caseId: string }>('/approvals', 'sgt.bob')).find(
      (a) => a.caseId === caseId,
    )!;
    const decided = await api.post(`/approvals/${gate.approvalId}/decision`, 'sgt.bob', {
      decision: 'approve',
      rationale: 'necessary and proportionate',
      authorisation: {
        route: 'ocda',
        reference: 'OCDA/T/1',
        dataType: 'entity',
        expiresAt: new Date(Date.now() + 5 * 86400_000).toISOString(),
      },
    });
    expect(decided.status).toBe(200);
    await find('a return task', async () =>
      (await api.get<CaseView>(`/cases/${caseId}`, 'inv.alice')).body.openTasks.some(
        (t) => t.task === 'REQUEST_RETURN',
      ),
    );
    const tokens = await storedTaskTokens(stack.endpoints.dynamodb!, dataDir);
    const tasks = tokens.filter((t) => t.sk.startsWith('TASK#'));
    expect(tasks.length).toBeGreaterThan(0);
    for (const t of tasks) {
      expect(t.sealed).toMatch(/^v1\./);
      expect(t.token.startsWith(`${caseId}.`)).toBe(true);
    }
    const raw = await everyRawItem();
    for (const t of tokens) expect(raw).not.toContain(t.token);
  });

  test('no answer of the API carries a token, sealed or opened', async () => {
    const tokens = await storedTaskTokens(stack.endpoints.dynamodb!, dataDir);
    expect(tokens.length).toBeGreaterThan(1);
    const reads: [string, string][] = [
      [`/cases/${caseId}`, 'inv.alice'],
      [`/cases/${caseId}`, 'aud.frank'],
      [`/cases/${caseId}`, 'sgt.carol'],
      ['/cases', 'inv.alice'],
      ['/approvals', 'sgt.carol'],
      ['/approvals', 'supt.erin'],
      [`/cases/${caseId}/requests`, 'spoc.sam'],
      [`/cases/${caseId}/audit`, 'aud.frank'],
      [`/cases/${caseId}/audit/verify`, 'aud.frank'],
      ['/stats', 'aud.frank'],
    ];
    for (const [path, user] of reads) {
      const r = await api.get(path, user);
      expect(r.status, `${user} GET ${path}`).toBe(200);
      const text = JSON.stringify(r.body);
      expect(text, path).not.toMatch(/taskToken/i);
      expect(text, path).not.toMatch(TOKEN_SHAPE);
      for (const t of tokens) {
        expect(text).not.toContain(t.token);
        expect(text).not.toContain(t.sealed);
      }
    }
  });
});
