import { describe, expect, test } from 'vitest';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { FAULT_RANK, faultView, parkFault, WAIT_TIMED_OUT, type FaultRecord } from '../../functions/domain/faults.js';
import { BUSY, isTransient, TransientError, transientName } from '../../functions/adapters/transient.js';
import { AlreadyDecided, ChangedMeanwhile, notFound } from '../../functions/domain/errors.js';

const at = { caseId: 'c-1', force: 'LOCAL', state: 'SendDisclosure', error: 'InjectedBug' };
const T0 = '2026-11-28T10:00:00.000Z';
let n = 0;
const ids = () => `f-${++n}`;

describe('a step parked on a fault', () => {
  test('nothing open: a new fault at sergeant, due after the wait', () => {
    const { fault, outcome } = parkFault(undefined, at, T0, 3600, ids);
    expect(outcome).toBe('opened');
    expect(fault).toMatchObject({
      status: 'open',
      requiredRank: FAULT_RANK,
      dueAt: '2026-11-28T11:00:00.000Z',
      occurrences: 1,
      overdue: false,
    });
  });

  test('open and not yet due (a restart, a duplicate invocation): the same fault, unchanged', () => {
    const first = parkFault(undefined, at, T0, 3600, ids).fault;
    const again = parkFault(first, at, '2026-11-28T10:30:00.000Z', 3600, ids);
    expect(again).toEqual({ outcome: 'waiting', fault: first });
  });

  test('its wait timed out: one rank up at each due time, then overdue at superintendent', () => {
    let fault = parkFault(undefined, at, T0, 3600, ids).fault;
    const ranks: string[] = [];
    let now = T0;
    for (let i = 0; i < 5; i++) {
      now = fault.dueAt;
      const next = parkFault(fault, { ...at, error: WAIT_TIMED_OUT }, now, 3600, ids);
      ranks.push(`${next.outcome}:${next.fault.requiredRank}`);
      expect(next.fault.faultId).toBe(fault.faultId);
      fault = next.fault;
    }
    expect(ranks).toEqual([
      'escalated:inspector',
      'escalated:chief_inspector',
      'escalated:superintendent',
      'overdue:superintendent',
      'overdue:superintendent',
    ]);
    expect(faultView(fault, now).overdue).toBe(true);
  });

  test('a supervisor answered while the wait was timing out: the step runs again, no new fault', () => {
    const first = parkFault(undefined, at, T0, 3600, ids).fault;
    const retried: FaultRecord = {
      ...first,
      status: 'retried',
      retriedBy: { sub: 's', name: 'S' },
      retriedAt: first.dueAt,
    };
    expect(parkFault(retried, { ...at, error: WAIT_TIMED_OUT }, first.dueAt, 3600, ids)).toEqual({
      outcome: 'retry',
      fault: retried,
    });
  });

  test('after a retry the step failing again is a new opening, counted', () => {
    const first = parkFault(undefined, at, T0, 3600, ids).fault;
    const retried: FaultRecord = { ...first, status: 'retried', retriedBy: { sub: 's', name: 'S' }, retriedAt: T0 };
    const { fault, outcome } = parkFault(retried, at, '2026-11-28T10:05:00.000Z', 3600, ids);
    expect(outcome).toBe('opened');
    expect(fault.faultId).not.toBe(first.faultId);
    expect(fault.occurrences).toBe(2);
    expect(fault.requiredRank).toBe(FAULT_RANK);
  });

  test('what a supervisor sees carries no token and no message', () => {
    const { fault } = parkFault(undefined, at, T0, 3600, ids);
    const shown = faultView(fault, T0);
    expect(Object.keys(shown).sort()).toEqual([
      'caseId',
      'dueAt',
      'error',
      'faultId',
      'occurrences',
      'openedAt',
      'overdue',
      'requiredRank',
      'state',
      'status',
    ]);
  });
});

describe('which failures are worth another try', () => {
  const sdk = (name: string, status: number, extra: object = {}) =>
    Object.assign(new Error('x'), { name, $metadata: { httpStatusCode: status }, ...extra });
  test.each([
    ['a throttled store', new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} })],
    ['ThrottlingException', sdk('ThrottlingException', 400)],
    ['a service 5xx', sdk('InternalServerError', 500)],
    ['a 503 of any name', sdk('Whatever', 503)],
    ['a 429', sdk('TooMany', 429)],
    ['an SDK error marked retryable', sdk('Odd', 400, { $retryable: {} })],
    ['a refused connection', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })],
    [
      'a reset connection, as the cause',
      new Error('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }),
    ],
    ['one already named so', new TransientError('ThrottlingException')],
    [
      'a case busy with other writers',
      new ChangedMeanwhile('the case is being changed by others; try again', [], BUSY),
    ],
  ])('%s is transient', (_, e) => expect(isTransient(e)).toBe(true));

  test.each([
    ['a conditional check that failed', sdk('ConditionalCheckFailedException', 400)],
    ['a validation error', sdk('ValidationException', 400)],
    ['a domain conflict', new AlreadyDecided('already decided')],
    ['a missing record', notFound('no such case')],
    ['a plain bug', new TypeError('x is undefined')],
    ['not an error at all', 'boom'],
  ])('%s is not', (_, e) => expect(isTransient(e)).toBe(false));

  test('a transient failure is known by its cause’s name only', () => {
    expect(transientName(new TransientError('ThrottlingException'))).toBe('ThrottlingException');
    expect(transientName(sdk('InternalServerError', 500))).toBe('InternalServerError');
    expect(new TransientError('X').message).not.toMatch(/Jane|\+44/);
  });
});
