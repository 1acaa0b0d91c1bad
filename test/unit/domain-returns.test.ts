import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  CSV_HEADER,
  MAX_CSV_ROWS,
  csvToReturnBody,
  normaliseReturn,
  parseIpLogCsv,
} from '../../functions/domain/returns.js';
import { ReturnInput } from '../../functions/schemas/api.js';
import { thrownBy } from '../support/thrown.js';

const NOW = '2026-11-20T10:00:00.000Z';
const HEADER = 'ip,port,timestamp,timezone,kind';

const given = {
  aCsv(...rows: string[]): string {
    return [HEADER, ...rows].join('\n');
  },
  aReturn(overrides: Partial<ReturnInput> = {}): ReturnInput {
    return {
      receivedAt: '2026-11-20T09:00:00Z',
      subscriber: {
        name: 'Gareth Quinlan',
        emails: ['g.quinlan@example.com'],
        phones: ['+447700900999'],
        createdAt: '2019-03-02',
      },
      ipEvents: [
        { ip: '203.0.113.7', port: 51234, at: '2026-11-01 21:14:05', timeZone: 'America/Los_Angeles', kind: 'login' },
        { ip: '198.51.100.2', at: '2026-11-02T08:00:00+05:30', kind: 'registration' },
      ],
      ...overrides,
    };
  },
};

describe('parseIpLogCsv', () => {
  const row1 = '203.0.113.7,51234,2026-11-01 21:14:05,America/Los_Angeles,login';
  const row2 = '198.51.100.2,,2026-11-02T08:00:00Z,,registration';

  test('reads one event a row, keyed by the header', () => {
    expect(parseIpLogCsv(given.aCsv(row1, row2))).toEqual({
      rows: [
        {
          ip: '203.0.113.7',
          port: '51234',
          timestamp: '2026-11-01 21:14:05',
          timezone: 'America/Los_Angeles',
          kind: 'login',
        },
        { ip: '198.51.100.2', port: '', timestamp: '2026-11-02T08:00:00Z', timezone: '', kind: 'registration' },
      ],
      lineNumbers: [2, 3],
      errors: [],
    });
  });

  test('a byte-order mark, CRLF line ends, blank lines and spaces around cells change nothing', () => {
    const plain = parseIpLogCsv(given.aCsv(row1, row2));
    const windows = parseIpLogCsv(`\uFEFF${HEADER}\r\n${row1.replaceAll(',', ' , ')}\r\n\r\n${row2}\r\n`);
    expect(windows.rows).toEqual(plain.rows);
    expect(windows.errors).toEqual([]);
    // Each row keeps the line it is on in the file: the blank line moves the second row down.
    expect(windows.lineNumbers).toEqual([2, 4]);
  });

  test('a header in capitals or with spaces is accepted', () => {
    expect(parseIpLogCsv(`IP, Port, Timestamp, TimeZone, Kind\n${row1}`).errors).toEqual([]);
  });

  test.each([
    ['missing a column', 'ip,port,timestamp,kind'],
    ['columns in another order', 'ip,timestamp,port,timezone,kind'],
    ['an extra column', `${HEADER},note`],
    ['no header at all', row1],
  ])('a header %s is refused', (_why, header) => {
    expect(parseIpLogCsv(`${header}\n${row1}`)).toEqual({
      rows: [],
      lineNumbers: [],
      errors: [{ path: 'csv.header', message: `the first line must be ${CSV_HEADER.join(',')}` }],
    });
  });

  test.each(['', '\n\n', '\uFEFF'])('an empty file %j is refused at the header', (text) => {
    expect(parseIpLogCsv(text).errors.map((e) => e.path)).toEqual(['csv.header']);
  });

  test('a header with no rows is an empty log', () => {
    expect(parseIpLogCsv(HEADER)).toEqual({ rows: [], lineNumbers: [], errors: [] });
  });

  test('each row with the wrong number of cells is listed by its line number', () => {
    const { errors } = parseIpLogCsv(given.aCsv(row1, '203.0.113.8,1,2026-11-01 21:14:05,UTC', row2, `${row1},extra`));
    expect(errors).toEqual([
      { path: 'csv.row3', message: 'has 4 cells, expected 5' },
      { path: 'csv.row5', message: 'has 6 cells, expected 5' },
    ]);
  });

  test('after a blank line, a bad row is named by its real line number', () => {
    const { errors } = parseIpLogCsv(`${given.aCsv(row1)}\n\n203.0.113.8,1,2026-11-01 21:14:05,UTC`);
    expect(errors).toEqual([{ path: 'csv.row4', message: 'has 4 cells, expected 5' }]);
  });

  test(`${MAX_CSV_ROWS} rows are accepted; one more is refused`, () => {
    const rows = Array.from({ length: MAX_CSV_ROWS }, () => row1);
    expect(parseIpLogCsv(given.aCsv(...rows)).rows).toHaveLength(MAX_CSV_ROWS);
    expect(parseIpLogCsv(given.aCsv(...rows, row1))).toEqual({
      rows: [],
      lineNumbers: [],
      errors: [{ path: 'csv', message: `at most ${MAX_CSV_ROWS} rows` }],
    });
  });
});

