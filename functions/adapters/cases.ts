import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflict, DomainError, gone, notFound } from '../domain/errors.js';
import { BUSY } from './transient.js';
import type { FaultRecord } from '../domain/faults.js';
import type { ApprovalRecord, CaseRecord, RequestRecord, TaskRecord } from '../domain/records.js';
import { documents, queryAll } from './clients/dynamo.js';
import { tables } from './env.js';
import { applyCounts, pendingCounts, settleCounts } from './statsCounts.js';
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

export const INDEXES = {
  byForce: 'byForce',
  pendingApprovals: 'pendingApprovals',
  approvalsById: 'approvalsById',
} as const;

const KEY_FIELDS = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'taskToken', 'kind_'] as const;
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
      throw conflict(`an open case with crime reference ${kase.crimeReference} already exists in this force`);
    throw e;
  }
  const counted = { ...kase, ...pendingCounts(undefined, kase) };
  await db.send(
    new PutCommand({
      TableName: tables.cases,
      Item: {
        pk: casePk(kase.caseId),
        sk: CASE_SK,
        kind_: 'case',
        gsi1pk: `FORCE#${kase.force}`,
        gsi1sk: `${kase.createdAt}#${kase.caseId}`,
        ...counted,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  await applyCounts(counted);
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

/**
 * Optimistic locking: read, change, write on the version read. A conflict
 * means someone else wrote first; the change is tried again on their result,
 * and its checks run again, so a rule is never judged on a stale case.
 */
export async function mutateCase(
  caseId: string,
  change: (kase: CaseRecord) => CaseRecord | Promise<CaseRecord>,
  now: string,
): Promise<CaseRecord> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = await getCase(caseId);
    if (!current) throw notFound('no such case');
    // The statistics counters take what each write changes (adapters/statsCounts.ts): the last write's change first.
    await settleCounts(current);
    const changed = { ...(await change(structuredClone(current))), version: current.version + 1, updatedAt: now };
    const next = { ...changed, ...pendingCounts(current, changed) };
    try {
      await documents().send(
        new PutCommand({
          TableName: tables.cases,
          Item: {
            pk: casePk(caseId),
            sk: CASE_SK,
            kind_: 'case',
            gsi1pk: `FORCE#${next.force}`,
            gsi1sk: `${next.createdAt}#${caseId}`,
            ...next,
          },
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': current.version },
        }),
      );
      await applyCounts(next);
      return next;
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }
  // A 409 to a person (try again); a transient failure to a workflow step, which the ASL retries.
  throw new DomainError('Conflict', 'the case is being changed by others; try again', [], BUSY);
}

export async function listCases(force: string): Promise<CaseRecord[]> {
  const items = await queryAll({
    TableName: tables.cases,
    IndexName: INDEXES.byForce,
    KeyConditionExpression: 'gsi1pk = :f',
    ExpressionAttributeValues: { ':f': `FORCE#${force}` },
    ScanIndexForward: false,
  });
  return items.map((i) => strip<CaseRecord>(i));
}

// Approvals

const approvalItem = (a: ApprovalRecord) => ({
  pk: casePk(a.caseId),
  sk: approvalSk(a.approvalId),
  kind_: 'approval',
  gsi3pk: `APPROVAL#${a.approvalId}`,
  ...(a.status === 'pending' ? { gsi2pk: `PENDING#${a.force}`, gsi2sk: a.dueAt } : {}),
  ...a,
});

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
}

/** A fresh wait on a pending approval (a new execution, or past due at the top rank): new token and due time. */
export async function rewaitApproval(
  a: ApprovalRecord,
  taskToken: string,
  dueAt: string,
): Promise<ApprovalRecord | undefined> {
  try {
    const out = await documents().send(
      new UpdateCommand({
        TableName: tables.cases,
        Key: { pk: casePk(a.caseId), sk: approvalSk(a.approvalId) },
        UpdateExpression: 'SET taskToken = :t, dueAt = :d, gsi2sk = :d',
        ConditionExpression: '#s = :pending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':t': await sealTaskToken(taskToken, tokenContext(casePk(a.caseId), approvalSk(a.approvalId))),
          ':d': dueAt,
          ':pending': 'pending',
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
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
  const item = out.Items?.[0];
  return item ? strip<ApprovalRecord>(item) : undefined;
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
    const item = out.Attributes!;
    return {
      approval: strip<ApprovalRecord>(item),
      taskToken: await tokenOf(item, casePk(a.caseId), approvalSk(a.approvalId)),
    };
  } catch (e) {
    if (isConditionFailure(e)) {
      const now = await getApproval(a.approvalId);
      if (now?.status === 'escalated')
        throw gone('this approval passed its due time and was escalated to a higher rank');
      throw conflict('this approval was already decided');
    }
    throw e;
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
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

export async function listPendingApprovals(force: string): Promise<ApprovalRecord[]> {
  const out = await documents().send(
    new QueryCommand({
      TableName: tables.cases,
      IndexName: INDEXES.pendingApprovals,
      KeyConditionExpression: 'gsi2pk = :p',
      ExpressionAttributeValues: { ':p': `PENDING#${force}` },
    }),
  );
  return (out.Items ?? []).map((i) => strip<ApprovalRecord>(i));
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
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
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
}

// Requests

export async function putRequest(r: RequestRecord): Promise<boolean> {
  try {
    await documents().send(
      new PutCommand({
        TableName: tables.cases,
        Item: { pk: casePk(r.caseId), sk: requestSk(r.requestId), kind_: 'request', ...r },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

/** Change a request only from the status the caller saw; false if someone else moved it first. */
export async function updateRequest(
  r: RequestRecord,
  fromStatus: RequestRecord['status'],
  changes: Partial<RequestRecord>,
): Promise<boolean> {
  const sets = Object.entries(changes).filter(([, v]) => v !== undefined);
  try {
    await documents().send(
      new UpdateCommand({
        TableName: tables.cases,
        Key: { pk: casePk(r.caseId), sk: requestSk(r.requestId) },
        UpdateExpression: `SET ${sets.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
        ConditionExpression: '#st = :from',
        ExpressionAttributeNames: { ...Object.fromEntries(sets.map(([k], i) => [`#f${i}`, k])), '#st': 'status' },
        ExpressionAttributeValues: {
          ...Object.fromEntries(sets.map(([, v], i) => [`:v${i}`, v])),
          ':from': fromStatus,
        },
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

// Faults: one record per case and failed state; open ones are listed by force through the same index as pending approvals.

const faultItem = (f: FaultRecord) => ({
  pk: casePk(f.caseId),
  sk: faultSk(f.state),
  kind_: 'fault',
  ...(f.status === 'open' ? { gsi2pk: `FAULT#${f.force}`, gsi2sk: f.dueAt } : {}),
  ...f,
});

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
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

/** The one write that answers a fault: only while that opening is open. Returns the token to signal the workflow with. */
export async function markFaultRetried(
  f: FaultRecord,
  fields: Required<Pick<FaultRecord, 'retriedBy' | 'retriedAt' | 'rationale'>>,
): Promise<{ fault: FaultRecord; taskToken?: string }> {
  try {
    const out = await documents().send(
      new UpdateCommand({
        TableName: tables.cases,
        Key: { pk: casePk(f.caseId), sk: faultSk(f.state) },
        UpdateExpression: 'SET #s = :retried, retriedBy = :by, retriedAt = :at, rationale = :why REMOVE gsi2pk, gsi2sk',
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
    const item = out.Attributes!;
    return { fault: strip<FaultRecord>(item), taskToken: await tokenOf(item, casePk(f.caseId), faultSk(f.state)) };
  } catch (e) {
    if (isConditionFailure(e)) throw conflict('this fault was already answered');
    throw e;
  }
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

export async function listOpenFaults(force: string): Promise<FaultRecord[]> {
  const items = await queryAll({
    TableName: tables.cases,
    IndexName: INDEXES.pendingApprovals,
    KeyConditionExpression: 'gsi2pk = :p',
    ExpressionAttributeValues: { ':p': `FAULT#${force}` },
  });
  return items.map((i) => strip<FaultRecord>(i));
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

/** The cases of a force holding an identifier, with their crime references (one query, however many cases). */
export async function casesHolding(
  force: string,
  identifier: string,
): Promise<{ caseId: string; crimeReference: string }[]> {
  const items = await queryAll({
    TableName: tables.cases,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': identPk(force, identifier) },
  });
  return items.map((i) => ({ caseId: String(i.caseId), crimeReference: String(i.crimeReference) }));
}
