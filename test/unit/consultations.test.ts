import { describe, expect, test } from 'vitest';
import { dailyDigest } from '../../functions/domain/audit.js';
import {
  checkConsultations,
  consultation,
  sealConsultations,
  viewEntry,
  viewWindow,
} from '../../functions/domain/consultations.js';

/** The consultation log's rules (domain/consultations.ts): its windows, and the digest's seal over it. */
const HOUR = 3600;
const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 12, minute)).toISOString();

describe('a consultation', () => {
  test('one key per person per case per window, windows starting at whole multiples of the window', () => {
    expect(viewWindow('2026-12-01T12:59:59.999Z', HOUR)).toBe('2026-12-01T12:00:00.000Z');
    expect(viewWindow('2026-12-01T13:00:00.000Z', HOUR)).toBe('2026-12-01T13:00:00.000Z');
    expect(viewWindow('2026-12-01T12:10:00.000Z', 600)).toBe('2026-12-01T12:10:00.000Z');
    const first = consultation('case-1', 'sub-1', at(5), HOUR);
    expect(first).toEqual({ caseId: 'case-1', viewKey: '2026-12-01T12:00:00.000Z#sub-1', actor: 'sub-1', at: at(5) });
    expect(consultation('case-1', 'sub-1', at(55), HOUR).viewKey).toBe(first.viewKey);
    expect(consultation('case-1', 'sub-2', at(5), HOUR).viewKey).not.toBe(first.viewKey);
    expect(consultation('case-1', 'sub-1', at(65), HOUR).viewKey).not.toBe(first.viewKey);
  });

  test('is listed as when and who: the person by their id, nothing of the case', () => {
    expect(viewEntry(consultation('case-1', 'local-inv.alice', at(5), HOUR))).toEqual({
      at: at(5),
      actor: 'local-inv.alice',
    });
  });
});

describe("the digest's seal of the consultation log", () => {
  const log = [
    consultation('case-1', 'sub-1', at(1), HOUR),
    consultation('case-2', 'sub-1', at(2), HOUR),
    consultation('case-1', 'sub-2', at(3), HOUR),
    consultation('case-1', 'sub-1', at(70), HOUR),
  ];
  const sealed = dailyDigest('2026-12-01', [], undefined, sealConsultations('', at(60), log));

  test('holds the consultations in its range, in any order, and only those', () => {
    expect(sealed.consultations).toMatchObject({ from: '', to: at(60), count: 3 });
    expect(sealConsultations('', at(60), [...log].reverse())).toEqual(sealed.consultations);
    expect(checkConsultations(sealed, log)).toEqual([]);
    // One recorded after the range (the next digest's) changes nothing here.
    expect(checkConsultations(sealed, [...log, consultation('case-3', 'sub-3', at(61), HOUR)])).toEqual([]);
  });

  test('names the day when a sealed consultation is removed, altered or added afterwards', () => {
    const problem = [{ day: '2026-12-01', problem: 'consultations_changed' }];
    expect(checkConsultations(sealed, log.slice(1))).toEqual(problem);
    expect(checkConsultations(sealed, [{ ...log[0]!, actor: 'sub-9' }, ...log.slice(1)])).toEqual(problem);
    expect(checkConsultations(sealed, [...log, consultation('case-3', 'sub-3', at(4), HOUR)])).toEqual(problem);
  });

  test("is part of the digest's hash, and each digest's range starts where the previous one's ended", () => {
    expect(sealed.digest).not.toBe(dailyDigest('2026-12-01', [], undefined).digest);
    // A digest from before the log has no seal, and its hash is as it was.
    expect(dailyDigest('2026-11-30', []).consultations).toBeUndefined();
    const next = dailyDigest('2026-12-02', [], sealed.digest, sealConsultations(at(60), at(120), log));
    expect(next.consultations?.count).toBe(1);
    expect(checkConsultations(next, log, sealed)).toEqual([]);
    const gap = dailyDigest('2026-12-02', [], sealed.digest, sealConsultations(at(61), at(120), log));
    expect(checkConsultations(gap, log, sealed)).toEqual([{ day: '2026-12-02', problem: 'consultations_changed' }]);
  });
});
