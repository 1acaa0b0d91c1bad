import { ARREST_OUTCOMES, DELAY_GROUNDS } from '../schemas/vocabulary.js';
import { isOverdue } from './clock.js';
import { STAGES } from './stages.js';
import type { CaseRecord } from './records.js';

/** Hours between two times, kept to a tenth of an hour (what is published), so counters can hold them. */
const hoursBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 360_000) / 10;

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

/** Cases in which an order was considered, sought, made; and the court's powers on conviction and on acquittal used. */
const ORDER_TESTS = {
  considered: (c: CaseRecord) => decisionsOf(c).length > 0,
  sought: (c: CaseRecord) => decisionsOf(c).some((d) => d.decision !== 'not_sought'),
  made: (c: CaseRecord) => decisionsOf(c).some((d) => d.decision === 'made'),
  onConviction: (c: CaseRecord) =>
    decisionsOf(c).some((d) => d.power === 'on_conviction' && d.decision !== 'not_sought'),
  onAcquittal: (c: CaseRecord) => decisionsOf(c).some((d) => d.power === 'on_acquittal' && d.decision !== 'not_sought'),
};

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
    protectionOrders: Object.fromEntries(
      Object.entries(ORDER_TESTS).map(([k, test]) => [k, casesWhere(cases, test)]),
    ) as Record<keyof typeof ORDER_TESTS, Figure>,
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

/**
 * Counters a force keeps as its cases move (GET /stats and `npm run stats`
 * read them, never the cases): named numbers, additive over cases, so the
 * force's counters are the sum of what each of its cases adds, and a write
 * that moves a case adds the difference between what it added before and
 * what it adds now. Durations are kept as counts per tenth of an hour, and
 * open Victims' Code updates by due time, so that what is overdue is worked
 * out at the time of asking.
 */
export type Counts = Record<string, number>;

const add = (t: Counts, key: string, n = 1) => {
  if (n) t[key] = (t[key] ?? 0) + n;
};

const STAT_KEYS = {
  cases: 'cases',
  stage: (s: string) => `stage#${s}`,
  outcome: (o: string) => `outcome#${o}`,
  delays: (g: string) => `delays#${g}`,
  delayCases: (g: string) => `delayCases#${g}`,
  orders: (k: string) => `orders#${k}`,
  identificationHours: (h: number | string) => `idHours#${h}`,
  disclosureHours: (h: number | string) => `disclosureHours#${h}`,
  updates: (k: string) => `updates#${k}`,
  updateCases: (k: string) => `updateCases#${k}`,
  openUpdateDue: (at: string) => `openDue#${at}`,
  firstOpenDue: (at: string) => `firstOpenDue#${at}`,
  lastOpenDue: (at: string) => `lastOpenDue#${at}`,
};

/** What one case adds to its force's counters. */
export function caseCounts(c: CaseRecord): Counts {
  const t: Counts = {};
  add(t, STAT_KEYS.cases);
  add(t, STAT_KEYS.stage(c.stage));
  for (const o of new Set(c.arrests.map((a) => a.outcome))) add(t, STAT_KEYS.outcome(o));
  for (const g of new Set(c.delays.map((d) => d.ground))) {
    add(t, STAT_KEYS.delays(g), c.delays.filter((d) => d.ground === g).length);
    add(t, STAT_KEYS.delayCases(g));
  }
  for (const [k, test] of Object.entries(ORDER_TESTS)) if (test(c)) add(t, STAT_KEYS.orders(k));
  if (c.identification?.status === 'approved')
    add(t, STAT_KEYS.identificationHours(hoursBetween(c.createdAt, c.identification.proposedAt)));
  if (c.disclosure?.approvedAt) add(t, STAT_KEYS.disclosureHours(hoursBetween(c.createdAt, c.disclosure.approvedAt)));
  const updates = c.arrestTrack?.victimUpdates ?? [];
  const done = {
    total: updates,
    onTime: updates.filter((u) => u.doneAt && Date.parse(u.doneAt) <= Date.parse(u.dueAt)),
    late: updates.filter((u) => u.doneAt && Date.parse(u.doneAt) > Date.parse(u.dueAt)),
  };
  for (const [k, list] of Object.entries(done)) {
    add(t, STAT_KEYS.updates(k), list.length);
    if (list.length) add(t, STAT_KEYS.updateCases(k));
  }
  // A case has an overdue update when its earliest open one is overdue, and one not yet due when its latest open one is not.
  const open = updates.filter((u) => !u.doneAt).sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  for (const u of open) add(t, STAT_KEYS.openUpdateDue(u.dueAt));
  if (open.length) {
    add(t, STAT_KEYS.firstOpenDue(open[0]!.dueAt));
    add(t, STAT_KEYS.lastOpenDue(open.at(-1)!.dueAt));
  }
  return t;
}

