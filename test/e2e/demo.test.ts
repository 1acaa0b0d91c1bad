import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ApiClient } from '../../local/client.js';
import { DEMO_SUSPECT, demoCaseBody, runDemoCase, type CaseView } from '../../local/scenario.js';
import { npmStart, type Started } from './start.js';

const dataDir = mkdtempSync(join(process.cwd(), '.tmp', 'e2e-'));
let running: Started | undefined;
afterAll(async () => {
  await running?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start, used as people would over HTTP', () => {
  test('runs the demo case to the letter and the SMS in the outbox, and stops cleanly on Ctrl-C', async () => {
    running = await npmStart(dataDir, 3600);
    expect(running.output()).toMatch(/API\s+http:\/\/127\.0\.0\.1:\d+/);
    const api = new ApiClient(running.url);
    const kase = await runDemoCase(api, { crimeReference: 'LOCAL/26/900001' });
    expect(kase.stage).toBe('CLOSED');

    const letters = readdirSync(join(dataDir, 'outbox', 'letters')).filter((f) => f.startsWith(kase.caseId));
    expect(letters).toHaveLength(1);
    expect(
      readFileSync(join(dataDir, 'outbox', 'letters', letters[0]!))
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const sms = readFileSync(join(dataDir, 'outbox', 'sms.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((m) => m.reference.startsWith(kase.caseId));
    expect(sms.map((m) => m.reference.split(':')[1]).sort()).toEqual(['disclosure-sms', 'victim_update']);
    for (const m of sms) {
      expect(m.to).toBe('+447700900123');
      expect(m.body).not.toContain(DEMO_SUSPECT.name);
      expect(m.body.toLowerCase()).not.toContain('stalking');
    }
    const events = readFileSync(join(dataDir, 'outbox', 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.filter((e) => e.detail.caseId === kase.caseId).map((e) => e.detailType)).toEqual(['ArrestTasking']);

    const pdf = await api.get<Uint8Array>(`/cases/${kase.caseId}/disclosure/letter.pdf`, 'inv.alice');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');

    const stopped = await running.stop();
    expect(running.output()).toContain('stopped');
    expect(stopped.groupGone).toBe(true);
    expect(stopped.code === 0 || stopped.signal === 'SIGINT').toBe(true);
    running = undefined;
  });

  test('after a restart, a case that was mid-flight continues from its stage', async () => {
    // A restart keeps every wait's first due time: at ×60 gate 1 is due in 24 minutes, well after the restart.
    running = await npmStart(dataDir, 60);
    let api = new ApiClient(running.url);
    const opened = await api.post<{ caseId: string }>('/cases', 'inv.alice', demoCaseBody('LOCAL/26/900002'));
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId;
    const approval = await api.until('gate 1', async () =>
      (await api.all<{ approvalId: string; caseId: string }>('/approvals', 'sgt.bob')).find((a) => a.caseId === caseId),
    );
    expect((await running.stop()).groupGone).toBe(true);

    running = await npmStart(dataDir, 60);
    expect(running.output()).toContain('resumed 1 case');
    api = new ApiClient(running.url);
    // The same approval is still the one to decide, and deciding it moves the case on.
    const decided = await api.post(`/approvals/${approval.approvalId}/decision`, 'sgt.bob', {
      decision: 'approve',
      rationale: 'approved after the restart',
      authorisation: {
        route: 'ocda',
        reference: 'OCDA/E2E/2',
        dataType: 'entity',
        expiresAt: new Date(Date.now() + 5 * 86400_000).toISOString(),
      },
    });
    expect(decided.status).toBe(200);
    const moved = await api.until('platform requests', async () => {
      const v = (await api.get<CaseView>(`/cases/${caseId}`, 'inv.alice')).body;
      return v.stage === 'PLATFORM_REQUESTS' && v.requests.length === 2 ? v : undefined;
    });
    expect(moved.requests.map((r) => r.kind).sort()).toEqual(['platform_disclosure', 'platform_preservation']);
    expect((await running.stop()).groupGone).toBe(true);
    running = undefined;
    // Two starts and two stops of npm start: minutes on a loaded machine.
  }, 240_000);

  test('npm run demo -- --path declines: the victim declines to be told, nothing is sent, and the case closes', async () => {
    running ??= await npmStart(dataDir, 3600);
    const demo = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'local/demo.ts', '--url', running.url, '--data', dataDir, '--path', 'declines'],
      { encoding: 'utf8', timeout: 240_000 },
    );
    expect(demo.status, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/DISCLOSURE_DECLINED\s+inv\.alice recorded that the victim declines/);
    const caseId = demo.stdout.match(/case (\S+) is CLOSED\./)?.[1];
    expect(caseId).toBeDefined();
    expect(readdirSync(join(dataDir, 'outbox', 'letters')).filter((f) => f.startsWith(caseId!))).toEqual([]);
    const sms = readFileSync(join(dataDir, 'outbox', 'sms.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { reference: string })
      .filter((m) => m.reference.startsWith(`${caseId}:`));
    expect(sms).toEqual([]);
    // A path the demo does not know is refused before anything starts.
    const unknown = spawnSync(process.execPath, ['--import', 'tsx', 'local/demo.ts', '--path', 'sideways'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--path must be one of discloses, declines, closure');
  }, 300_000);
});
