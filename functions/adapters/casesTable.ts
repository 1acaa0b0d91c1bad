import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { openTaskToken } from './tokenCipher.js';

/**
 * The `cases` table: one partition per case holding the case, its approvals,
 * tasks, requests and faults, each written by its aggregate's module
 * (adapters/case.ts, approval.ts, task.ts, request.ts, fault.ts). Task tokens
 * are stored beside the record they belong to, sealed (adapters/tokenCipher.ts,
 * bound to the record's key), and leave those modules opened only through the
 * functions whose callers signal the workflow. This module holds the keys, the
 * indexes, and the one way a conditional write's loss is told apart.
 */
export const casePk = (caseId: string) => `CASE#${caseId}`;
export const CASE_SK = 'CASE';
export const approvalSk = (id: string) => `APPROVAL#${id}`;
export const taskSk = (key: string) => `TASK#${key}`;
export const requestSk = (id: string) => `REQUEST#${id}`;
export const faultSk = (state: string) => `FAULT#${state}`;
export const crimeRefPk = (force: string, ref: string) => `CREF#${force}#${ref}`;
export const tokenContext = (pk: string, sk: string) => `${pk}|${sk}`;

/**
 * The indexes of the cases table, each built for one list (docs/api.md, "Lists are pages"; data
 * access): its key attributes and the attributes it projects, which are what
 * the list shows and nothing more (never ALL, never a sealed task token).
 * infra/stacks/data.ts builds the table's indexes from this.
 */
const CASE_ROW = ['caseId', 'crimeReference', 'stage', 'openTasks', 'nextDeadline', 'createdBy', 'owner'] as const;
const REQUEST_ROW = [
  'requestId',
  'caseId',
  'crimeReference',
  'kind',
  'target',
  'accountHandle',
  'ip',
  'eventAt',
  'port',
  'status',
  'dueAt',
  'tipOffRisk',
  'createdAt',
  'chasedAt',
  'viewFlags',
  'returnedAt',
  'abandonedAt',
] as const;
export const INDEX_DEFINITIONS = {
  /** Pending approvals of a force, overdue first then by due time, with the inputs of the decision rules. */
  pendingApprovals: {
    pk: 'gsi2pk',
    sk: 'gsi2sk',
    projection: [
      'approvalId',
      'caseId',
      'force',
      'crimeReference',
      'gate',
      'requiredRank',
      'status',
      'requestedBy',
      'proposedBy',
      'dueAt',
      'overdue',
      'createdAt',
      'caseCreatedBy',
      'otherDeciders',
      'closureReason',
    ],
  },
  /** An approval found by its id alone (the decision route): the key, then the item itself. */
  approvalsById: { pk: 'gsi3pk', projection: 'KEYS_ONLY' },
  /** Cases of a force, of a force open or closed, of an owner, of an owner open or closed: newest first. */
  casesByForce: { pk: 'listForce', sk: 'listCreated', projection: CASE_ROW },
  casesByForceStatus: { pk: 'listForceStatus', sk: 'listCreated', projection: CASE_ROW },
  casesByOwner: { pk: 'listOwner', sk: 'listCreated', projection: CASE_ROW },
  casesByOwnerStatus: { pk: 'listOwnerStatus', sk: 'listCreated', projection: CASE_ROW },
  /** Open faults of a force (the dead-letter queue), overdue first then by due time. */
  faultQueue: {
    pk: 'queueFaults',
    sk: 'queueAt',
    projection: [
      'faultId',
      'caseId',
      'force',
      'crimeReference',
      'stage',
      'state',
      'error',
      'status',
      'openedAt',
      'dueAt',
      'requiredRank',
      'overdue',
      'occurrences',
    ],
  },
  /** Requests of a force by due time: all of them, and those awaiting a return (the SPoC's queue). */
  requestsByForce: { pk: 'queueRequests', sk: 'queueAt', projection: REQUEST_ROW },
  requestsAwaiting: { pk: 'queueAwaiting', sk: 'queueAt', projection: REQUEST_ROW },
} as const satisfies Record<string, { pk: string; sk?: string; projection: 'ALL' | 'KEYS_ONLY' | readonly string[] }>;

export type IndexName = keyof typeof INDEX_DEFINITIONS;
export const INDEXES = Object.fromEntries(Object.keys(INDEX_DEFINITIONS).map((k) => [k, k])) as {
  [K in IndexName]: K;
};

const KEY_FIELDS = [
  'pk',
  'sk',
  'taskToken',
  'kind_',
  'viewFlags',
  ...new Set(Object.values(INDEX_DEFINITIONS).flatMap((d) => ('sk' in d ? [d.pk, d.sk] : [d.pk]))),
] as const;

/** Where an item of an index stands: the table's key and the index's, what a cursor holds. */
export const positionIn = (index: IndexName): string[] => {
  const d: { pk: string; sk?: string } = INDEX_DEFINITIONS[index];
  return ['pk', 'sk', d.pk, ...(d.sk ? [d.sk] : [])];
};

export function strip<T>(item: Record<string, unknown>): T {
  const copy = { ...item };
  for (const k of KEY_FIELDS) delete copy[k];
  return copy as T;
}

/** The token stored beside an item, opened for the caller that signals the workflow with it. */
export const tokenOf = (
  item: Record<string, unknown> | undefined,
  pk: string,
  sk: string,
): Promise<string | undefined> =>
  typeof item?.taskToken === 'string'
    ? openTaskToken(item.taskToken, tokenContext(pk, sk))
    : Promise.resolve(undefined);

const isConditionFailure = (e: unknown) =>
  e instanceof ConditionalCheckFailedException || (e as { name?: string })?.name === 'ConditionalCheckFailedException';

/**
 * A conditional write: its condition failing means someone else wrote first, and `onConflict` answers that (a
 * value the caller tells apart, or a named domain error thrown); any other failure is thrown as it came, so a
 * throttled write stays transient.
 */
export async function conditionalWrite<T, C>(
  write: () => Promise<T>,
  onConflict: () => C | Promise<C>,
): Promise<T | C> {
  try {
    return await write();
  } catch (e) {
    if (isConditionFailure(e)) return onConflict();
    throw e;
  }
}

/** A conflict that changes nothing: the write's condition says it is no longer wanted. */
export const ignored = (): undefined => undefined;

/** A SET of these fields (the undefined ones left out), as an UpdateItem's clause and its names and values. */
export function setFields(fields: Record<string, unknown>): {
  clause: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
} {
  const sets = Object.entries(fields).filter(([, v]) => v !== undefined);
  return {
    clause: `SET ${sets.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
    names: Object.fromEntries(sets.map(([k], i) => [`#f${i}`, k])),
    values: Object.fromEntries(sets.map(([, v], i) => [`:v${i}`, v])),
  };
}
