import type { RequestRecord } from './records.js';

/**
 * Candidates from the returns of a case: identifiers shared across sources
 * (subscriber name, email, phone, installation address) grouped together,
 * each with the points that support it. A point is one returned request.
 */
export interface CandidatePoint {
  requestId: string;
  kind: 'ip_resolution' | 'email' | 'phone' | 'installation_address' | 'other';
  detail: string;
}
export interface Candidate {
  candidateId: string;
  name: string;
  points: CandidatePoint[];
  contradictions: CandidatePoint[];
}

export const normaliseName = (name: string) => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
export const normaliseEmail = (email: string) => email.trim().toLowerCase();
/** E.164 where it can be read: 00 is the international prefix, a lone 0 the UK trunk prefix, "+44 (0)" a UK number written twice over. */
export const normalisePhone = (phone: string) => {
  const digits = phone.replace(/\(0\)/g, '').replace(/[^\d+]/g, '');
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  if (digits.startsWith('0')) return `+44${digits.slice(1)}`;
  return digits;
};

/** An installation address as one comparable key: postcode without spaces, and the first line, both folded. */
export const normaliseAddress = (a: { lines: readonly string[]; postcode: string }) =>
  `${a.postcode.replace(/\s+/g, '').toUpperCase()}|${normaliseName(a.lines[0] ?? '')}`;

/** The identifiers a return holds, each normalised, so the same fact written two ways is one fact. */
export function identifiersOf(r: RequestRecord): {
  names: string[];
  emails: string[];
  phones: string[];
  addresses: string[];
} {
  const s = r.returned?.subscriber;
  const address = r.returned?.installationAddress;
  return {
    names: s?.name ? [normaliseName(s.name)] : [],
    emails: (s?.emails ?? []).map(normaliseEmail),
    phones: (s?.phones ?? []).map(normalisePhone),
    addresses: address ? [normaliseAddress(address)] : [],
  };
}

const describe = (r: RequestRecord) =>
  r.kind === 'isp_resolution'
    ? `ISP subscriber for ${r.ip} at ${r.eventAt}`
    : `subscriber of ${r.accountHandle ?? r.target}`;

/**
 * Candidates across all returns of a case. A candidate is a person named by
 * a return; the points for them are the returned requests that name them or
 * share one of their emails, phones or installation addresses, one point per
 * request (one request is one source, however many facts it repeats). The
 * points against them: an ISP naming someone else for an address their
 * account logged in from, an installation address that differs, or a return
 * that gives only a billing address (billing is not where the device was).
 */