describe('csvToReturnBody', () => {
  test('puts rows in the JSON upload’s shape: numeric ports as numbers, empty cells left out', () => {
    const { rows } = parseIpLogCsv(
      given.aCsv(
        '203.0.113.7,51234,2026-11-01 21:14:05,America/Los_Angeles,login',
        '198.51.100.2,,2026-11-02T08:00:00Z,,',
      ),
    );
    expect(csvToReturnBody(rows, NOW)).toEqual({
      receivedAt: NOW,
      ipEvents: [
        { ip: '203.0.113.7', port: 51234, at: '2026-11-01 21:14:05', timeZone: 'America/Los_Angeles', kind: 'login' },
        { ip: '198.51.100.2', at: '2026-11-02T08:00:00Z' },
      ],
    });
  });

  test('a port that is not a number is passed on as text, for the schema to refuse', () => {
    const body = csvToReturnBody(
      [{ ip: '203.0.113.7', port: 'abc', timestamp: '2026-11-01T21:14:05Z', timezone: '', kind: 'login' }],
      NOW,
    );
    expect(body).toMatchObject({ ipEvents: [{ port: 'abc' }] });
    expect(ReturnInput.safeParse(body).success).toBe(false);
  });

  test('through the schema and normaliseReturn, a CSV log becomes the same return as its JSON twin', () => {
    const csv = given.aCsv(
      '203.0.113.7,51234,2026-11-01 21:14:05,America/Los_Angeles,login',
      '198.51.100.2,,2026-11-02T08:00:00+05:30,,registration',
    );
    const fromCsv = normaliseReturn(
      ReturnInput.parse(csvToReturnBody(parseIpLogCsv(csv).rows, '2026-11-20T09:00:00Z')),
      csv,
      NOW,
    );
    const fromJson = normaliseReturn(ReturnInput.parse(given.aReturn({ subscriber: undefined })), csv, NOW);
    expect(fromCsv).toEqual(fromJson);
  });
});

