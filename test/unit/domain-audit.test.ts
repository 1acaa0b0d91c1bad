import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  GENESIS,
  canonical,
  chainNext,
  forExport,
  hashEntry,
  keyedDigestOf,
  sha256,
  verifyChain,
  type AuditDraft,
  type AuditEntry,
} from '../../functions/domain/audit.js';

const given = {
  aDraft(n: number, overrides: Partial<AuditDraft> = {}): AuditDraft {
    return {
      caseId: 'case-000001',
      at: new Date(Date.UTC(2026, 10, 20, 10, 0, n)).toISOString(),
      actor: n % 2 ? 'local-sgt.bob' : 'local-inv.alice',
      action: ['CASE_OPENED', 'APPROVAL_DECIDED', 'RETURN_UPLOADED', 'CASE_VIEWED'][n % 4]!,
      ids: { approvalId: `appr-${n}` },
      ...(n % 3 === 0 ? { dataDigest: sha256(`data ${n}`) } : {}),
      ...(n % 5 === 0 ? { detail: `step ${n}` } : {}),
      ...overrides,
    };
  },
  /** A chain of `length` entries built the way the adapter appends them. */
  aChain(length: number): AuditEntry[] {
    const out: AuditEntry[] = [];
    for (let n = 1; n <= length; n++) out.push(chainNext(given.aDraft(n), out.at(-1)));
    return out;
  },
};

/** Deep copy with every object's keys in reverse order: same data, different insertion order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value).reverse())
      Object.defineProperty(out, k, { value: reversedKeys(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

const FIELDS = ['caseId', 'seq', 'at', 'actor', 'action', 'ids', 'dataDigest', 'detail', 'prevHash', 'hash'] as const;
type Field = (typeof FIELDS)[number];

/** One field of an entry changed, as someone editing the table directly would. */
function altered(e: AuditEntry, field: Field): AuditEntry {
  switch (field) {
    case 'seq':
      return { ...e, seq: e.seq + 1 };
    case 'ids':
      return { ...e, ids: { ...e.ids, approvalId: `${e.ids.approvalId ?? ''}x` } };
    case 'dataDigest':
      return {
        ...e,
        dataDigest: e.dataDigest ? e.dataDigest.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) : sha256('forged'),
      };
    case 'detail':
      return { ...e, detail: `${e.detail ?? ''} (edited)` };
    case 'prevHash':
    case 'hash':
      return { ...e, [field]: e[field].replace(/^./, (c) => (c === 'f' ? 'e' : 'f')) };
    default:
      return { ...e, [field]: `${e[field]}!` };
  }
}

describe('canonical', () => {
  test('sorts keys at every depth, so insertion order never changes the text', () => {
    const a = { b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } };
    const b = { a: { c: 'x', d: [1, { y: 2, z: 1 }] }, b: 1 };
    expect(canonical(a)).toBe(canonical(b));
    expect(canonical(a)).toBe('{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}');
  });

  test('keeps array order: arrays are sequences, not sets', () => {
    expect(canonical([1, 2])).not.toBe(canonical([2, 1]));
  });

  test('drops undefined values, as JSON does', () => {
    expect(canonical({ a: 1, b: undefined })).toBe(canonical({ a: 1 }));
  });

  test('tells apart values that differ only in type', () => {
    expect(canonical({ a: 1 })).not.toBe(canonical({ a: '1' }));
    expect(canonical({ a: null })).not.toBe(canonical({ a: 'null' }));
    expect(canonical({ a: true })).not.toBe(canonical({ a: 'true' }));
  });

  test('property: key order never matters, and the text is JSON for the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonical(reversedKeys(v))).toBe(canonical(v));
        expect(JSON.parse(canonical(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
      { numRuns: 300 },
    );
  });

  test('keyedDigestOf is the HMAC-SHA-256 of the canonical text under the key, whatever the key order', () => {
    const data = { victim: { phone: '+447700900123', name: 'Jane Doe' } };
    const key = Buffer.alloc(32, 1);
    const text = '{"victim":{"name":"Jane Doe","phone":"+447700900123"}}';
    expect(keyedDigestOf(key, data)).toBe(createHmac('sha256', key).update(text).digest('hex'));
    expect(keyedDigestOf(key, reversedKeys(data))).toBe(keyedDigestOf(key, data));
    // Without the key, hashing a guess finds nothing: neither the plain hash nor another key's digest matches.
    expect(keyedDigestOf(key, data)).not.toBe(createHash('sha256').update(text).digest('hex'));
    expect(keyedDigestOf(Buffer.alloc(32, 2), data)).not.toBe(keyedDigestOf(key, data));
  });

  test('forExport leaves the data digests out unless asked for, and changes nothing else', () => {
    const entries = given.aChain(6);
    expect(entries.some((e) => e.dataDigest)).toBe(true);
    const court = forExport(entries, false);
    expect(court.some((e) => 'dataDigest' in e)).toBe(false);
    expect(court.map(({ hash }) => hash)).toEqual(entries.map(({ hash }) => hash));
    expect(forExport(entries, true)).toEqual(entries);
  });
});