export function candidates(requests: readonly RequestRecord[]): Candidate[] {
  const returned = requests.filter((r) => r.status === 'returned' && r.returned);
  const named = returned.filter((r) => r.returned!.subscriber?.name);
  const byName = new Map<string, { name: string; sources: RequestRecord[] }>();
  for (const r of named) {
    const key = normaliseName(r.returned!.subscriber!.name!);
    const entry = byName.get(key) ?? { name: r.returned!.subscriber!.name!, sources: [] };
    entry.sources.push(r);
    byName.set(key, entry);
  }
  let n = 0;
  return [...byName.values()].map(({ name, sources }) => {
    const ids = sources.map(identifiersOf);
    const emails = new Set(ids.flatMap((i) => i.emails));
    const phones = new Set(ids.flatMap((i) => i.phones));
    const addresses = new Set(ids.flatMap((i) => i.addresses));
    const supporting = new Map<string, CandidatePoint>();
    for (const r of sources) {
      const own = identifiersOf(r);
      const kind: CandidatePoint['kind'] =
        r.kind === 'isp_resolution'
          ? 'ip_resolution'
          : own.emails.length
            ? 'email'
            : own.phones.length
              ? 'phone'
              : own.addresses.length
                ? 'installation_address'
                : 'other';
      supporting.set(r.requestId, { requestId: r.requestId, kind, detail: describe(r) });
    }
    // Returns without this name that share an email, phone or installation address with it.
    for (const r of returned) {
      if (supporting.has(r.requestId) || r.returned!.subscriber?.name) continue;
      const own = identifiersOf(r);
      const shared =
        own.emails.find((e) => emails.has(e)) !== undefined
          ? ('email' as const)
          : own.phones.find((p) => phones.has(p)) !== undefined
            ? ('phone' as const)
            : own.addresses.find((a) => addresses.has(a)) !== undefined
              ? ('installation_address' as const)
              : undefined;
      if (shared)
        supporting.set(r.requestId, {
          requestId: r.requestId,
          kind: shared,
          detail: `${describe(r)} shares a known ${shared.replace('_', ' ')}`,
        });
    }
    const sourceIds = new Set(supporting.keys());
    const contradictions: CandidatePoint[] = [];
    for (const r of returned) {
      if (sourceIds.has(r.requestId)) continue;
      if (
        r.kind === 'isp_resolution' &&
        r.sourceRequestId &&
        sourceIds.has(r.sourceRequestId) &&
        r.returned!.subscriber?.name
      )
        contradictions.push({
          requestId: r.requestId,
          kind: 'ip_resolution',
          detail: `ISP subscriber for ${r.ip} is someone else`,
        });
    }
    for (const r of sources) {
      const own = identifiersOf(r);
      if (r.kind === 'isp_resolution' && own.addresses.length && addresses.size > 1)
        contradictions.push({
          requestId: r.requestId,
          kind: 'installation_address',
          detail: 'installation addresses of this person differ between ISP returns',
        });
      if (r.kind === 'isp_resolution' && !own.addresses.length && r.returned!.billingAddress)
        contradictions.push({
          requestId: r.requestId,
          kind: 'installation_address',
          detail: 'the ISP gave a billing address only: not where the connection was installed',
        });
    }
    n += 1;
    return {
      candidateId: `cand-${String(n).padStart(3, '0')}`,
      name,
      points: [...supporting.values()],
      contradictions,
    };
  });
}

/** The suspect's names on a case: the proposed name and its aliases. */
export const suspectNames = (k: {
  identification?: { suspect: { name: string; aliases: readonly string[] } };
}): string[] => (k.identification ? [k.identification.suspect.name, ...k.identification.suspect.aliases] : []);

/** Identifiers of a case that another case might share: suspect names and every normalised identifier returned. */
export function caseIdentifiers(requests: readonly RequestRecord[], suspectNames: readonly string[]): Set<string> {
  const out = new Set<string>(suspectNames.map((n) => `name:${normaliseName(n)}`));
  for (const r of requests.filter((x) => x.status === 'returned')) {
    const ids = identifiersOf(r);
    for (const n of ids.names) out.add(`name:${n}`);
    for (const e of ids.emails) out.add(`email:${e}`);
    for (const p of ids.phones) out.add(`phone:${p}`);
    for (const a of ids.addresses) out.add(`address:${a}`);
  }
  return out;
}

/** What two cases' identifiers have in common, by kind: the duplicate-target search. */
export function sharedIdentifiers(a: ReadonlySet<string>, b: ReadonlySet<string>): string[] {
  return [...new Set([...a].filter((x) => b.has(x)).map((x) => x.split(':')[0]!))].sort();
}

/** Another case of the force sharing identifiers with this one, and the kinds it shares. */
export interface DuplicateTarget {
  caseId: string;
  crimeReference: string;
  shared: string[];
}

/**
 * The other cases holding each of a case's identifiers (as the identifier index found them), case by case: each
 * with the kinds of identifier it shares, the case itself left out, at most `perIdentifier` for one identifier.
 */
