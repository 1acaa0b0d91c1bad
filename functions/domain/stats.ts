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

/** Aggregates with no personal data: counts and durations only. */
export function caseStatistics(cases: readonly CaseRecord[], now: string) {
  const byStage = Object.fromEntries(STAGES.map((s) => [s, cases.filter((c) => c.stage === s).length]));
  const identified = cases.filter((c) => c.identification?.status === 'approved');
  const disclosed = cases.filter((c) => c.disclosure?.approvedAt);
  const delaysByGround: Record<string, number> = {};
  for (const c of cases) for (const d of c.delays) delaysByGround[d.ground] = (delaysByGround[d.ground] ?? 0) + 1;
  return {
    generatedAt: now,
    cases: cases.length,
    byStage,
    timeToIdentification: summary(identified.map((c) => hoursBetween(c.createdAt, c.identification!.proposedAt))),
    timeToDisclosure: summary(disclosed.map((c) => hoursBetween(c.createdAt, c.disclosure!.approvedAt))),
    delaysByGround,
  };
}
