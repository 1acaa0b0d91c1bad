import { createHash } from 'node:crypto';

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

/** A digest of data an entry concerns, so the trail proves what was seen or sent without holding it. */
export const digestOf = (data: unknown) => sha256(canonical(data));

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
 * Each day the heads of every chain are hashed together, with the previous
 * day's digest, and written where nothing can change them (S3 Object Lock).
 * A chain removed whole, or cut short, no longer matches what the digest saw.
 */
export interface DailyDigest {
  day: string;
  previous: string;
  heads: ChainHead[];
  digest: string;
}

export function dailyDigest(day: string, heads: readonly ChainHead[], previous: string = GENESIS): DailyDigest {
  const sorted = [...heads].sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
  return { day, previous, heads: sorted, digest: sha256(canonical({ day, previous, heads: sorted })) };
}

export type DigestProblem =
  | { caseId: string; problem: 'chain_missing' }
  | { caseId: string; problem: 'chain_shortened'; digestSeq: number; seq: number }
  | { caseId: string; problem: 'entry_changed'; seq: number }
  | { day: string; problem: 'digest_altered' | 'digest_unlinked' };

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
  if (dailyDigest(d.day, d.heads, d.previous).digest !== d.digest)
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