export function duplicateTargets(
  caseId: string,
  holders: readonly { identifier: string; cases: readonly { caseId: string; crimeReference: string }[] }[],
  perIdentifier: number,
): DuplicateTarget[] {
  const shared = new Map<string, { crimeReference: string; kinds: Set<string> }>();
  for (const { identifier, cases } of holders)
    for (const other of cases.filter((c) => c.caseId !== caseId).slice(0, perIdentifier)) {
      const entry = shared.get(other.caseId) ?? { crimeReference: other.crimeReference, kinds: new Set<string>() };
      shared.set(other.caseId, entry);
      entry.kinds.add(identifier.split(':')[0]!);
    }
  return [...shared].map(([id, { crimeReference, kinds }]) => ({
    caseId: id,
    crimeReference,
    shared: [...kinds].sort(),
  }));
}

type IdentifierKind = 'email' | 'phone' | 'address';
const IDENTIFIER_WORDS: Record<IdentifierKind, string> = {
  email: 'an email address',
  phone: 'a phone number',
  address: 'an installation address',
};
/** A return's emails, phones and installation addresses as `kind:value` keys. */
const identifierKeys = (r: RequestRecord) => {
  const ids = identifiersOf(r);
  return [
    ...ids.emails.map((e) => `email:${e}`),
    ...ids.phones.map((p) => `phone:${p}`),
    ...ids.addresses.map((a) => `address:${a}`),
  ];
};

/** Whether one cited point supports the named person, and why; the accounts it ties to them when it does. */
export interface PointVerdict {
  requestId: string;
  stands: boolean;
  reason: string;
  accountIds: string[];
}

/**
 * docs/api.md: a point stands only if its return supports the named
 * person: the suspect's name or an alias is in that return, or the return
 * holds an identifier (email, phone, installation address) that another cited
 * return, one that names the person, ties to that name. A return naming
 * someone else, or no one, stands only through such an identifier. A standing
 * point ties to the suspect the account its return is about (for an ISP
 * return, the account whose login it resolved).
 */
export function judgePoints(
  suspect: { name: string; aliases: readonly string[] },
  points: readonly { requestId: string }[],
  requests: readonly RequestRecord[],
): PointVerdict[] {
  const names = new Set([suspect.name, ...suspect.aliases].map(normaliseName));
  const byId = new Map(requests.map((r) => [r.requestId, r]));
  const returned = (id: string) => {
    const r = byId.get(id);
    return r?.status === 'returned' && r.returned ? r : undefined;
  };
  const namesSuspect = (r: RequestRecord) => identifiersOf(r).names.some((n) => names.has(n));
  const naming = [...new Set(points.map((p) => p.requestId))]
    .map(returned)
    .filter((r): r is RequestRecord => !!r && namesSuspect(r));
  /** The identifiers the cited returns naming the suspect tie to them. */
  const tied = new Set(naming.flatMap(identifierKeys));
  const accountOf = (r: RequestRecord): string[] => {
    if (r.accountId) return [r.accountId];
    const source = r.sourceRequestId ? byId.get(r.sourceRequestId) : undefined;
    return source?.accountId ? [source.accountId] : [];
  };
  return points.map(({ requestId }) => {
    const r = returned(requestId);
    if (!r) return { requestId, stands: false, reason: 'is not a returned request of this case', accountIds: [] };
    if (namesSuspect(r))
      return { requestId, stands: true, reason: 'the return names the suspect', accountIds: accountOf(r) };
    const shared = identifierKeys(r).find((key) => tied.has(key));
    if (shared)
      return {
        requestId,
        stands: true,
        reason: `the return holds ${IDENTIFIER_WORDS[shared.slice(0, shared.indexOf(':')) as IdentifierKind]} that another cited return ties to the suspect`,
        accountIds: accountOf(r),
      };
    return {
      requestId,
      stands: false,
      reason: `${identifiersOf(r).names.length ? 'the return names someone else' : 'the return names no one'}, and holds no email, phone or installation address that another cited return ties to the suspect`,
      accountIds: [],
    };
  });
}
