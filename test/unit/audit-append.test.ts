import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  appendToChain,
  verifyChain,
  type AuditDraft,
  type AuditEntry,
  type ChainStore,
  type StoredEntry,
} from '../../functions/domain/audit.js';

/**
 * appendToChain against a store in memory with the same single-item
 * semantics as the audit table (each call one read or one conditional write,
 * no transactions), its calls interleaved by fast-check's scheduler and
 * appenders cut short after any call, as a crash would.
 */
const CASE = 'case-000001';

class MemoryStore implements ChainStore {
  readonly entries = new Map<number, StoredEntry>();
  readonly markers = new Map<string, AuditEntry>();
  head = 0;
  last = 0;
  calls = 0;
  async tail() {
    this.calls++;
    return this.last ? structuredClone(this.entries.get(this.last)) : undefined;
  }
  async headSeq() {
    this.calls++;
    return this.head;
  }
  async marker(_caseId: string, once: string) {
    this.calls++;
    return structuredClone(this.markers.get(once));
  }
  async putEntry(entry: StoredEntry) {
    this.calls++;
    if (this.entries.has(entry.seq)) return false;
    this.entries.set(entry.seq, structuredClone(entry));
    this.last = Math.max(this.last, entry.seq);
    return true;
  }
  async putMarker(_caseId: string, once: string, entry: AuditEntry) {
    this.calls++;
    if (!this.markers.has(once)) this.markers.set(once, structuredClone(entry));
  }
  async putHead(entry: AuditEntry) {
    this.calls++;
    if (entry.seq > this.head) this.head = entry.seq;
  }
  async pause() {}
  chain(): StoredEntry[] {
    return [...this.entries.keys()].sort((a, b) => a - b).map((k) => this.entries.get(k)!);
  }
}

class Crash extends Error {}

/** The store with its entry write replaced. */
const withPutEntry = (store: MemoryStore, putEntry: ChainStore['putEntry']): ChainStore => ({
  tail: () => store.tail(),
  headSeq: () => store.headSeq(),
  marker: (c, o) => store.marker(c, o),
  putEntry,
  putMarker: (c, o, e) => store.putMarker(c, o, e),
  putHead: (e) => store.putHead(e),
  pause: () => store.pause(),
});

/** The store as one appender sees it: every call waits for the scheduler, and the appender stops after its `crashAfter`-th call. */
function appenderView(store: MemoryStore, s: fc.Scheduler, crashAfter: number | undefined): ChainStore {
  let n = 0;
  const step =
    <A extends unknown[], R>(name: string, f: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      await s.schedule(Promise.resolve(name));
      const out = await f.apply(store, a);
      if (++n === crashAfter) throw new Crash();
      return out;
    };
  return {
    tail: step('tail', store.tail),
    headSeq: step('headSeq', store.headSeq),
    marker: step('marker', store.marker),
    putEntry: step('putEntry', store.putEntry),
    putMarker: step('putMarker', store.putMarker),
    putHead: step('putHead', store.putHead),
    pause: step('pause', store.pause),
  };
}

const draft = (n: number): AuditDraft => ({
  caseId: CASE,
  at: new Date(Date.UTC(2026, 10, 30, 12, 0, n)).toISOString(),
  actor: `user-${n}`,
  action: 'step.done',
  ids: { n: String(n) },
});

const anAppender = fc.record({
  once: fc.constantFrom(undefined, 'k1', 'k2', 'k3'),
  crashAfter: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
});

/** Every entry that says it is in the chain is the stored entry at its number. */
function expectInChain(store: MemoryStore, entry: AuditEntry) {
  const { once: _, ...stored } = store.entries.get(entry.seq) ?? ({} as StoredEntry);
  expect(stored).toEqual(entry);
}