describe('chainNext and hashEntry', () => {
  test('the first entry is number 1 and links to GENESIS', () => {
    const first = chainNext(given.aDraft(1), undefined);
    expect(first.seq).toBe(1);
    expect(first.prevHash).toBe(GENESIS);
  });

  test('each next entry is numbered one on and links to the hash of the one before', () => {
    const [a, b, c] = given.aChain(3) as [AuditEntry, AuditEntry, AuditEntry];
    expect([b.seq, c.seq]).toEqual([2, 3]);
    expect(b.prevHash).toBe(a.hash);
    expect(c.prevHash).toBe(b.hash);
  });

  test('an entry hash is the sha256 of its canonical fields, hash excluded', () => {
    const e = chainNext(given.aDraft(1, { detail: 'opened' }), undefined);
    const { hash, ...rest } = e;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashEntry(rest));
    expect(hash).toBe(createHash('sha256').update(canonical(rest)).digest('hex'));
  });

  test('keeps the draft as given', () => {
    const draft = given.aDraft(3, { detail: 'viewed' });
    expect(chainNext(draft, undefined)).toMatchObject(draft);
  });

  test.each(FIELDS.filter((f) => f !== 'hash'))('the hash depends on %s', (field) => {
    const e = chainNext(given.aDraft(15), given.aChain(1)[0]);
    const { hash: _ignored, ...rest } = altered(e, field);
    expect(hashEntry(rest)).not.toBe(e.hash);
  });

  test('the hash ignores fields that are not part of an entry, and key order', () => {
    const e = chainNext(given.aDraft(2), undefined);
    const { hash, ...rest } = e;
    expect(hashEntry({ ...(reversedKeys(rest) as typeof rest), extra: 'ignored' } as typeof rest)).toBe(hash);
  });
});

