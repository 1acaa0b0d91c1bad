import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendSigned } from '../../functions/adapters/clients/signedRequest.js';
import { isTransient } from '../../functions/adapters/transient.js';

/**
 * A signed request to a service that takes the request and never answers: each attempt is given up at its limit
 * as a transient TimeoutError, tried again, and the last one's failure thrown, so a step fails (and is retried by
 * the ASL) rather than hanging until the Lambda's timeout.
 */
let server: Server;
let url: URL;
let received = 0;
const saved = { ...process.env };

beforeAll(async () => {
  server = createServer(() => {
    received += 1;
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
  });
});
afterAll(async () => {
  process.env = saved;
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('a signed request that gets no answer', () => {
  it('is given up at its limit as a transient TimeoutError, after every attempt', async () => {
    // The attempts are counted by the waits between them, not by what the server received: on a busy machine an
    // attempt can be given up before its request has reached the server (both share this process's event loop).
    let waits = 0;
    const failure = await sendSigned(
      {
        service: 'events',
        traceAs: { service: 'EventBridge', operation: 'PutEvents' },
        url,
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: '{}',
        timeoutMs: 500,
      },
      3,
      async () => {
        waits += 1;
      },
    ).catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: 'TimeoutError' });
    expect(isTransient(failure)).toBe(true);
    expect(waits).toBe(2);
    // The server answered none it received (at most one an attempt).
    expect(received).toBeLessThanOrEqual(3);
  });
});