describe('appendToChain', () => {
  test('property: concurrent appenders cut short anywhere, then retried, leave one valid chain with each once key once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(anAppender, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 3 }),
        async (s, appenders, already) => {
          const store = new MemoryStore();
          for (let i = 0; i < already; i++) await appendToChain(store, draft(100 + i));
          const results = appenders.map(async (a, i) => {
            return appendToChain(appenderView(store, s, a.crashAfter), draft(i), a.once);
          });
          const settled = results.map((r) =>
            r.then(
              (entry) => ({ entry, crashed: false }),
              (e: unknown) => {
                if (!(e instanceof Crash)) throw e;
                return { entry: undefined, crashed: true };
              },
            ),
          );
          const first = await s.waitFor(Promise.all(settled));

          // Every entry but the last has its marker: what a crash leaves undone is at the tail only.
          const chain = store.chain();
          for (const e of chain.slice(0, -1)) if (e.once) expect(store.markers.get(e.once)?.seq).toBe(e.seq);
          expect(store.head).toBeGreaterThanOrEqual(Math.max(0, chain.length - 1));

          // The crashed appenders run again, as a workflow's retry does; then one more append completes the tail.
          const retried = await Promise.all(
            appenders.map((a, i) =>
              first[i]!.crashed ? appendToChain(store, draft(i), a.once) : Promise.resolve(first[i]!.entry),
            ),
          );
          const last = await appendToChain(store, draft(99));

          const final = store.chain();
          expect(verifyChain(final)).toMatchObject({ valid: true, entries: final.length });
          for (const e of [...retried, last]) expectInChain(store, e!);
          const keys = final.flatMap((e) => (e.once ? [e.once] : []));
          expect(new Set(keys).size).toBe(keys.length);
          for (const [i, a] of appenders.entries()) {
            if (!a.once) continue;
            expect(keys).toContain(a.once);
            // Appenders with one key all got the one entry.
            expect(retried[i]).toEqual(store.markers.get(a.once));
          }
          for (const e of final) if (e.once) expect(store.markers.get(e.once)?.seq).toBe(e.seq);
          expect(store.head).toBe(final.length);
          // No appender was written without the once key it was asked for, or with another's.
          const plain = appenders.filter((a) => !a.once).length;
          expect(final.length - keys.length - already - 1).toBeGreaterThanOrEqual(plain);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('costs the same calls at entry 10 and at entry 10,000', async () => {
    const store = new MemoryStore();
    const cost = async (d: AuditDraft, once?: string) => {
      const before = store.calls;
      await appendToChain(store, d, once);
      return store.calls - before;
    };
    for (let i = 0; i < 9; i++) await appendToChain(store, draft(i), `k${i}`);
    const at10 = [await cost(draft(10)), await cost(draft(11), 'k-new'), await cost(draft(12), 'k-new')];
    for (let i = 13; i < 10_000; i++) await appendToChain(store, draft(i), i % 3 ? undefined : `k${i}`);
    const at10000 = [
      await cost(draft(10_000)),
      await cost(draft(10_001), 'k-new2'),
      await cost(draft(10_002), 'k-new2'),
    ];
    expect(at10000).toEqual(at10);
    // A plain append: tail, head, entry, head. A new once key: tail, head, marker, entry, marker, head. Found (here
    // the tail's own key), in a store that does not remember markers: tail, head.
    expect(at10).toEqual([4, 6, 2]);
    // A store that remembers markers (the adapter keeps those its process has met) answers a found key with no call.
    const remembering: ChainStore = Object.assign(Object.create(store) as MemoryStore, {
      remembered: (_caseId: string, once: string) => structuredClone(store.markers.get(once)),
    });
    const before = store.calls;
    expect(await appendToChain(remembering, draft(10_003), 'k-new2')).toEqual(store.markers.get('k-new2'));
    expect(store.calls - before).toBe(0);
  });

  test('a once key on an entry whose writer stopped before its marker is found at the tail, and its marker and head written', async () => {
    const store = new MemoryStore();
    await appendToChain(store, draft(1));
    let n = 0;
    const crashing = withPutEntry(store, async (e) => {
      await store.putEntry(e);
      n++;
      throw new Crash();
    });
    await expect(appendToChain(crashing, draft(2), 'k')).rejects.toBeInstanceOf(Crash);
    expect(n).toBe(1);
    expect(store.markers.has('k')).toBe(false);
    expect(store.head).toBe(1);
    const again = await appendToChain(store, draft(2), 'k');
    expect(again?.seq).toBe(2);
    expect(store.markers.get('k')?.seq).toBe(2);
    expect(store.head).toBe(2);
    expect(store.chain()).toHaveLength(2);
  });

  test('a once key appended by another while this appender waits for its tail is found: its marker is read after the tail', async () => {
    const store = new MemoryStore();
    await appendToChain(store, draft(1));
    let open = () => {};
    const gate = new Promise<void>((r) => {
      open = r;
    });
    const slowTail: ChainStore = Object.assign(Object.create(store) as MemoryStore, {
      tail: async () => {
        await gate;
        return store.tail();
      },
    });
    const waiting = appendToChain(slowTail, draft(2), 'k');
    await new Promise((r) => setImmediate(r));
    // Meanwhile another appender records the key, and a third appends after it.
    const other = await appendToChain(store, draft(3), 'k');
    await appendToChain(store, draft(4));
    open();
    expect(await waiting).toEqual(other);
    expect(store.chain().filter((e) => e.once === 'k')).toHaveLength(1);
  });

  test('gives up (undefined) when every try loses its number', async () => {
    const store = new MemoryStore();
    const busy = withPutEntry(store, async () => false);
    expect(await appendToChain(busy, draft(1), undefined, 3)).toBeUndefined();
  });
});
