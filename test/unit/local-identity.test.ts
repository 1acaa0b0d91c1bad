import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { LocalIdentity, SEEDED_USERS } from '../../local/auth.js';

/**
 * The local stack's JWT check keeps the claims of a token it has verified (local/auth.ts), as API Gateway's
 * authorizer does, so a person's requests do not each pay for the RSA check. What is kept must never let through a
 * token that would not verify now.
 */
const dir = mkdtempSync(join(process.cwd(), '.tmp', 'identity-'));
const identity = new LocalIdentity(join(dir, 'key.pem'));
const alice = SEEDED_USERS.find((u) => u.username === 'inv.alice')!;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.useRealTimers();
});

describe('a verified token kept', () => {
  test('answers the same claims again', async () => {
    const token = identity.tokenFor('inv.alice')!;
    const first = await identity.verify(`Bearer ${token}`);
    expect(first?.['cognito:username']).toBe('inv.alice');
    expect(await identity.verify(`Bearer ${token}`)).toEqual(first);
  });

  test('is refused once it has expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = identity.sign({ ...identity.claimsFor(alice, now), exp: now + 60 });
    expect(await identity.verify(`Bearer ${token}`)).toBeDefined();
    vi.useFakeTimers({ now: (now + 61) * 1000 });
    expect(await identity.verify(`Bearer ${token}`)).toBeUndefined();
    // And stays refused: the kept claims went with the expiry.
    expect(await identity.verify(`Bearer ${token}`)).toBeUndefined();
  });

  test('does not let through a token that differs from it in one byte', async () => {
    const token = identity.tokenFor('inv.alice')!;
    expect(await identity.verify(`Bearer ${token}`)).toBeDefined();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === 'A' ? 'B' : 'A'}${signature.at(-1)}`;
    expect(await identity.verify(`Bearer ${header}.${payload}.${flipped}`)).toBeUndefined();
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const raised = Buffer.from(JSON.stringify({ ...claims, 'custom:rank': 'superintendent' })).toString('base64url');
    expect(await identity.verify(`Bearer ${header}.${raised}.${signature}`)).toBeUndefined();
  });

  test('a token that failed is not kept as failed: a good one after it still verifies', async () => {
    expect(await identity.verify('Bearer not.a.token')).toBeUndefined();
    expect(await identity.verify(`Bearer ${identity.tokenFor('sgt.bob')!}`)).toBeDefined();
  });
});
