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

export function candidates(requests: readonly RequestRecord[]): Candidate[] {
  const returned = requests.filter((r) => r.status === 'returned' && r.returned?.subscriber?.name);
  const byName = new Map<string, { name: string; sources: RequestRecord[] }>();
  for (const r of returned) {
    const key = normaliseName(r.returned!.subscriber!.name!);
    const entry = byName.get(key) ?? { name: r.returned!.subscriber!.name!, sources: [] };
    entry.sources.push(r);
    byName.set(key, entry);
  }
  let n = 0;
  return [...byName.values()].map(({ name, sources }) => {
    const points: CandidatePoint[] = sources.map((r) =>
      r.kind === 'isp_resolution'
        ? { requestId: r.requestId, kind: 'ip_resolution', detail: `ISP subscriber for ${r.ip} at ${r.eventAt}` }
        : { requestId: r.requestId, kind: r.returned!.subscriber!.emails.length ? 'email' : 'other', detail: `subscriber of ${r.accountHandle ?? r.target}` },
    );
    const contradictions: CandidatePoint[] = returned
      .filter((r) => !sources.includes(r) && r.kind === 'isp_resolution' && sources.some((s) => s.requestId === r.sourceRequestId))
      .map((r) => ({ requestId: r.requestId, kind: 'ip_resolution', detail: `ISP subscriber for ${r.ip} is someone else` }));
    n += 1;
    return { candidateId: `cand-${String(n).padStart(3, '0')}`, name, points, contradictions };
  });
}
