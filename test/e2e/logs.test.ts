import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ApiClient } from '../../local/client.js';
import { DEMO_SUSPECT, DEMO_VICTIM, runDemoCase } from '../../local/scenario.js';
import { npmStart, type Started } from './start.js';
import { storedTaskTokens, TOKEN_SHAPE, withStoppedStackTables } from './tables.js';

/**
 * Logs carry ids only. The whole demo case runs against `npm start` with the
 * handlers logging at DEBUG, every line it prints is kept, and none may hold
 * the victim's or the suspect's name, phone, address, postcode or date of
 * birth, nor a task token.
 */
const dataDir = mkdtempSync(join(process.cwd(), '.tmp', 'logs-'));
let running: Started | undefined;
afterAll(async () => {
  await running?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** What the demo case puts in: the victim's details, and what the platform and ISP returned about the suspect. */
const PERSONAL = [
  DEMO_VICTIM.name,
  DEMO_VICTIM.dateOfBirth,
  DEMO_VICTIM.phone,
  DEMO_VICTIM.phone.replace('+44', '0'),
  ...DEMO_VICTIM.postalAddress.lines,
  DEMO_VICTIM.postalAddress.postcode,
  DEMO_SUSPECT.name,
  DEMO_SUSPECT.dateOfBirth,
  ...DEMO_SUSPECT.address,
  DEMO_SUSPECT.postcode,
  '+447700900999',
  'j.smith@example.com',
];

describe('the logs of a whole case', () => {
  test('hold none of the personal data and no task token, and there are logs to look at', async () => {
    running = await npmStart(dataDir, 3600, { POWERTOOLS_LOG_LEVEL: 'DEBUG' });
    const api = new ApiClient(running.url);
    const closed = await runDemoCase(api, { crimeReference: 'LOCAL/26/120001' });
    expect(closed.stage).toBe('CLOSED');
    const stopped = await running.stop();
    expect(stopped.groupGone).toBe(true);
    const lines = running
      .output()
      .split('\n')
      .filter((l) => l.trim() !== '');
    running = undefined;

    // The test can fail: the handlers did log, at DEBUG and up, with the case's id.
    const structured = lines.filter((l) => l.startsWith('{') && l.includes('"level"'));
    expect(structured.length).toBeGreaterThan(20);
    expect(structured.some((l) => l.includes(closed.caseId))).toBe(true);

    const tokens = await withStoppedStackTables(dataDir, (endpoint) => storedTaskTokens(endpoint, dataDir));
    expect(tokens.length).toBeGreaterThan(5);

    const leaks: string[] = [];
    for (const line of lines) {
      for (const p of PERSONAL)
        if (line.toLowerCase().includes(p.toLowerCase())) leaks.push(`${p} in: ${line.slice(0, 200)}`);
      if (TOKEN_SHAPE.test(line)) leaks.push(`a task token in: ${line.slice(0, 200)}`);
      for (const t of tokens)
        if (line.includes(t.token) || line.includes(t.sealed) || line.includes(t.token.split('.')[1]!))
          leaks.push(`the token of ${t.sk} in: ${line.slice(0, 200)}`);
    }
    expect(leaks).toEqual([]);
  }, 180_000);
});
