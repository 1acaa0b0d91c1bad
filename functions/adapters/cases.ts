import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { AlreadyDecided, ApprovalExpired, ChangedMeanwhile, DuplicateCase, notFound } from '../domain/errors.js';
import { BUSY, TransientError } from './transient.js';
import { chainHeadKey } from './audit.js';
import { SEPARATED_GATES } from '../domain/access.js';
import { caseOwner, caseStatus, caseSummary } from '../domain/cases.js';
import type { FaultRecord } from '../domain/faults.js';
import type { ApprovalRecord, CaseRecord, RequestRecord, TaskRecord } from '../domain/records.js';
import { documents, queryAll } from './clients/dynamo.js';
import { tables } from './env.js';
import { applyCounts, pendingCounts, settleCounts } from './statsCounts.js';
import { bumpListVersion } from './listVersions.js';
import { openTaskToken, sealTaskToken } from './tokenCipher.js';

/**
 * The `cases` table: one partition per case holding the case, its approvals,
 * tasks and requests. Task tokens are stored beside the record they belong to,
 * sealed (adapters/tokenCipher.ts, bound to the record's key), and leave this
 * module opened only through the functions whose callers signal the workflow.
 */
const casePk = (caseId: string) => `CASE#${caseId}`;
const CASE_SK = 'CASE';
const approvalSk = (id: string) => `APPROVAL#${id}`;
const taskSk = (key: string) => `TASK#${key}`;
const requestSk = (id: string) => `REQUEST#${id}`;
const faultSk = (state: string) => `FAULT#${state}`;
const crimeRefPk = (force: string, ref: string) => `CREF#${force}#${ref}`;
const tokenContext = (pk: string, sk: string) => `${pk}|${sk}`;

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
function strip<T>(item: Record<string, unknown>): T {
  const copy = { ...item };
  for (const k of KEY_FIELDS) delete copy[k];
  return copy as T;
}

/** The token stored beside an item, opened for the caller that signals the workflow with it. */
const tokenOf = (item: Record<string, unknown> | undefined, pk: string, sk: string): Promise<string | undefined> =>
  typeof item?.taskToken === 'string'
    ? openTaskToken(item.taskToken, tokenContext(pk, sk))
    : Promise.resolve(undefined);

const isConditionFailure = (e: unknown) =>
  e instanceof ConditionalCheckFailedException || (e as { name?: string })?.name === 'ConditionalCheckFailedException';

