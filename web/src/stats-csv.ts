import type { Stats } from './shapes.js';

/**
 * The statistics as CSV, made in the browser from GET /stats: aggregates
 * only (counts and hours), one row per figure, so nothing in it can name or
 * single out a person or a case.
 */
/** A withheld figure (fewer than 5 cases) is published as <5, as GET /stats' CSV does. */
const cell = (v: string | number | null | undefined) => {
  const s = v === null || v === undefined ? '<5' : String(v);
  // Quote what needs it, and defuse spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function statsCsv(s: Stats): string {
  const rows: (string | number | null | undefined)[][] = [['measure', 'key', 'value']];
  rows.push(['generated_at', '', s.generatedAt], ['cases', 'total', s.cases]);
  for (const [stage, n] of Object.entries(s.byStage)) rows.push(['cases_by_stage', stage, n]);
  for (const [name, summary] of [
    ['time_to_identification_hours', s.timeToIdentification],
    ['time_to_disclosure_hours', s.timeToDisclosure],
  ] as const) {
    rows.push([name, 'count', summary.count]);
    if (summary.medianHours !== undefined) rows.push([name, 'median', summary.medianHours]);
    if (summary.p90Hours !== undefined) rows.push([name, 'p90', summary.p90Hours]);
  }
  for (const [ground, n] of Object.entries(s.delaysByGround)) rows.push(['delays_by_ground', ground, n]);
  for (const [gate, n] of Object.entries(s.overdueGates ?? {})) rows.push(['overdue_gates', gate, n]);
  return `${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
