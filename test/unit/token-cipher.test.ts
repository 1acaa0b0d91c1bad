import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { deriveTokenKey, openWith, sealWith } from '../../functions/adapters/tokenCipher.js';

/** Task tokens sealed at rest: AES-256-GCM, bound to the record they are stored on. */
const key = deriveTokenKey(randomBytes(32).toString('base64'));
const token = `0b7c2d7e-8f0a-4d2b-9c55-1f2e3d4c5b6a.${randomBytes(48).toString('base64url')}`;
const here = 'CASE#0b7c2d7e|APPROVAL#a1';

describe('the task token cipher', () => {
  test('opens what it sealed, and the sealed form shows nothing of the token', () => {
    const sealed = sealWith(key, token, here);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(sealed).not.toContain(token.split('.')[0]);
    expect(sealed).not.toContain(token.split('.')[1]);
    expect(openWith(key, sealed, here)).toBe(token);
  });

  test('seals the same token differently each time (a fresh IV)', () => {
    expect(sealWith(key, token, here)).not.toBe(sealWith(key, token, here));
  });

  test('round-trips any token on any record', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2048 }), fc.string({ maxLength: 200 }), (t, context) => {
        expect(openWith(key, sealWith(key, t, context), context)).toBe(t);
      }),
      { numRuns: 300 },
    );
  });

  test('does not open under another key, on another record, or with any byte changed; the error says nothing of the token', () => {
    const sealed = sealWith(key, token, here);
    const failures = [
      () => openWith(deriveTokenKey(randomBytes(32).toString('base64')), sealed, here),
      () => openWith(key, sealed, 'CASE#0b7c2d7e|APPROVAL#a2'),
      () => openWith(key, token, here),
      () => openWith(key, `v2${sealed.slice(2)}`, here),
      () => openWith(key, `${sealed}.x`, here),
    ];
    const parts = sealed.split('.');
    for (let i = 1; i < parts.length; i++) {
      const bytes = Buffer.from(parts[i]!, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      const changed = [...parts];
      changed[i] = bytes.toString('base64url');
      failures.push(() => openWith(key, changed.join('.'), here));
    }
    for (const f of failures) {
      let message = '';
      try {
        f();
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/task token/);
      expect(message).not.toContain(token.split('.')[1]!.slice(0, 8));
    }
  });

  test('derives a 32-byte key from the secret, and refuses a short secret', () => {
    expect(deriveTokenKey('a'.repeat(64))).toHaveLength(32);
    expect(deriveTokenKey('a'.repeat(64)).equals(deriveTokenKey('a'.repeat(64)))).toBe(true);
    expect(deriveTokenKey('a'.repeat(64)).equals(deriveTokenKey('b'.repeat(64)))).toBe(false);
    expect(() => deriveTokenKey('short')).toThrow(/too short/);
  });
});