export async function createCase(kase: CaseRecord): Promise<void> {
  const db = documents();
  try {
    await db.send(
      new PutCommand({
        TableName: tables.cases,
        Item: { pk: crimeRefPk(kase.force, kase.crimeReference), sk: 'CREF', caseId: kase.caseId },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (e) {
    if (isConditionFailure(e))
      throw new DuplicateCase(`an open case with crime reference ${kase.crimeReference} already exists in this force`);
    throw e;
  }
  const counted = { ...kase, ...pendingCounts(undefined, kase) };
  await db.send(
    new PutCommand({
      TableName: tables.cases,
      Item: caseItem({
        ...counted,
        ...caseSummary({ kase: counted, tasks: [], approvals: [], faults: [] }, kase.createdAt),
      }),
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  await applyCounts(counted);
  await bumpListVersion(kase.force, 'cases');
}

/** The case item with the keys of the lists it appears in (by force, by owner, each also open or closed). */
function caseItem(k: CaseRecord) {
  const owner = caseOwner(k);
  const status = caseStatus(k.stage);
  return {
    pk: casePk(k.caseId),
    sk: CASE_SK,
    kind_: 'case',
    listForce: k.force,
    listForceStatus: `${k.force}#${status}`,
    listOwner: `${k.force}#${owner}`,
    listOwnerStatus: `${k.force}#${owner}#${status}`,
    listCreated: `${k.createdAt}#${k.caseId}`,
    ...k,
    owner,
  };
}

/** A closed or rejected case frees its crime reference for a new case. */
export async function releaseCrimeReference(kase: CaseRecord): Promise<void> {
  await documents()
    .send(
      new DeleteCommand({
        TableName: tables.cases,
        Key: { pk: crimeRefPk(kase.force, kase.crimeReference), sk: 'CREF' },
        ConditionExpression: 'caseId = :c',
        ExpressionAttributeValues: { ':c': kase.caseId },
      }),
    )
    .catch((e) => {
      if (!isConditionFailure(e)) throw e;
    });
}

export async function getCase(caseId: string): Promise<CaseRecord | undefined> {
  const out = await documents().send(
    new GetCommand({ TableName: tables.cases, Key: { pk: casePk(caseId), sk: CASE_SK }, ConsistentRead: true }),
  );
  return out.Item ? strip<CaseRecord>(out.Item) : undefined;
}

/**
 * The case item and its audit chain's head (the number of the last entry whose append finished) in one call:
 * BatchGetItem over the two tables, both read strongly consistent. What a conditional read of a case compares.
 * Keys the store leaves unprocessed (throttling, in AWS) are asked for again, a few times, then it is busy.
 */
export async function caseAndChainHead(caseId: string): Promise<{ kase: CaseRecord | undefined; headSeq: number }> {
  const head = chainHeadKey(caseId);
  let out = await documents().send(
    new BatchGetCommand({
      RequestItems: {
        [tables.cases]: { Keys: [{ pk: casePk(caseId), sk: CASE_SK }], ConsistentRead: true },
        [tables.audit]: { Keys: [head], ConsistentRead: true },
      },
    }),
  );
  const found = Object.values(out.Responses ?? {}).flat();
  for (let attempt = 1; out.UnprocessedKeys && Object.keys(out.UnprocessedKeys).length > 0; attempt++) {
    if (attempt > 4) throw new TransientError('CaseReadUnprocessed');
    await sleep(20 * 2 ** attempt);
    out = await documents().send(new BatchGetCommand({ RequestItems: out.UnprocessedKeys }));
    found.push(...Object.values(out.Responses ?? {}).flat());
  }
  const caseItem = found.find((i) => i.pk === casePk(caseId) && i.sk === CASE_SK);
  return {
    kase: caseItem ? strip<CaseRecord>(caseItem) : undefined,
    headSeq: Number(found.find((i) => i.caseId === head.caseId)?.headSeq ?? 0),
  };
}

export interface CaseBundle {
  kase: CaseRecord;
  approvals: ApprovalRecord[];
  tasks: TaskRecord[];
  requests: RequestRecord[];
  faults: FaultRecord[];
}

export async function loadCase(caseId: string): Promise<CaseBundle | undefined> {
  const items = await queryAll({
    TableName: tables.cases,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': casePk(caseId) },
    ConsistentRead: true,
  });
  const caseItem = items.find((i) => i.sk === CASE_SK);
  if (!caseItem) return undefined;
  const of = (prefix: string) => items.filter((i) => String(i.sk).startsWith(prefix));
  return {
    kase: strip<CaseRecord>(caseItem),
    approvals: of('APPROVAL#').map((i) => strip<ApprovalRecord>(i)),
    tasks: of('TASK#').map((i) => strip<TaskRecord>(i)),
    requests: of('REQUEST#').map((i) => strip<RequestRecord>(i)),
    faults: of('FAULT#').map((i) => strip<FaultRecord>(i)),
  };
}

export async function mustLoadCase(caseId: string): Promise<CaseBundle> {
  const bundle = await loadCase(caseId);
  if (!bundle) throw notFound('no such case');
  return bundle;
}

/** What the summary of a case is made of, read small: the case's other items without their contents. */
async function summaryInputs(caseId: string) {
  const items = await queryAll({
    TableName: tables.cases,
    KeyConditionExpression: 'pk = :pk',
    ProjectionExpression: 'sk, #s, task, dueAt, overdue, gate',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: { ':pk': casePk(caseId) },
    ConsistentRead: true,
  });
  const of = <T>(prefix: string) => items.filter((i) => String(i.sk).startsWith(prefix)) as unknown as T[];
  return {
    tasks: of<TaskRecord>('TASK#'),
    approvals: of<ApprovalRecord>('APPROVAL#'),
    faults: of<FaultRecord>('FAULT#'),
  };
}

/**
 * Optimistic locking: read, change, write on the version read. A conflict
 * means someone else wrote first; the change is tried again on their result,
 * and its checks run again, so a rule is never judged on a stale case.
 *
 * The case's summary (domain/cases.ts caseSummary) is made again on each
 * write from the case's other items as they are, so it is never older than
 * the last write to the case: every write to a task, approval or fault is
 * followed by keepSummary. A change that changes nothing writes nothing.
 */
export async function mutateCase(
  caseId: string,
  change: (kase: CaseRecord) => CaseRecord | Promise<CaseRecord>,
  now: string,
): Promise<CaseRecord> {
  for (let attempt = 0; attempt < MUTATE_ATTEMPTS; attempt++) {
    // Writers that met on one case spread out before trying again: each round, one of them gets through.
    if (attempt > 0) await sleep(Math.random() * 10 * attempt);
    const current = await getCase(caseId);
    if (!current) throw notFound('no such case');
    // The statistics counters take what each write changes (adapters/statsCounts.ts): the last write's change first.
    await settleCounts(current);
    const changed = await change(structuredClone(current));
    const summarised = { ...changed, ...caseSummary({ kase: changed, ...(await summaryInputs(caseId)) }, now) };
    if (isDeepStrictEqual(summarised, current)) return current;
    const bumped = { ...summarised, version: current.version + 1, updatedAt: now };
    const next = { ...bumped, ...pendingCounts(current, bumped) };
    try {
      await documents().send(
        new PutCommand({
          TableName: tables.cases,
          Item: caseItem(next),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': current.version },
        }),
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      continue;
    }
    await applyCounts(next);
    // The force's case lists change only when what they show of this case does.
    if (!isDeepStrictEqual(listed(current), listed(next))) await bumpListVersion(next.force, 'cases');
    return next;
  }
  // A 409 to a person (try again); a transient failure to a workflow step, which the ASL retries.
  throw new ChangedMeanwhile('the case is being changed by others; try again', [], BUSY);
}

const MUTATE_ATTEMPTS = 12;

/** What the case lists show of a case. */
const listed = (k: CaseRecord) => [
  k.crimeReference,
  k.stage,
  k.openTasks,
  k.nextDeadline,
  caseOwner(k),
  k.createdBy.sub,
];

/** After a write to one of a case's tasks, approvals or faults: the case's summary made again from what is there now. */
export const keepSummary = (caseId: string) => mutateCase(caseId, (k) => k, new Date().toISOString());

// Approvals

/** Overdue first (an approval flagged overdue keeps the due time it missed), then by due time. */
const approvalQueueAt = (a: ApprovalRecord) => `${a.dueAt}#${a.approvalId}`;

const approvalItem = (a: ApprovalRecord) => ({
  pk: casePk(a.caseId),
  sk: approvalSk(a.approvalId),
  kind_: 'approval',
  gsi3pk: `APPROVAL#${a.approvalId}`,
  ...(a.status === 'pending' ? { gsi2pk: `PENDING#${a.force}`, gsi2sk: approvalQueueAt(a) } : {}),
  ...a,
});

/** After a write to an approval: the queue's version moves and the case's summary is made again. */
async function approvalWritten(a: Pick<ApprovalRecord, 'force' | 'caseId'>): Promise<void> {
  await bumpListVersion(a.force, 'approvals');
  await keepSummary(a.caseId);
}

export async function putApproval(a: ApprovalRecord, taskToken: string): Promise<void> {
  await documents().send(
    new PutCommand({
      TableName: tables.cases,
      Item: {
        ...approvalItem(a),
        taskToken: await sealTaskToken(taskToken, tokenContext(casePk(a.caseId), approvalSk(a.approvalId))),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  await approvalWritten(a);
}

/** A fresh wait on a pending approval (a new execution, or past due at the top rank): new token and due time. */
export async function rewaitApproval(
  a: ApprovalRecord,
  taskToken: string,
  dueAt: string,
  execution?: string,
): Promise<ApprovalRecord | undefined> {
  try {
    const out = await documents().send(
      new UpdateCommand({
        TableName: tables.cases,
        Key: { pk: casePk(a.caseId), sk: approvalSk(a.approvalId) },
        // An approval already overdue keeps its place at the head of the queue: the due time it missed.
        UpdateExpression: `SET taskToken = :t, dueAt = :d${a.overdue ? '' : ', gsi2sk = :q'}${execution ? ', execution = :x' : ''}`,
        ConditionExpression: '#s = :pending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':t': await sealTaskToken(taskToken, tokenContext(casePk(a.caseId), approvalSk(a.approvalId))),
          ':d': dueAt,
          ':pending': 'pending',
          ...(a.overdue ? {} : { ':q': approvalQueueAt({ ...a, dueAt }) }),
          ...(execution ? { ':x': execution } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    await approvalWritten(a);
    return strip<ApprovalRecord>(out.Attributes!);
  } catch (e) {
    if (isConditionFailure(e)) return undefined;
    throw e;
  }
}

export async function getApproval(approvalId: string): Promise<ApprovalRecord | undefined> {
  const out = await documents().send(
    new QueryCommand({
      TableName: tables.cases,
      IndexName: INDEXES.approvalsById,
      KeyConditionExpression: 'gsi3pk = :id',
      ExpressionAttributeValues: { ':id': `APPROVAL#${approvalId}` },
    }),
  );
  const key = out.Items?.[0];
  if (!key) return undefined;
  const item = await documents().send(
    new GetCommand({ TableName: tables.cases, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true }),
  );
  return item.Item ? strip<ApprovalRecord>(item.Item) : undefined;
}

/**
 * The one write that decides a gate: it succeeds only while the approval is
 * pending, so two supervisors deciding at once get one success and one
 * conflict. Returns the token to signal the workflow with.
 */
export async function decideApproval(
  a: ApprovalRecord,
  fields: Pick<ApprovalRecord, 'decision' | 'rationale' | 'decidedBy' | 'decidedRank' | 'decidedAt' | 'authorisation'>,
): Promise<{ approval: ApprovalRecord; taskToken?: string }> {
  const status = fields.decision === 'approve' ? 'approved' : 'rejected';
  const sets = Object.entries({ ...fields, status }).filter(([, v]) => v !== undefined);
  let item: Record<string, unknown>;
  try {
    const out = await documents().send(
      new UpdateCommand({
        TableName: tables.cases,
        Key: { pk: casePk(a.caseId), sk: approvalSk(a.approvalId) },
        UpdateExpression: `SET ${sets.map((_, i) => `#f${i} = :v${i}`).join(', ')} REMOVE gsi2pk, gsi2sk`,
        ConditionExpression: '#f_status = :pending',
        ExpressionAttributeNames: { ...Object.fromEntries(sets.map(([k], i) => [`#f${i}`, k])), '#f_status': 'status' },
        ExpressionAttributeValues: {
          ...Object.fromEntries(sets.map(([, v], i) => [`:v${i}`, v])),
          ':pending': 'pending',
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    item = out.Attributes!;
  } catch (e) {
    if (isConditionFailure(e)) {
      const now = await getApproval(a.approvalId);
      if (now?.status === 'escalated') throw new ApprovalExpired();
      throw new AlreadyDecided('this approval was already decided');
    }
    throw e;
  }
  const approval = strip<ApprovalRecord>(item);
  if (approval.status === 'approved' && approval.decidedBy) await noteSeparatedDecider(approval);
  await approvalWritten(approval);
  return { approval, taskToken: await tokenOf(item, casePk(a.caseId), approvalSk(a.approvalId)) };
}

/**
 * The two-person rule on the queue: a pending approval at the gate separated
 * from the one just approved carries its decider, so the queue leaves it out
 * for them without reading the case. (Approvals opened later are given the
 * deciders when they are opened.)
 */
async function noteSeparatedDecider(decided: ApprovalRecord): Promise<void> {
  const other = SEPARATED_GATES[decided.gate];
  if (!other) return;
  const pending = (
    await queryAll({
      TableName: tables.cases,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
      ProjectionExpression: 'sk, gate, #s, otherDeciders',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':pk': casePk(decided.caseId), ':a': 'APPROVAL#' },
      ConsistentRead: true,
    })
  ).filter((i) => i.gate === other && i.status === 'pending');
  for (const p of pending) {
    if (((p.otherDeciders as string[] | undefined) ?? []).includes(decided.decidedBy!.sub)) continue;
    await documents()
      .send(
        new UpdateCommand({
          TableName: tables.cases,
          Key: { pk: casePk(decided.caseId), sk: p.sk },
          UpdateExpression: 'SET otherDeciders = list_append(if_not_exists(otherDeciders, :none), :me)',
          ConditionExpression: '#s = :pending',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':none': [], ':me': [decided.decidedBy!.sub], ':pending': 'pending' },
        }),
      )
      .catch((e) => {
        if (!isConditionFailure(e)) throw e;
      });
  }
}

/** The token of an approval's wait, for a decision whose first answer was lost on the way back. */
export async function approvalToken(a: ApprovalRecord): Promise<string | undefined> {
  const out = await documents().send(
    new GetCommand({
      TableName: tables.cases,
      Key: { pk: casePk(a.caseId), sk: approvalSk(a.approvalId) },
      ConsistentRead: true,
    }),
  );
  return tokenOf(out.Item, casePk(a.caseId), approvalSk(a.approvalId));
}

/**
 * What a pending approval decides no longer stands (a closure proposed, the victim declined): it leaves the
 * queue and nobody may decide it. Conditional on it still pending, so it and a decision never both land.
 * Returns the token of its wait, for the one who withdrew it to let the workflow go on; none if it was not pending.
 */
export async function withdrawApproval(
  a: ApprovalRecord,
  because: NonNullable<ApprovalRecord['withdrawnBecause']>,
  now: string,
): Promise<{ taskToken?: string } | undefined> {
  let item: Record<string, unknown>;
  try {
    const out = await documents().send(
      new UpdateCommand({
        TableName: tables.cases,
        Key: { pk: casePk(a.caseId), sk: approvalSk(a.approvalId) },
        UpdateExpression: 'SET #s = :w, withdrawnAt = :at, withdrawnBecause = :b REMOVE gsi2pk, gsi2sk',
        ConditionExpression: '#s = :pending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':w': 'withdrawn', ':at': now, ':b': because, ':pending': 'pending' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    item = out.Attributes!;
  } catch (e) {
    if (isConditionFailure(e)) return undefined;
    throw e;
  }
  await approvalWritten(a);
  return { taskToken: await tokenOf(item, casePk(a.caseId), approvalSk(a.approvalId)) };
}

/** Past due: the approval either gives way to one a rank up, or stays and shows overdue. */
export async function markApproval(
  a: ApprovalRecord,
  change: { status: 'escalated' } | { overdue: true },
): Promise<boolean> {
  const escalate = 'status' in change;
  try {
    await documents().send(
      new UpdateCommand({
        TableName: tables.cases,
        Key: { pk: casePk(a.caseId), sk: approvalSk(a.approvalId) },
        UpdateExpression: escalate ? 'SET #s = :e, overdue = :t REMOVE gsi2pk, gsi2sk, taskToken' : 'SET overdue = :t',
        ConditionExpression: '#s = :pending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':pending': 'pending', ':t': true, ...(escalate ? { ':e': 'escalated' } : {}) },
      }),
    );
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
  await approvalWritten(a);
  return true;
}

// Tasks

/**
 * Open (or re-open: after a restart, or when the step is wanted again) a task
 * the workflow waits on. Whether it is still wanted is the domain's call
 * (taskSatisfied), made before and after this write.
 */
export async function openTask(t: Omit<TaskRecord, 'status' | 'overdue'>, taskToken: string): Promise<TaskRecord> {
  const out = await documents().send(
    new UpdateCommand({
      TableName: tables.cases,
      Key: { pk: casePk(t.caseId), sk: taskSk(t.key) },
      UpdateExpression:
        'SET taskToken = :tok, dueAt = :due, overdue = :f, caseId = :c, #k = :k, task = :task, openedAt = :opened, #s = :open' +
        (t.requestId ? ', requestId = :r' : '') +
        (t.execution ? ', execution = :x' : '') +
        ' REMOVE #r, doneAt',
      ExpressionAttributeNames: { '#s': 'status', '#k': 'key', '#r': 'result' },
      ExpressionAttributeValues: {
        ':tok': await sealTaskToken(taskToken, tokenContext(casePk(t.caseId), taskSk(t.key))),
        ':due': t.dueAt,
        ':f': false,
        ':c': t.caseId,
        ':k': t.key,
        ':task': t.task,
        ':opened': t.openedAt,
        ':open': 'open',
        ...(t.requestId ? { ':r': t.requestId } : {}),
        ...(t.execution ? { ':x': t.execution } : {}),
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  await keepSummary(t.caseId);
  return strip<TaskRecord>(out.Attributes!);
}

/** Mark a task done exactly once; returns the token to signal with, or undefined if it was not open. */
export async function completeTask(
  caseId: string,
  key: string,
  result: Record<string, unknown>,
  now: string,
): Promise<{ task: TaskRecord; taskToken?: string } | undefined> {
  try {
    const out = await documents().send(
      new UpdateCommand({
        TableName: tables.cases,
        Key: { pk: casePk(caseId), sk: taskSk(key) },
        UpdateExpression: 'SET #s = :done, #r = :r, doneAt = :now',
        ConditionExpression: '#s = :open',
        ExpressionAttributeNames: { '#s': 'status', '#r': 'result' },
        ExpressionAttributeValues: { ':done': 'done', ':open': 'open', ':r': result, ':now': now },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const item = out.Attributes!;
    await keepSummary(caseId);
    return { task: strip<TaskRecord>(item), taskToken: await tokenOf(item, casePk(caseId), taskSk(key)) };
  } catch (e) {
    if (isConditionFailure(e)) return undefined;
    throw e;
  }
}

export async function markTaskOverdue(caseId: string, key: string): Promise<void> {
  await documents()
    .send(
      new UpdateCommand({
        TableName: tables.cases,
        Key: { pk: casePk(caseId), sk: taskSk(key) },
        UpdateExpression: 'SET overdue = :t',
        ConditionExpression: '#s = :open',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':t': true, ':open': 'open' },
      }),
    )
    .catch((e) => {
      if (!isConditionFailure(e)) throw e;
    });
  await keepSummary(caseId);
}

// Requests

/** A request with its place in the force's request lists (by due time; awaiting a return, or any). */
function requestItem(r: RequestRecord) {
  const at = `${r.dueAt}#${r.requestId}`;
  return {
    pk: casePk(r.caseId),
    sk: requestSk(r.requestId),
    kind_: 'request',
    ...r,
    // The flags a person must see (the request's and its return's), so a list shows them without the return.
    viewFlags: [...(r.flags ?? []), ...(r.returned?.flags ?? [])],
    ...(r.force ? { queueRequests: r.force, queueAt: at } : {}),
    ...(r.force && r.status === 'awaiting_return' ? { queueAwaiting: r.force } : {}),
  };
}

export async function putRequest(r: RequestRecord): Promise<boolean> {
  try {
    await documents().send(
      new PutCommand({
        TableName: tables.cases,
        Item: requestItem(r),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
  if (r.force) await bumpListVersion(r.force, 'requests');
  return true;
}

/** Change a request only from the status the caller saw; false if someone else moved it first. */
export async function updateRequest(
  r: RequestRecord,
  fromStatus: RequestRecord['status'],
  changes: Partial<RequestRecord>,
): Promise<boolean> {
  // The list keys follow the request's new state: in the awaiting list only while it awaits a return.
  const after = requestItem({ ...r, ...changes });
  const listed = {
    viewFlags: after.viewFlags,
    queueRequests: after.queueRequests,
    queueAt: after.queueAt,
    queueAwaiting: after.queueAwaiting,
  };
  const sets = Object.entries({ ...changes, ...listed }).filter(([, v]) => v !== undefined);
  const unset = listed.queueAwaiting === undefined ? ' REMOVE queueAwaiting' : '';
  try {
    await documents().send(
      new UpdateCommand({
        TableName: tables.cases,
        Key: { pk: casePk(r.caseId), sk: requestSk(r.requestId) },
        UpdateExpression: `SET ${sets.map((_, i) => `#f${i} = :v${i}`).join(', ')}${unset}`,
        ConditionExpression: '#st = :from',
        ExpressionAttributeNames: { ...Object.fromEntries(sets.map(([k], i) => [`#f${i}`, k])), '#st': 'status' },
        ExpressionAttributeValues: {
          ...Object.fromEntries(sets.map(([, v], i) => [`:v${i}`, v])),
          ':from': fromStatus,
        },
      }),
    );
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
  if (r.force) await bumpListVersion(r.force, 'requests');
  return true;
}

// Faults: one record per case and failed state; open ones are listed by force in the fault queue, those flagged
// overdue (at the top rank) first, then by due time.

const faultItem = (f: FaultRecord) => ({
  pk: casePk(f.caseId),
  sk: faultSk(f.state),
  kind_: 'fault',
  ...(f.status === 'open' ? { queueFaults: f.force, queueAt: `${f.overdue ? 0 : 1}#${f.dueAt}#${f.faultId}` } : {}),
  ...f,
});

async function faultWritten(f: Pick<FaultRecord, 'force' | 'caseId'>): Promise<void> {
  await bumpListVersion(f.force, 'faults');
  await keepSummary(f.caseId);
}

export async function getFault(caseId: string, state: string): Promise<FaultRecord | undefined> {
  const out = await documents().send(
    new GetCommand({ TableName: tables.cases, Key: { pk: casePk(caseId), sk: faultSk(state) }, ConsistentRead: true }),
  );
  return out.Item ? strip<FaultRecord>(out.Item) : undefined;
}

/**
 * Store a fault with its wait's token (none for an execution that failed), only over the record the caller read
 * (none, or the same opening in the same status): false if someone moved it
 * first (a supervisor's retry), and the caller decides again.
 */
export async function putFault(
  f: FaultRecord,
  seen: FaultRecord | undefined,
  taskToken: string | undefined,
): Promise<boolean> {
  try {
    await documents().send(
      new PutCommand({
        TableName: tables.cases,
        Item: {
          ...faultItem(f),
          ...(taskToken
            ? { taskToken: await sealTaskToken(taskToken, tokenContext(casePk(f.caseId), faultSk(f.state))) }
            : {}),
        },
        ...(seen
          ? {
              ConditionExpression: 'faultId = :id AND #s = :s',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':id': seen.faultId, ':s': seen.status },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      }),
    );
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
  await faultWritten(f);
  return true;
}

/** The one write that answers a fault: only while that opening is open. Returns the token to signal the workflow with. */
export async function markFaultRetried(
  f: FaultRecord,
  fields: Required<Pick<FaultRecord, 'retriedBy' | 'retriedAt' | 'rationale'>>,
): Promise<{ fault: FaultRecord; taskToken?: string }> {
  let item: Record<string, unknown>;
  try {
    const out = await documents().send(
      new UpdateCommand({
        TableName: tables.cases,
        Key: { pk: casePk(f.caseId), sk: faultSk(f.state) },
        UpdateExpression:
          'SET #s = :retried, retriedBy = :by, retriedAt = :at, rationale = :why REMOVE queueFaults, queueAt',
        ConditionExpression: 'faultId = :id AND #s = :open',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':retried': 'retried',
          ':open': 'open',
          ':id': f.faultId,
          ':by': fields.retriedBy,
          ':at': fields.retriedAt,
          ':why': fields.rationale,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    item = out.Attributes!;
  } catch (e) {
    if (isConditionFailure(e)) throw new AlreadyDecided('this fault was already answered');
    throw e;
  }
  await faultWritten(f);
  return { fault: strip<FaultRecord>(item), taskToken: await tokenOf(item, casePk(f.caseId), faultSk(f.state)) };
}

/** The token of a fault's current wait, to release it when the record shows it answered. */
export async function faultToken(f: FaultRecord): Promise<string | undefined> {
  const out = await documents().send(
    new GetCommand({
      TableName: tables.cases,
      Key: { pk: casePk(f.caseId), sk: faultSk(f.state) },
      ConsistentRead: true,
    }),
  );
  return tokenOf(out.Item, casePk(f.caseId), faultSk(f.state));
}

// The duplicate-target index: for each identifier a case holds (suspect names, returned emails, phones,
// installation addresses), an item under the identifier's hash, so another case finds the cases sharing
// it with one query per identifier rather than by reading every case of the force. Keys hold hashes, never
// the identifiers themselves.

const identPk = (force: string, identifier: string) =>
  `IDENT#${force}#${createHash('sha256').update(identifier).digest('hex')}`;

/** Record that a case holds these identifiers (each put is idempotent: a step run again writes the same items). */
export async function indexIdentifiers(
  kase: Pick<CaseRecord, 'force' | 'caseId' | 'crimeReference'>,
  identifiers: Iterable<string>,
): Promise<void> {
  for (const identifier of identifiers)
    await documents().send(
      new PutCommand({
        TableName: tables.cases,
        Item: {
          pk: identPk(kase.force, identifier),
          sk: casePk(kase.caseId),
          kind_: 'identifier',
          caseId: kase.caseId,
          crimeReference: kase.crimeReference,
        },
      }),
    );
}

/**
 * Cases of a force holding an identifier, with their crime references: one Query of at most `limit` items (in case
 * id order), however many cases share the identifier.
 */
export async function casesHolding(
  force: string,
  identifier: string,
  limit: number,
): Promise<{ caseId: string; crimeReference: string }[]> {
  const out = await documents().send(
    new QueryCommand({
      TableName: tables.cases,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': identPk(force, identifier) },
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map((i) => ({ caseId: String(i.caseId), crimeReference: String(i.crimeReference) }));
}
