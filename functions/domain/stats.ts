import { ARREST_OUTCOMES, DELAY_GROUNDS } from '../schemas/api.js';
import { isOverdue } from './clock.js';
import { STAGES } from './stages.js';
import type { CaseRecord } from './records.js';

const hoursBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 3_600_000;

function summary(values: number[]) {
  if (values.length === 0) return { count: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank for the 90th percentile; the median of an even count is the mean of the middle pair.
  const at = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { count: values.length, medianHours: Math.round(median * 10) / 10, p90Hours: Math.round(at(0.9) * 10) / 10 };
}

/** A figure and how many distinct cases it rests on: what small-number suppression looks at (domain/publication.ts). */
export interface Figure {
  value: number;
  cases: number;
}

/** Count cases, or things in cases, with the number of cases behind the count. */
function tally<T>(cases: readonly CaseRecord[], itemsOf: (c: CaseRecord) => readonly T[]): Figure {
  const per = cases.map((c) => itemsOf(c).length);
  return { value: per.reduce((a, b) => a + b, 0), cases: per.filter((n) => n > 0).length };
}
const casesWhere = (cases: readonly CaseRecord[], test: (c: CaseRecord) => boolean): Figure =>
  tally(cases, (c) => (test(c) ? [c] : []));

const decisionsOf = (c: CaseRecord) => (c.arrestTrack?.spoConsiderations ?? []).flatMap((s) => s.decisions);

/**
 * The figures behind GET /stats and `npm run stats`, unpublished: counts and
 * durations only, no personal data, each with the cases it rests on.
 */
export function caseFigures(cases: readonly CaseRecord[], now: string) {
  const identified = cases.filter((c) => c.identification?.status === 'approved');
  const disclosed = cases.filter((c) => c.disclosure?.approvedAt);
  const durations = (values: number[]) => ({ ...summary(values), cases: values.length });
  const updates = (c: CaseRecord) => c.arrestTrack?.victimUpdates ?? [];
  return {
    generatedAt: now,
    cases: { value: cases.length, cases: cases.length },
    byStage: Object.fromEntries(STAGES.map((s) => [s, casesWhere(cases, (c) => c.stage === s)])),
    /** Cases that recorded each outcome (a case moves through several). */
    byOutcome: Object.fromEntries(
      ARREST_OUTCOMES.map((o) => [o, casesWhere(cases, (c) => c.arrests.some((a) => a.outcome === o))]),
    ),
    timeToIdentification: durations(identified.map((c) => hoursBetween(c.createdAt, c.identification!.proposedAt))),
    timeToDisclosure: durations(disclosed.map((c) => hoursBetween(c.createdAt, c.disclosure!.approvedAt))),
    /** Delays approved, by ground. */
    delaysByGround: Object.fromEntries(
      DELAY_GROUNDS.map((g) => [g, tally(cases, (c) => c.delays.filter((d) => d.ground === g))]),
    ),
    /** Cases in which an order was considered, sought, made; and the court's powers on conviction and on acquittal used. */
    protectionOrders: {
      considered: casesWhere(cases, (c) => decisionsOf(c).length > 0),
      sought: casesWhere(cases, (c) => decisionsOf(c).some((d) => d.decision !== 'not_sought')),
      made: casesWhere(cases, (c) => decisionsOf(c).some((d) => d.decision === 'made')),
      onConviction: casesWhere(cases, (c) =>
        decisionsOf(c).some((d) => d.power === 'on_conviction' && d.decision !== 'not_sought'),
      ),
      onAcquittal: casesWhere(cases, (c) =>
        decisionsOf(c).some((d) => d.power === 'on_acquittal' && d.decision !== 'not_sought'),
      ),
    },
    /** Victims' Code updates: given by their due time, given late, not given and overdue, not yet due. */
    victimUpdates: {
      total: tally(cases, updates),
      onTime: tally(cases, (c) => updates(c).filter((u) => u.doneAt && Date.parse(u.doneAt) <= Date.parse(u.dueAt))),
      late: tally(cases, (c) => updates(c).filter((u) => u.doneAt && Date.parse(u.doneAt) > Date.parse(u.dueAt))),
      overdue: tally(cases, (c) => updates(c).filter((u) => !u.doneAt && isOverdue(u.dueAt, now))),
      notYetDue: tally(cases, (c) => updates(c).filter((u) => !u.doneAt && !isOverdue(u.dueAt, now))),
    },
  };
}
export type CaseFigures = ReturnType<typeof caseFigures>;

const values = <K extends string>(figures: Record<K, Figure>) =>
  Object.fromEntries(Object.entries<Figure>(figures).map(([k, f]) => [k, f.value])) as Record<K, number>;

/** The same figures with nothing withheld: for the force's own use and tests; what is published goes through domain/publication.ts. */
export function caseStatistics(cases: readonly CaseRecord[], now: string) {
  const f = caseFigures(cases, now);
  const { cases: _, ...identification } = f.timeToIdentification;
  const { cases: __, ...disclosure } = f.timeToDisclosure;
  return {
    generatedAt: now,
    cases: f.cases.value,
    byStage: values(f.byStage),
    byOutcome: values(f.byOutcome),
    timeToIdentification: identification,
    timeToDisclosure: disclosure,
    delaysByGround: Object.fromEntries(Object.entries(values(f.delaysByGround)).filter(([, n]) => n > 0)),
    protectionOrders: values(f.protectionOrders),
    victimUpdates: values(f.victimUpdates),
  };
}
