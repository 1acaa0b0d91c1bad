import { createHash, createHmac } from 'node:crypto';

/**
 * One hash chain per case. An entry never holds personal data: only ids and a
 * digest of the data it concerns (Data Protection Act 2018 s.62 logging, with
 * the data minimised).
 */
export interface AuditEntry {
  caseId: string;
  seq: number;
  at: string;
  actor: string;
  action: string;
  ids: Record<string, string>;
  dataDigest?: string;
  detail?: string;
  prevHash: string;
  hash: string;
}

export type AuditDraft = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

export const GENESIS = '0'.repeat(64);

/** Canonical JSON: keys sorted at every depth, so a hash never depends on insertion order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * A digest of data an entry concerns, so the trail proves what was seen or
 * sent without holding it. Keyed (HMAC-SHA-256): a plain hash of data with
 * little entropy (a phone number, a date of birth) gives the data away to
 * anyone who can guess and hash, so the key is held where the trail, its
 * readers and its exports never are (adapters/auditKey.ts). The force, which
 * holds the key, can still show that given data is what an entry concerns.
 */
export const keyedDigestOf = (key: Uint8Array, data: unknown) =>
  createHmac('sha256', key).update(canonical(data)).digest('hex');

/**
 * The trail as it goes into a court export: the data digests left out
 * unless asked for (each entry's hash still covers its digest, so the chain's
 * verification stands on the force's word, made before the export).
 */
export function forExport(entries: readonly AuditEntry[], withDigests: boolean): AuditEntry[] {
  return withDigests ? [...entries] : entries.map(({ dataDigest: _withheld, ...e }) => e);
}

export function hashEntry(entry: Omit<AuditEntry, 'hash'>): string {
  const { caseId, seq, at, actor, action, ids, dataDigest, detail, prevHash } = entry;
  return sha256(canonical({ caseId, seq, at, actor, action, ids, dataDigest, detail, prevHash }));
}

export function chainNext(draft: AuditDraft, previous: AuditEntry | undefined): AuditEntry {
  const seq = previous ? previous.seq + 1 : 1;
  const prevHash = previous ? previous.hash : GENESIS;
  const partial = { ...draft, seq, prevHash };
  return { ...partial, hash: hashEntry(partial) };
}

export interface ChainVerdict {
  valid: boolean;
  entries: number;
  head: string;
  firstBadSeq?: number;
}

/** Recompute the chain from the start; the first entry whose number, link or hash is wrong is named. */
export function verifyChain(entries: readonly AuditEntry[]): ChainVerdict {
  let prevHash = GENESIS;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const { hash, ...rest } = e;
    if (e.seq !== i + 1 || e.prevHash !== prevHash || hashEntry(rest) !== hash) {
      return { valid: false, entries: entries.length, head: entries.at(-1)?.hash ?? GENESIS, firstBadSeq: i + 1 };
    }
    prevHash = hash;
  }
  return { valid: true, entries: entries.length, head: prevHash };
}

/** The head of one case's chain: how long it is and the hash it ends on. */
export interface ChainHead {
  caseId: string;
  seq: number;
  hash: string;
}

/**
 * Each day the heads of the chains that moved since the previous digest are
 * hashed together, with that digest, and written where nothing can change
 * them (S3 Object Lock); a chain that did not move is held by the digest that
 * last saw it, to which the day's links. A chain removed whole, or cut short,
 * no longer matches what a digest saw.
 */
export interface DailyDigest {
  day: string;
  previous: string;
  heads: ChainHead[];
  /**
   * The consultation log's seal (domain/consultations.ts sealConsultations): the people's views of cases, which
   * are not chain entries, recorded in the digest's range. Digests written before the log have none.
   */
  consultations?: { from: string; to: string; count: number; hash: string };
  digest: string;
}

export function dailyDigest(
  day: string,
  heads: readonly ChainHead[],
  previous: string = GENESIS,
  consultations?: DailyDigest['consultations'],
): DailyDigest {
  const sorted = [...heads].sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
  return {
    day,
    previous,
    heads: sorted,
    ...(consultations ? { consultations } : {}),
    digest: sha256(canonical({ day, previous, heads: sorted, consultations })),
  };
}

export type DigestProblem =
  | { caseId: string; problem: 'chain_missing' }
  | { caseId: string; problem: 'chain_shortened'; digestSeq: number; seq: number }
  | { caseId: string; problem: 'entry_changed'; seq: number }
  | { day: string; problem: 'digest_altered' | 'digest_unlinked' | 'consultations_changed' };

/**
 * What a stored digest says against the chains as they are now: every chain
 * it saw must still exist, at least as long, with the same entry at the
 * length it saw. `entryHashAt` reads the stored entry's hash at a sequence.
 */
