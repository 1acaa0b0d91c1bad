import { SEPARATED_GATES } from '../domain/access.js';
import { AlreadyDecided, ApprovalExpired } from '../domain/errors.js';
import type { ApprovalRecord } from '../domain/records.js';
import { keepSummary } from './case.js';
import {
  approvalSk,
  casePk,
  conditionalWrite,
  ignored,
  INDEXES,
  setFields,
  strip,
  tokenContext,
  tokenOf,
} from './casesTable.js';
import { get, put, query, queryAll, update } from './clients/dynamo.js';
import { tables } from './env.js';
import { bumpListVersion } from './listVersions.js';
import { sealTaskToken } from './tokenCipher.js';

/** A gate's approvals: each write conditional on the approval still pending, then the queue and the case's summary. */
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
  await put({
    TableName: tables.cases,
    Item: {
      ...approvalItem(a),
      taskToken: await sealTaskToken(taskToken, tokenContext(casePk(a.caseId), approvalSk(a.approvalId))),
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  });
  await approvalWritten(a);
}

/** A fresh wait on a pending approval (a new execution, or past due at the top rank): new token and due time. */
export async function rewaitApproval(
  a: ApprovalRecord,
  taskToken: string,
  dueAt: string,
  execution?: string,
): Promise<ApprovalRecord | undefined> {
  const item = await conditionalWrite(
    async () =>
      update({
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
    () => undefined,
  );
  if (!item) return undefined;
  await approvalWritten(a);
  return strip<ApprovalRecord>(item);
}

export async function getApproval(approvalId: string): Promise<ApprovalRecord | undefined> {
  const out = await query({
    TableName: tables.cases,
    IndexName: INDEXES.approvalsById,
    KeyConditionExpression: 'gsi3pk = :id',
    ExpressionAttributeValues: { ':id': `APPROVAL#${approvalId}` },
  });
  const key = out.Items[0];
  if (!key) return undefined;
  const item = await get({ TableName: tables.cases, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true });
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
  const set = setFields({ ...fields, status });
  const item = await conditionalWrite(
    () =>
      update({
        TableName: tables.cases,
        Key: { pk: casePk(a.caseId), sk: approvalSk(a.approvalId) },
        UpdateExpression: `${set.clause} REMOVE gsi2pk, gsi2sk`,
        ConditionExpression: '#f_status = :pending',
        ExpressionAttributeNames: { ...set.names, '#f_status': 'status' },
        ExpressionAttributeValues: { ...set.values, ':pending': 'pending' },
        ReturnValues: 'ALL_NEW',
      }).then((attributes) => attributes!),
    async () => {
      const now = await getApproval(a.approvalId);
      if (now?.status === 'escalated') throw new ApprovalExpired();
      throw new AlreadyDecided('this approval was already decided');
    },
  );
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
    await conditionalWrite(
      () =>
        update({
          TableName: tables.cases,
          Key: { pk: casePk(decided.caseId), sk: p.sk },
          UpdateExpression: 'SET otherDeciders = list_append(if_not_exists(otherDeciders, :none), :me)',
          ConditionExpression: '#s = :pending',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':none': [], ':me': [decided.decidedBy!.sub], ':pending': 'pending' },
        }),
      ignored,
    );
  }
}

/** The token of an approval's wait, for a decision whose first answer was lost on the way back. */
export async function approvalToken(a: ApprovalRecord): Promise<string | undefined> {
  const item = await get({
    TableName: tables.cases,
    Key: { pk: casePk(a.caseId), sk: approvalSk(a.approvalId) },
    ConsistentRead: true,
  });
  return tokenOf(item, casePk(a.caseId), approvalSk(a.approvalId));
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
  const item = await conditionalWrite(
    () =>
      update({
        TableName: tables.cases,
        Key: { pk: casePk(a.caseId), sk: approvalSk(a.approvalId) },
        UpdateExpression: 'SET #s = :w, withdrawnAt = :at, withdrawnBecause = :b REMOVE gsi2pk, gsi2sk',
        ConditionExpression: '#s = :pending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':w': 'withdrawn', ':at': now, ':b': because, ':pending': 'pending' },
        ReturnValues: 'ALL_NEW',
      }),
    () => undefined,
  );
  if (!item) return undefined;
  await approvalWritten(a);
  return { taskToken: await tokenOf(item, casePk(a.caseId), approvalSk(a.approvalId)) };
}

/** Past due: the approval either gives way to one a rank up, or stays and shows overdue. */
export async function markApproval(
  a: ApprovalRecord,
  change: { status: 'escalated' } | { overdue: true },
): Promise<boolean> {
  const escalate = 'status' in change;
  const written = await conditionalWrite(
    () =>
      update({
        TableName: tables.cases,
        Key: { pk: casePk(a.caseId), sk: approvalSk(a.approvalId) },
        UpdateExpression: escalate ? 'SET #s = :e, overdue = :t REMOVE gsi2pk, gsi2sk, taskToken' : 'SET overdue = :t',
        ConditionExpression: '#s = :pending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':pending': 'pending',
          ':t': true,
          ...(escalate ? { ':e': 'escalated' } : {}),
        },
      }).then(() => true),
    () => false,
  );
  if (!written) return false;
  await approvalWritten(a);
  return true;
}
