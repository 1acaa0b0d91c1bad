import { sha256 } from './audit.js';
import type { NormalisedReturn, IpEvent } from './records.js';
import { toUtc } from './time.js';
import type { ReturnInput } from '../schemas/api.js';
import { invalid, type FieldError } from './errors.js';

export const CSV_HEADER = ['ip', 'port', 'timestamp', 'timezone', 'kind'] as const;
export const MAX_CSV_ROWS = 5000;

/** A platform's IP log as CSV: one event a row, header `ip,port,timestamp,timezone,kind`. */
export function parseIpLogCsv(text: string): {
  rows: Record<string, string>[];
  /** The line in the file each row came from, so a refusal names the line the SPoC sees. */
  lineNumbers: number[];
  errors: FieldError[];
} {
  // Each line keeps its number in the file, so an error names the line the SPoC sees.
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line, i) => ({ line, number: i + 1 }))
    .filter((l) => l.line.trim() !== '');
  const header = lines[0]?.line.split(',').map((h) => h.trim().toLowerCase());
  if (!header || header.join(',') !== CSV_HEADER.join(','))
    return {
      rows: [],
      lineNumbers: [],
      errors: [{ path: 'csv.header', message: `the first line must be ${CSV_HEADER.join(',')}` }],
    };
  if (lines.length - 1 > MAX_CSV_ROWS)
    return { rows: [], lineNumbers: [], errors: [{ path: 'csv', message: `at most ${MAX_CSV_ROWS} rows` }] };
  const errors: FieldError[] = [];
  const rows = lines.slice(1).map(({ line, number }) => {
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length !== CSV_HEADER.length)
      errors.push({ path: `csv.row${number}`, message: `has ${cells.length} cells, expected ${CSV_HEADER.length}` });
    return Object.fromEntries(CSV_HEADER.map((h, j) => [h, cells[j] ?? '']));
  });
  return { rows, lineNumbers: lines.slice(1).map((l) => l.number), errors };
}

/** CSV rows in the JSON upload's shape, so both go through the same schema. */
export function csvToReturnBody(rows: Record<string, string>[], receivedAt: string): unknown {
  return {
    receivedAt,
    ipEvents: rows.map((r) => ({
      ip: r.ip,
      ...(r.port ? { port: /^\d+$/.test(r.port) ? Number(r.port) : r.port } : {}),
      at: r.timestamp,
      ...(r.timezone ? { timeZone: r.timezone } : {}),
      ...(r.kind ? { kind: r.kind } : {}),
    })),
  };
}

/**
 * Every time into UTC with its original text and zone kept. A time that
 * cannot be placed is refused, listing each one by its row: a time the clocks
 * skipped, an offset that contradicts its zone, a time in the future. A time
 * the clocks showed twice is kept with both instants and flagged.
 * `rowPath` names a row for the person who sent it (the CSV line, for a CSV).
 */
export function normaliseReturn(
  input: ReturnInput,
  raw: string,
  now: string,
  rowPath: (i: number) => string = (i) => `ipEvents.${i}.at`,
): NormalisedReturn {
  const errors: FieldError[] = [];
  const flags: string[] = [];
  if (Date.parse(input.receivedAt) > Date.parse(now) + 5 * 60_000)
    errors.push({ path: 'receivedAt', message: 'is in the future' });
  const ipEvents: IpEvent[] = [];
  for (const [i, e] of input.ipEvents.entries()) {
    const t = toUtc(e.at, e.timeZone);
    if (!t.ok) errors.push({ path: rowPath(i), message: t.reason });
    else if (Date.parse(t.value.candidates?.[1] ?? t.value.utc) > Date.parse(now) + 5 * 60_000)
      errors.push({ path: rowPath(i), message: 'is in the future' });
    else {
      if (t.value.flag) flags.push(`${rowPath(i)}: ${t.value.flag}`);
      ipEvents.push({ ip: e.ip, ...(e.port !== undefined ? { port: e.port } : {}), at: t.value, kind: e.kind });
    }
  }
  if (errors.length) throw invalid('the return has times or dates that cannot be used', errors);
  return {
    receivedAt: new Date(input.receivedAt).toISOString(),
    ...(input.subscriber ? { subscriber: { ...input.subscriber } } : {}),
    ipEvents,
    ...(input.installationAddress ? { installationAddress: input.installationAddress } : {}),
    ...(input.billingAddress ? { billingAddress: input.billingAddress } : {}),
    rawSha256: sha256(raw),
    flags,
  };
}

/** At most this many row flags are kept on the stored return; the rest are counted. */
export const STORED_FLAGS = 50;
export function boundedFlags(flags: readonly string[]): string[] {
  return flags.length <= STORED_FLAGS
    ? [...flags]
    : [...flags.slice(0, STORED_FLAGS), `and ${flags.length - STORED_FLAGS} more rows flagged`];
}