describe('normaliseReturn', () => {
  test('every time is stored in UTC, with its original text and zone kept', () => {
    const r = normaliseReturn(given.aReturn(), '{}', NOW);
    expect(r.ipEvents).toEqual([
      {
        ip: '203.0.113.7',
        port: 51234,
        at: { utc: '2026-11-02T05:14:05.000Z', original: '2026-11-01 21:14:05', timeZone: 'America/Los_Angeles' },
        kind: 'login',
      },
      {
        ip: '198.51.100.2',
        at: { utc: '2026-11-02T02:30:00.000Z', original: '2026-11-02T08:00:00+05:30' },
        kind: 'registration',
      },
    ]);
    expect(r.ipEvents[1]).not.toHaveProperty('port');
    expect(r.flags).toEqual([]);
  });

  test('receivedAt is stored in UTC', () => {
    expect(normaliseReturn(given.aReturn({ receivedAt: '2026-11-20T10:30:00+01:00' }), '{}', NOW).receivedAt).toBe(
      '2026-11-20T09:30:00.000Z',
    );
  });

  test('subscriber and installation address are kept; a return without them has none', () => {
    const installationAddress = { lines: ['14 Acacia Avenue', 'Leeds'], postcode: 'LS6 2AB' };
    const full = normaliseReturn(given.aReturn({ installationAddress }), '{}', NOW);
    expect(full.subscriber).toEqual(given.aReturn().subscriber);
    expect(full.installationAddress).toEqual(installationAddress);
    const bare = normaliseReturn(given.aReturn({ subscriber: undefined, ipEvents: [] }), '{}', NOW);
    expect(bare).not.toHaveProperty('subscriber');
    expect(bare).not.toHaveProperty('installationAddress');
    expect(bare.ipEvents).toEqual([]);
  });

  test('a time the clocks showed twice is kept with both instants and flagged by its path', () => {
    const r = normaliseReturn(
      given.aReturn({
        ipEvents: [
          { ip: '203.0.113.7', at: '2026-11-01T12:00:00Z', kind: 'login' },
          { ip: '203.0.113.7', at: '2026-11-01 01:30:00', timeZone: 'America/Los_Angeles', kind: 'login' },
        ],
      }),
      '{}',
      NOW,
    );
    expect(r.flags).toEqual(['ipEvents.1.at: ambiguous_dst_overlap']);
    expect(r.ipEvents[1]?.at).toMatchObject({
      utc: '2026-11-01T08:30:00.000Z',
      candidates: ['2026-11-01T08:30:00.000Z', '2026-11-01T09:30:00.000Z'],
    });
  });

  test('a time the clocks skipped, and an offset contradicting its zone, are refused by their rows', () => {
    const e = thrownBy(() =>
      normaliseReturn(
        given.aReturn({
          ipEvents: [
            { ip: '203.0.113.7', at: '2026-11-01T12:00:00Z', kind: 'login' },
            { ip: '203.0.113.7', at: '2026-03-29 01:30:00', timeZone: 'Europe/London', kind: 'login' },
            { ip: '203.0.113.7', at: '2026-11-19 10:00:00-07:00', timeZone: 'America/Los_Angeles', kind: 'login' },
          ],
        }),
        '{}',
        NOW,
      ),
    );
    expect(e.errors.map((x) => x.path)).toEqual(['ipEvents.1.at', 'ipEvents.2.at']);
    expect(e.errors[0]?.message).toMatch(/never happened in Europe\/London/);
    expect(e.errors[1]?.message).toMatch(/contradicts America\/Los_Angeles/);
  });

  test('rows are named as the caller asks: a CSV names the line in the file', () => {
    const e = thrownBy(() =>
      normaliseReturn(
        given.aReturn({
          ipEvents: [{ ip: '203.0.113.7', at: '2026-03-29 01:30', timeZone: 'Europe/London', kind: 'login' }],
        }),
        '{}',
        NOW,
        (i) => `csv.row${i + 7}`,
      ),
    );
    expect(e.errors.map((x) => x.path)).toEqual(['csv.row7']);
  });

  test('a 5,000-row log in three zones builds at most one formatter per zone (issue 17: one per row cost seconds)', () => {
    // Zones no other test here uses, so none is already made. Counted, not mocked: every formatter is the real one.
    const zones = ['America/Denver', 'Asia/Tokyo', 'Africa/Nairobi'];
    const intl = Intl as { DateTimeFormat: typeof Intl.DateTimeFormat };
    const real = intl.DateTimeFormat;
    let made = 0;
    intl.DateTimeFormat = new Proxy(real, {
      construct: (target, args) => {
        made += 1;
        return Reflect.construct(target, args);
      },
      apply: (target, self, args) => {
        made += 1;
        return Reflect.apply(target, self, args);
      },
    });
    try {
      const ipEvents = Array.from({ length: 5000 }, (_, i) => ({
        ip: '203.0.113.7',
        at: `2026-10-${String(1 + (i % 28)).padStart(2, '0')} ${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`,
        timeZone: zones[i % 3],
        kind: 'login' as const,
      }));
      expect(normaliseReturn(given.aReturn({ ipEvents }), '{}', NOW).ipEvents).toHaveLength(5000);
      expect(made).toBeGreaterThan(0);
      expect(made).toBeLessThanOrEqual(zones.length);
    } finally {
      intl.DateTimeFormat = real;
    }
  });

  test('every event that cannot be placed in time is listed by its path, and nothing is stored', () => {
    const e = thrownBy(() =>
      normaliseReturn(
        given.aReturn({
          ipEvents: [
            { ip: '203.0.113.7', at: '2026-11-01 21:14:05', kind: 'login' },
            { ip: '203.0.113.7', at: '2026-11-01T21:14:05Z', kind: 'login' },
            { ip: '203.0.113.7', at: '26-11-01 21:14:05', timeZone: 'Europe/London', kind: 'login' },
            { ip: '203.0.113.7', at: '2026-11-01 21:14:05', timeZone: 'Europe/Londres', kind: 'login' },
            { ip: '203.0.113.7', at: '2026-02-30T10:00:00Z', kind: 'login' },
          ],
        }),
        '{}',
        NOW,
      ),
    );
    expect(e.kind).toBe('Invalid');
    expect(e.errors.map((x) => x.path)).toEqual(['ipEvents.0.at', 'ipEvents.2.at', 'ipEvents.3.at', 'ipEvents.4.at']);
    expect(e.errors[0]?.message).toMatch(/neither a UTC offset nor a time zone/);
    expect(e.errors[2]?.message).toMatch(/Europe\/Londres/);
  });

  test('a receivedAt more than five minutes ahead of now is refused; within five minutes is clock drift', () => {
    expect(() => normaliseReturn(given.aReturn({ receivedAt: '2026-11-20T10:05:00Z' }), '{}', NOW)).not.toThrow();
    const e = thrownBy(() => normaliseReturn(given.aReturn({ receivedAt: '2026-11-20T10:05:01Z' }), '{}', NOW));
    expect(e.errors).toEqual([{ path: 'receivedAt', message: 'is in the future' }]);
  });

  test('an event in the future is refused by its path', () => {
    const e = thrownBy(() =>
      normaliseReturn(
        given.aReturn({
          ipEvents: [
            { ip: '203.0.113.7', at: '2026-11-20T10:04:59Z', kind: 'login' },
            { ip: '203.0.113.7', at: '2027-11-01T21:14:05Z', kind: 'login' },
            { ip: '203.0.113.7', at: '2026-11-20 10:30', timeZone: 'Europe/London', kind: 'login' },
          ],
        }),
        '{}',
        NOW,
      ),
    );
    expect(e.errors).toEqual([
      { path: 'ipEvents.1.at', message: 'is in the future' },
      { path: 'ipEvents.2.at', message: 'is in the future' },
    ]);
  });

  test('a future receivedAt and bad events are reported together', () => {
    const e = thrownBy(() =>
      normaliseReturn(
        given.aReturn({
          receivedAt: '2027-01-01T00:00:00Z',
          ipEvents: [{ ip: '203.0.113.7', at: 'yesterday', kind: 'login' }],
        }),
        '{}',
        NOW,
      ),
    );
    expect(e.errors.map((x) => x.path)).toEqual(['receivedAt', 'ipEvents.0.at']);
  });

  test('rawSha256 is the sha256 of exactly the bytes uploaded', () => {
    const raw = JSON.stringify(given.aReturn());
    const r = normaliseReturn(given.aReturn(), raw, NOW);
    expect(r.rawSha256).toBe(createHash('sha256').update(raw).digest('hex'));
    expect(normaliseReturn(given.aReturn(), `${raw} `, NOW).rawSha256).not.toBe(r.rawSha256);
  });
});
