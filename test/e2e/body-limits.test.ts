import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiClient } from '../../local/client.js';
import { demoCaseBody } from '../../local/scenario.js';
import { startStack, type RunningStack } from '../../local/stack.js';

/** 1 MiB is the most a body may be: exactly 1 MiB is taken, one byte more is a 413, over HTTP as a client sends it. */
const MIB = 1024 * 1024;
let stack: RunningStack;
let api: ApiClient;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(process.cwd(), '.tmp', 'limits-'));
  stack = await startStack({ port: 0, dataDir, timeScale: 1 });
  api = new ApiClient(stack.apiUrl);
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A valid case, padded with JSON whitespace to exactly `bytes` bytes. */
const padded = (crimeReference: string, bytes: number) => {
  const text = JSON.stringify(demoCaseBody(crimeReference));
  return `${text}${' '.repeat(bytes - Buffer.byteLength(text))}`;
};

const post = async (body: string) =>
  fetch(`${stack.apiUrl}/cases`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await api.token('inv.alice')}`,
      'content-type': 'application/json; charset=utf-8',
    },
    body,
  });

describe('the 1 MiB limit', () => {
  test('a valid body of exactly 1 MiB opens the case', async () => {
    const body = padded('LOCAL/26/510001', MIB);
    expect(Buffer.byteLength(body)).toBe(MIB);
    const res = await post(body);
    expect(res.status).toBe(201);
  });

  test('one byte more is a 413, as problem details, and opens nothing', async () => {
    const body = padded('LOCAL/26/510002', MIB + 1);
    expect(Buffer.byteLength(body)).toBe(MIB + 1);
    const res = await post(body);
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const cases = await api.all<{ crimeReference: string }>('/cases', 'inv.alice');
    expect(cases.map((c) => c.crimeReference)).not.toContain('LOCAL/26/510002');
  });
});
