import type { RequestRecord } from '../domain/records.js';
import { keepSummary } from './case.js';
import { casePk, conditionalWrite, ignored, requestSk, setFields } from './casesTable.js';
import { put, update } from './clients/dynamo.js';
import { tables } from './env.js';
import { bumpListVersion } from './listVersions.js';

/** Data requests (platform disclosures, ISP look-ups): created once, then moved only from the status the caller saw. */
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

/** After a write to a request: the force's request lists' version moves, and the case's (keepSummary). */
async function requestWritten(r: RequestRecord): Promise<void> {
  if (r.force) await bumpListVersion(r.force, 'requests');
  await keepSummary(r.caseId);
}

/**
 * Requests of one case, each created once (one already there is left as it is); then the lists' and the case's
 * versions move, also when every one was there already (a step run again completes what a stopped run left undone).
 */
export async function putRequests(rs: readonly RequestRecord[]): Promise<void> {
  for (const r of rs)
    await conditionalWrite(
      () =>
        put({
          TableName: tables.cases,
          Item: requestItem(r),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ignored,
    );
  if (rs[0]) await requestWritten(rs[0]);
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
  const set = setFields({ ...changes, ...listed });
  const unset = listed.queueAwaiting === undefined ? ' REMOVE queueAwaiting' : '';
  const written = await conditionalWrite(
    () =>
      update({
        TableName: tables.cases,
        Key: { pk: casePk(r.caseId), sk: requestSk(r.requestId) },
        UpdateExpression: `${set.clause}${unset}`,
        ConditionExpression: '#st = :from',
        ExpressionAttributeNames: { ...set.names, '#st': 'status' },
        ExpressionAttributeValues: { ...set.values, ':from': fromStatus },
      }).then(() => true),
    () => false,
  );
  if (!written) return false;
  await requestWritten(r);
  return true;
}
