import { policy } from './policy.js';
import type { CaseFigures, Figure } from './stats.js';

/**
 * Published figures (GET /stats, `npm run stats`): small-number suppression,
 * so that no published cell rests on fewer cases than the threshold (5), and
 * none can be worked out from the others: where a group adds up to a
 * published total and only one of its cells is withheld, the next smallest
 * is withheld too. A withheld cell is null in JSON and "<5" in CSV.
 */
export type Cell = number | null;

export const suppressionNote = (threshold: number) =>
  `Figures resting on fewer than ${threshold} cases are withheld (null in JSON, "<${threshold}" in CSV), zeros included; where a withheld figure could be worked out from a total, the next smallest figure is withheld too.`;

type Group<K extends string> = Record<K, Figure>;

function publishGroup<K extends string>(
  name: string,
  figures: Group<K>,
  threshold: number,
  withheld: string[],
  total?: Figure,
): Record<K, Cell> {
  const keys = Object.keys(figures) as K[];
  const hidden = new Set(keys.filter((k) => figures[k].cases < threshold));
  if (total && total.cases >= threshold && hidden.size === 1) {
    const next = keys
      .filter((k) => !hidden.has(k))
      .sort((a, b) => figures[a].value - figures[b].value || a.localeCompare(b))[0];
    if (next !== undefined) hidden.add(next);
  }
  for (const k of keys) if (hidden.has(k)) withheld.push(`${name}.${k}`);
  return Object.fromEntries(keys.map((k) => [k, hidden.has(k) ? null : figures[k].value])) as Record<K, Cell>;
}

function publishDurations(name: string, d: CaseFigures['timeToIdentification'], threshold: number, withheld: string[]) {
  if (d.cases < threshold) {
    withheld.push(`${name}.count`, `${name}.medianHours`, `${name}.p90Hours`);
    return { count: null, medianHours: null, p90Hours: null };
  }
  return { count: d.count, medianHours: d.medianHours ?? null, p90Hours: d.p90Hours ?? null };
}

export function publishStatistics(f: CaseFigures, threshold: number = policy.publicationThreshold) {
  const withheld: string[] = [];
  const cases = publishGroup('cases', { total: f.cases }, threshold, withheld).total;
  const { total: updates, ...updateKinds } = f.victimUpdates;
  return {
    generatedAt: f.generatedAt,
    suppression: { threshold, note: suppressionNote(threshold) },
    cases,
    byStage: publishGroup('byStage', f.byStage, threshold, withheld, f.cases),
    byOutcome: publishGroup('byOutcome', f.byOutcome, threshold, withheld),
    timeToIdentification: publishDurations('timeToIdentification', f.timeToIdentification, threshold, withheld),
    timeToDisclosure: publishDurations('timeToDisclosure', f.timeToDisclosure, threshold, withheld),
    delaysByGround: publishGroup('delaysByGround', f.delaysByGround, threshold, withheld),
    protectionOrders: publishGroup('protectionOrders', f.protectionOrders, threshold, withheld),
    victimUpdates: {
      total: publishGroup('victimUpdates', { total: updates }, threshold, withheld).total,
      ...publishGroup('victimUpdates', updateKinds, threshold, withheld, updates),
    },
    withheld,
  };
}
export type PublishedStatistics = ReturnType<typeof publishStatistics>;

const MEASURES: [keyof PublishedStatistics, string][] = [
  ['byStage', 'cases_by_stage'],
  ['byOutcome', 'cases_by_outcome'],
  ['timeToIdentification', 'time_to_identification_hours'],
  ['timeToDisclosure', 'time_to_disclosure_hours'],
  ['delaysByGround', 'delays_by_ground'],
  ['protectionOrders', 'protection_orders'],
  ['victimUpdates', 'victim_updates'],
];

/** Quoted where needed; a text cell that a spreadsheet would run as a formula is defused. */
function csvCell(v: string | number): string {
  const s = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per figure: measure, key, value; a withheld value is "<threshold>". */
export function statisticsCsv(p: PublishedStatistics): string {
  const shown = (v: Cell) => (v === null ? `<${p.suppression.threshold}` : v);
  const rows: (string | number)[][] = [
    ['measure', 'key', 'value'],
    ['generated_at', '', p.generatedAt],
    ['suppression', 'threshold', p.suppression.threshold],
    ['suppression', 'note', p.suppression.note],
    ['cases', 'total', shown(p.cases)],
  ];
  for (const [field, measure] of MEASURES) {
    for (const [key, value] of Object.entries(p[field] as Record<string, Cell>))
      rows.push([
        measure,
        key.replace(/([a-z])([A-Z])/g, (_, x: string, y: string) => `${x}_${y.toLowerCase()}`),
        shown(value),
      ]);
  }
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
