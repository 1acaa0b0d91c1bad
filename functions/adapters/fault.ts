import { AlreadyDecided } from '../domain/errors.js';
import type { FaultRecord } from '../domain/faults.js';
import { keepSummary } from './case.js';
import { casePk, conditionalWrite, faultSk, strip, tokenContext, tokenOf } from './casesTable.js';
import { get, put, update } from './clients/dynamo.js';
import { tables } from './env.js';
import { bumpListVersion } from './listVersions.js';
import { sealTaskToken } from './tokenCipher.js';

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
  const item = await get({
    TableName: tables.cases,
    Key: { pk: casePk(caseId), sk: faultSk(state) },
    ConsistentRead: true,
  });
  return item ? strip<FaultRecord>(item) : undefined;
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
  const written = await conditionalWrite(
    async () =>
      put({
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
      }).then(() => true),
    () => false,
  );
  if (!written) return false;
  await faultWritten(f);
  return true;
}

/** The one write that answers a fault: only while that opening is open. Returns the token to signal the workflow with. */
export async function markFaultRetried(
  f: FaultRecord,
  fields: Required<Pick<FaultRecord, 'retriedBy' | 'retriedAt' | 'rationale'>>,
): Promise<{ fault: FaultRecord; taskToken?: string }> {
  const item = await conditionalWrite(
    () =>
      update({
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
      }).then((attributes) => attributes!),
    () => {
      throw new AlreadyDecided('this fault was already answered');
    },
  );
  await faultWritten(f);
  return { fault: strip<FaultRecord>(item), taskToken: await tokenOf(item, casePk(f.caseId), faultSk(f.state)) };
}

/** The token of a fault's current wait, to release it when the record shows it answered. */
export async function faultToken(f: FaultRecord): Promise<string | undefined> {
  const item = await get({
    TableName: tables.cases,
    Key: { pk: casePk(f.caseId), sk: faultSk(f.state) },
    ConsistentRead: true,
  });
  return tokenOf(item, casePk(f.caseId), faultSk(f.state));
}
