import { addSeconds } from './clock.js';
import { invalid } from './errors.js';
import { ipEventKey, ispRequestKey, selectIspEvents } from './ispSelection.js';
import { PLATFORM_PROFILES } from './platforms.js';
import { policy } from './policy.js';
import type { CaseRecord, IpEvent, RequestRecord } from './records.js';

/**
 * The requests a case makes (docs/process.md steps 3 and 4): to the platforms once the data request is approved
 * (preservation, then disclosure), and to ISPs for the IP events their returns hold, made on their own or chosen
 * by the SPoC; a preservation's renewal warning.
 */

/** Requests to make once a data request is approved: preservation then disclosure, per account. */
export function platformRequests(kase: CaseRecord, now: string, ids: () => string): RequestRecord[] {
  return kase.accounts.flatMap((a) => {
    const profile = PLATFORM_PROFILES[a.platform];
    const base = {
      caseId: kase.caseId,
      force: kase.force,
      crimeReference: kase.crimeReference,
      target: a.platform,
      accountId: a.accountId,
      accountHandle: a.handle,
      createdAt: now,
      tipOffRisk: profile.notifiesUser,
    };
    return [
      {
        ...base,
        requestId: ids(),
        kind: 'platform_preservation' as const,
        status: 'sent' as const,
        dueAt: addSeconds(now, policy.preservationRenewalWarningDays * policy.daySeconds),
      },
      {
        ...base,
        requestId: ids(),
        kind: 'platform_disclosure' as const,
        status: 'awaiting_return' as const,
        dueAt: addSeconds(now, policy.returnChaseSeconds),
      },
    ];
  });
}

/**
 * Seconds until a preservation's renewal warning is due: `warningSeconds` (policy.preservationRenewalWarningDays,
 * as the workflow counts time) after the request was made, none once it has been warned.
 */
export function renewalWarningIn(preservation: RequestRecord, warningSeconds: number, now: string): number {
  if (preservation.flags?.includes('renewal_due')) return 0;
  const elapsed = (Date.parse(now) - Date.parse(preservation.createdAt)) / 1000;
  return Math.max(0, Math.ceil(warningSeconds - elapsed));
}

/** RFC 6598 shared address space (100.64.0.0/10): many subscribers behind one address, told apart only by source port. */
export function isCarrierGradeNat(ip: string): boolean {
  const m = ip.match(/^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/);
  return !!m && Number(m[1]) === 100 && Number(m[2]) >= 64 && Number(m[2]) <= 127;
}

/**
 * ISP look-ups from the IP events in platform returns: one per distinct
 * address, time and port, and for each account at most
 * policy.ispRequestsPerAccount (newest distinct address and port first). A
 * local time that happened twice asks the ISP for both instants. Given a
 * `sourceRequestId`, only that return's events: its look-ups are made as soon
 * as it is in, whatever the other platforms' returns.
 */
export function ispRequests(
  requests: readonly RequestRecord[],
  kase: CaseRecord,
  now: string,
  ids: () => string,
  sourceRequestId?: string,
): RequestRecord[] {
  const seen = new Set(requests.filter((r) => r.kind === 'isp_resolution').map(ispRequestKey));
  const out: RequestRecord[] = [];
  for (const r of requests) {
    if (r.kind !== 'platform_disclosure' || r.status !== 'returned' || !r.returned) continue;
    if (sourceRequestId !== undefined && r.requestId !== sourceRequestId) continue;
    const events = r.returned.ipEvents;
    for (const i of selectIspEvents(events, policy.ispRequestsPerAccount)) {
      const e = events[i]!;
      const key = ipEventKey(e);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(ispRequest(kase, r, e, now, ids()));
    }
  }
  return out;
}

/** An ISP request still waiting for its return: the workflow watches it (chased, then given up). */
export const ispRequestOutstanding = (r: RequestRecord): boolean =>
  r.kind === 'isp_resolution' && (r.status === 'sent' || r.status === 'awaiting_return');

/**
 * ISP look-ups the SPoC chose from a platform's whole IP log (by row, 0-based):
 * each row that names an event not yet asked about becomes one request; a row
 * past the log's end is a 400 naming it. Returns the new requests, and the rows
 * already asked about.
 */
export function chosenIspRequests(
  kase: CaseRecord,
  source: RequestRecord,
  log: readonly IpEvent[],
  rows: readonly number[],
  existing: readonly RequestRecord[],
  chooser: { sub: string; name: string },
  now: string,
  ids: () => string,
): { made: RequestRecord[]; alreadyAsked: number[] } {
  const errors = rows.flatMap((row, i) =>
    row < log.length
      ? []
      : [{ path: `events.${i}`, message: `the log has ${log.length} rows (0 to ${log.length - 1})` }],
  );
  if (errors.length) throw invalid("every row chosen must be a row of this return's IP log", errors);
  const seen = new Set(existing.filter((r) => r.kind === 'isp_resolution').map(ispRequestKey));
  const made: RequestRecord[] = [];
  const alreadyAsked: number[] = [];
  for (const row of rows) {
    const e = log[row]!;
    const key = ipEventKey(e);
    if (seen.has(key)) {
      alreadyAsked.push(row);
      continue;
    }
    seen.add(key);
    made.push({ ...ispRequest(kase, source, e, now, ids()), chosenBy: chooser });
  }
  return { made, alreadyAsked };
}

/** One ISP look-up for one IP event of a platform return. */
export function ispRequest(
  kase: CaseRecord,
  source: RequestRecord,
  e: IpEvent,
  now: string,
  requestId: string,
): RequestRecord {
  return {
    requestId,
    caseId: kase.caseId,
    force: kase.force,
    crimeReference: kase.crimeReference,
    kind: 'isp_resolution',
    target: 'isp',
    ip: e.ip,
    ...(e.port !== undefined ? { port: e.port } : {}),
    eventAt: e.at.utc,
    ...(e.at.candidates ? { atCandidates: e.at.candidates } : {}),
    sourceRequestId: source.requestId,
    ...(source.accountId ? { accountId: source.accountId } : {}),
    accountHandle: source.accountHandle,
    // Without the source port an ISP cannot say which of its subscribers used a shared address.
    ...(isCarrierGradeNat(e.ip) && e.port === undefined ? { flags: ['cgnat_without_port'] } : {}),
    status: 'awaiting_return',
    createdAt: now,
    dueAt: addSeconds(now, policy.returnChaseSeconds),
    tipOffRisk: false,
  };
}