/** Counters added together (a force's month and shard items into one); what sums to zero is left out. */
export function sumCounts(parts: readonly Counts[]): Counts {
  const t: Counts = {};
  for (const p of parts) for (const [k, n] of Object.entries(p)) add(t, k, n);
  for (const k of Object.keys(t)) if (t[k] === 0) delete t[k];
  return t;
}

const negated = (t: Counts): Counts => Object.fromEntries(Object.entries(t).map(([k, n]) => [k, -n]));

/** What a write that moves a case from `before` (none: a new case) to `after` adds to the counters. */
export const countsDelta = (before: CaseRecord | undefined, after: CaseRecord): Counts =>
  sumCounts([caseCounts(after), before ? negated(caseCounts(before)) : {}]);

/** The figures of caseFigures, from the force's counters at the time `now`. */
export function figuresFromCounts(t: Counts, now: string): CaseFigures {
  const n = (key: string) => t[key] ?? 0;
  const each = (key: string) => ({ value: n(key), cases: n(key) });
  const byPrefix = (prefix: string, test: (rest: string) => boolean = () => true) =>
    Object.entries(t)
      .filter(([k]) => k.startsWith(prefix) && test(k.slice(prefix.length)))
      .reduce((sum, [, v]) => sum + v, 0);
  const hours = (prefix: string) =>
    Object.entries(t)
      .filter(([k, v]) => k.startsWith(prefix) && v > 0)
      .flatMap(([k, v]) => Array.from({ length: v }, () => Number(k.slice(prefix.length))));
  const durations = (values: number[]) => ({ ...summary(values), cases: values.length });
  const prefixOf = (key: (x: string) => string) => key('');
  const hoursOf = (key: (x: string) => string) => hours(prefixOf(key));
  const overdue = (at: string) => isOverdue(at, now);
  return {
    generatedAt: now,
    cases: each(STAT_KEYS.cases),
    byStage: Object.fromEntries(STAGES.map((s) => [s, each(STAT_KEYS.stage(s))])),
    byOutcome: Object.fromEntries(ARREST_OUTCOMES.map((o) => [o, each(STAT_KEYS.outcome(o))])),
    timeToIdentification: durations(hoursOf(STAT_KEYS.identificationHours)),
    timeToDisclosure: durations(hoursOf(STAT_KEYS.disclosureHours)),
    delaysByGround: Object.fromEntries(
      DELAY_GROUNDS.map((g) => [g, { value: n(STAT_KEYS.delays(g)), cases: n(STAT_KEYS.delayCases(g)) }]),
    ),
    protectionOrders: Object.fromEntries(Object.keys(ORDER_TESTS).map((k) => [k, each(STAT_KEYS.orders(k))])) as Record<
      keyof typeof ORDER_TESTS,
      Figure
    >,
    victimUpdates: {
      total: { value: n(STAT_KEYS.updates('total')), cases: n(STAT_KEYS.updateCases('total')) },
      onTime: { value: n(STAT_KEYS.updates('onTime')), cases: n(STAT_KEYS.updateCases('onTime')) },
      late: { value: n(STAT_KEYS.updates('late')), cases: n(STAT_KEYS.updateCases('late')) },
      overdue: {
        value: byPrefix(prefixOf(STAT_KEYS.openUpdateDue), overdue),
        cases: byPrefix(prefixOf(STAT_KEYS.firstOpenDue), overdue),
      },
      notYetDue: {
        value: byPrefix(prefixOf(STAT_KEYS.openUpdateDue), (at) => !overdue(at)),
        cases: byPrefix(prefixOf(STAT_KEYS.lastOpenDue), (at) => !overdue(at)),
      },
    },
  };
}