export function checkDigest(
  d: DailyDigest,
  now: ReadonlyMap<string, ChainHead>,
  entryHashAt: (caseId: string, seq: number) => string | undefined,
  previous?: DailyDigest,
): DigestProblem[] {
  const problems: DigestProblem[] = [];
  if (dailyDigest(d.day, d.heads, d.previous, d.consultations).digest !== d.digest)
    problems.push({ day: d.day, problem: 'digest_altered' });
  if (previous && d.previous !== previous.digest) problems.push({ day: d.day, problem: 'digest_unlinked' });
  for (const h of d.heads) {
    const current = now.get(h.caseId);
    if (!current) problems.push({ caseId: h.caseId, problem: 'chain_missing' });
    else if (current.seq < h.seq)
      problems.push({ caseId: h.caseId, problem: 'chain_shortened', digestSeq: h.seq, seq: current.seq });
    else if (entryHashAt(h.caseId, h.seq) !== h.hash)
      problems.push({ caseId: h.caseId, problem: 'entry_changed', seq: h.seq });
  }
  return problems;
}

/** An entry as stored: the once key it was appended under, if any (not part of its hash). */
export type StoredEntry = AuditEntry & { once?: string };

/**
 * What an append needs of the store, each a single read or a single
 * conditional write (the store has no transactions):
 * - the entries themselves are the truth: `putEntry` succeeds only if its
 *   sequence number is new, so two appenders never both win a number;
 * - a once key's marker names the entry appended under it (`putMarker` writes
 *   it only if there is none, so writing it again is harmless);
 * - the head names the last entry whose marker is on record (`putHead` only
 *   ever moves it forward); the daily digest reads heads, never entries.
 */
export interface ChainStore {
  /** The entry with the highest sequence number (a consistent read of one item). */
  tail(caseId: string): Promise<StoredEntry | undefined>;
  /** The sequence number the head names, 0 for a chain with none. */
  headSeq(caseId: string): Promise<number>;
  /** The entry a once key was appended as, if its marker is on record. */
  marker(caseId: string, once: string): Promise<AuditEntry | undefined>;
  /** The entry a once key was appended as, if this store already knows it without a read (markers never change). */
  remembered?(caseId: string, once: string): AuditEntry | undefined;
  /** Write the entry if its sequence number is new; false if another appender has it. */
  putEntry(entry: StoredEntry): Promise<boolean>;
  /** Write the once key's marker unless it has one. */
  putMarker(caseId: string, once: string, entry: AuditEntry): Promise<void>;
  /** Move the head forward to this entry (never back). */
  putHead(entry: AuditEntry): Promise<void>;
  /** Wait before another try (with jitter), after losing a sequence number to another appender. */
  pause(attempt: number): Promise<void>;
}

const withoutOnce = ({ once: _, ...entry }: StoredEntry): AuditEntry => entry;

/**
 * Append an entry at a cost that does not grow with the chain: the tail, the
 * head and, with a once key, its marker; never a read of the chain.
 *
 * The order of the writes (entry, then its marker, then the head) and one
 * rule keep it right without transactions: before writing entry n+1, an
 * appender that finds the head short of the tail n completes what n's writer
 * left undone (its marker, then the head). So every entry but the last has
 * its marker, and a crash between two writes leaves a state the next append
 * completes. A once key is appended at most once: an appender reads the tail
 * first, then the marker; the key is then either the tail's (found), on an
 * earlier entry (whose marker the read finds), or nowhere up to the tail, and
 * the conditional write of the next number lets only one appender past it.
 *
 * Returns undefined when every try lost its number to another appender.
 */
export async function appendToChain(
  store: ChainStore,
  draft: AuditDraft,
  once?: string,
  attempts = 40,
): Promise<AuditEntry | undefined> {
  const { caseId } = draft;
  // A marker the store already knows answers at once. Otherwise no look before the tail: a marker read before the
  // tail proves nothing, so it would only be a second read of the marker for every new key (the common case).
  const known = once ? store.remembered?.(caseId, once) : undefined;
  if (known) return known;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await store.pause(attempt);
    const [tail, headSeq] = await Promise.all([store.tail(caseId), store.headSeq(caseId)]);
    if (tail && headSeq < tail.seq) {
      // The tail's appender stopped before its marker or the head: finish its append first.
      if (tail.once) await store.putMarker(caseId, tail.once, withoutOnce(tail));
      await store.putHead(withoutOnce(tail));
    }
    if (once && tail) {
      if (tail.once === once) return withoutOnce(tail);
      const found = await store.marker(caseId, once);
      if (found) return found;
    }
    const entry = chainNext(draft, tail);
    if (!(await store.putEntry(once ? { ...entry, once } : entry))) continue;
    if (once) await store.putMarker(caseId, once, entry);
    await store.putHead(entry);
    return entry;
  }
  return undefined;
}