describe('verifyChain', () => {
  test('an empty chain is valid, with GENESIS as its head', () => {
    expect(verifyChain([])).toEqual({ valid: true, entries: 0, head: GENESIS });
  });

  test.each([1, 2, 7, 30])('a chain of %i entries built by chainNext is valid, its head the last hash', (n) => {
    const chain = given.aChain(n);
    expect(verifyChain(chain)).toEqual({ valid: true, entries: n, head: chain.at(-1)!.hash });
  });

  test('an entry whose hash was recomputed after an edit still breaks the link from the next entry', () => {
    const chain = given.aChain(5);
    const { hash: _old, ...rest } = { ...chain[1]!, actor: 'someone-else' };
    chain[1] = { ...rest, hash: hashEntry(rest) };
    expect(verifyChain(chain)).toMatchObject({ valid: false, firstBadSeq: 3 });
  });

  test('deleting an entry in the middle is found at the gap', () => {
    const chain = given.aChain(6);
    chain.splice(2, 1);
    expect(verifyChain(chain)).toEqual({ valid: false, entries: 5, head: chain.at(-1)!.hash, firstBadSeq: 3 });
  });

  test('deleting the first entry is found at once', () => {
    const chain = given.aChain(4).slice(1);
    expect(verifyChain(chain)).toMatchObject({ valid: false, firstBadSeq: 1 });
  });

  test('cutting entries off the end leaves a valid but shorter chain: only a head kept elsewhere shows it', () => {
    const chain = given.aChain(6);
    const full = verifyChain(chain);
    const cut = verifyChain(chain.slice(0, 4));
    expect(cut.valid).toBe(true);
    expect(cut.entries).toBe(4);
    expect(cut.head).not.toBe(full.head);
  });

  test('a copy of another entry inserted is found where it was put', () => {
    const chain = given.aChain(5);
    chain.splice(2, 0, chain[0]!);
    expect(verifyChain(chain)).toMatchObject({ valid: false, firstBadSeq: 3 });
  });

  test('a forged entry inserted with a correct link and hash is found at the entry after it', () => {
    const chain = given.aChain(5);
    const forged = chainNext(given.aDraft(99, { action: 'FORGED' }), chain[1]);
    chain.splice(2, 0, forged);
    expect(verifyChain(chain)).toMatchObject({ valid: false, firstBadSeq: 4 });
  });

  test('two entries swapped are found at the earlier position', () => {
    const chain = given.aChain(8);
    [chain[2], chain[5]] = [chain[5]!, chain[2]!];
    expect(verifyChain(chain)).toMatchObject({ valid: false, firstBadSeq: 3 });
  });

  test('a broken chain still reports its length and its stored head', () => {
    const chain = given.aChain(4);
    chain[3] = altered(chain[3]!, 'actor');
    expect(verifyChain(chain)).toEqual({ valid: false, entries: 4, head: chain[3]!.hash, firstBadSeq: 4 });
  });

  test('property: altering any field of any entry is found at that entry', () => {
    const scenario = fc.integer({ min: 1, max: 30 }).chain((length) =>
      fc.record({
        length: fc.constant(length),
        position: fc.integer({ min: 1, max: length }),
        field: fc.constantFrom(...FIELDS),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ length, position, field }) => {
        const chain = given.aChain(length);
        chain[position - 1] = altered(chain[position - 1]!, field);
        const verdict = verifyChain(chain);
        expect(verdict.valid).toBe(false);
        expect(verdict.firstBadSeq).toBe(position);
        expect(verdict.entries).toBe(length);
      }),
      { numRuns: 300 },
    );
  });

  test('property: deleting any entry but the last is found at its position', () => {
    const scenario = fc
      .integer({ min: 2, max: 30 })
      .chain((length) => fc.record({ length: fc.constant(length), position: fc.integer({ min: 1, max: length - 1 }) }));
    fc.assert(
      fc.property(scenario, ({ length, position }) => {
        const chain = given.aChain(length);
        chain.splice(position - 1, 1);
        expect(verifyChain(chain)).toMatchObject({ valid: false, firstBadSeq: position, entries: length - 1 });
      }),
    );
  });

  test('property: inserting a copied entry anywhere is found at the first place the numbering breaks', () => {
    const scenario = fc.integer({ min: 1, max: 30 }).chain((length) =>
      fc.record({
        length: fc.constant(length),
        position: fc.integer({ min: 1, max: length + 1 }),
        source: fc.integer({ min: 1, max: length }),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ length, position, source }) => {
        const chain = given.aChain(length);
        chain.splice(position - 1, 0, { ...chain[source - 1]! });
        // A copy put just before its own original is indistinguishable from it: the original, one on, is the first out of place.
        const expected = source === position ? position + 1 : position;
        expect(verifyChain(chain)).toMatchObject({ valid: false, firstBadSeq: expected, entries: length + 1 });
      }),
    );
  });

  test('property: swapping two entries is found at the earlier one', () => {
    const scenario = fc
      .integer({ min: 2, max: 30 })
      .chain((length) =>
        fc
          .uniqueArray(fc.integer({ min: 1, max: length }), { minLength: 2, maxLength: 2 })
          .map(([i, j]) => ({ length, first: Math.min(i!, j!), second: Math.max(i!, j!) })),
      );
    fc.assert(
      fc.property(scenario, ({ length, first, second }) => {
        const chain = given.aChain(length);
        [chain[first - 1], chain[second - 1]] = [chain[second - 1]!, chain[first - 1]!];
        expect(verifyChain(chain)).toMatchObject({ valid: false, firstBadSeq: first });
      }),
    );
  });
});
