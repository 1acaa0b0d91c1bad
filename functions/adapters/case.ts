import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { caseStatus, caseSummary } from '../domain/caseSummary.js';
import { caseOwner } from '../domain/ownership.js';
import { ChangedMeanwhile, DuplicateCase, notFound } from '../domain/errors.js';
import type { FaultRecord } from '../domain/faults.js';
import type { ApprovalRecord, CaseRecord, RequestRecord, TaskRecord } from '../domain/records.js';
import { chainHeadKey } from './audit.js';
import { CASE_SK, casePk, conditionalWrite, crimeRefPk, ignored, strip } from './casesTable.js';
import { batchGet, get, put, query, queryAll, remove } from './clients/dynamo.js';
import { tables } from './env.js';
import { bumpListVersion } from './listVersions.js';
import { applyCounts, pendingCounts, settleCounts } from './statsCounts.js';
import { BUSY, TransientError } from './transient.js';

/** The case aggregate: the case item, read alone or with its other items, changed under optimistic locking. */
export async function createCase(kase: CaseRecord): Promise<void> {
  await conditionalWrite(
    () =>
      put({
        TableName: tables.cases,
        Item: { pk: crimeRefPk(kase.force, kase.crimeReference), sk: 'CREF', caseId: kase.caseId },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    () => {
      throw new DuplicateCase(`an open case with crime reference ${kase.crimeReference} already exists in this force`);
    },
  );
  const counted = { ...kase, ...pendingCounts(undefined, kase) };
  await put({
    TableName: tables.cases,
    Item: caseItem({
      ...counted,
      ...caseSummary({ kase: counted, tasks: [], approvals: [], faults: [] }, kase.createdAt),
    }),
    ConditionExpression: 'attribute_not_exists(pk)',
  });
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
  await conditionalWrite(
    () =>
      remove({
        TableName: tables.cases,
        Key: { pk: crimeRefPk(kase.force, kase.crimeReference), sk: 'CREF' },
        ConditionExpression: 'caseId = :c',
        ExpressionAttributeValues: { ':c': kase.caseId },
      }),
    ignored,
  );
}

export async function getCase(caseId: string): Promise<CaseRecord | undefined> {
  const item = await get({ TableName: tables.cases, Key: { pk: casePk(caseId), sk: CASE_SK }, ConsistentRead: true });
  return item ? strip<CaseRecord>(item) : undefined;
}

/**
 * The case item and its audit chain's head (the number of the last entry whose append finished) in one call:
 * BatchGetItem over the two tables, both read strongly consistent. What a conditional read of a case compares.
 * Keys the store leaves unprocessed (throttling, in AWS) are asked for again, a few times, then it is busy.
 */
export async function caseAndChainHead(caseId: string): Promise<{ kase: CaseRecord | undefined; headSeq: number }> {
  const head = chainHeadKey(caseId);
  let out = await batchGet({
    RequestItems: {
      [tables.cases]: { Keys: [{ pk: casePk(caseId), sk: CASE_SK }], ConsistentRead: true },
      [tables.audit]: { Keys: [head], ConsistentRead: true },
    },
  });
  const found = Object.values(out.Responses).flat();
  for (let attempt = 1; out.UnprocessedKeys && Object.keys(out.UnprocessedKeys).length > 0; attempt++) {
    if (attempt > 4) throw new TransientError('CaseReadUnprocessed');
    await sleep(20 * 2 ** attempt);
    out = await batchGet({ RequestItems: out.UnprocessedKeys });
    found.push(...Object.values(out.Responses).flat());
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
 * The case's summary (domain/caseSummary.ts caseSummary) is made again on each
 * write from the case's other items as they are, so it is never older than
 * the last write to the case: every write to a task, approval, request or
 * fault is followed by keepSummary. A change that changes nothing writes
 * nothing, unless `always` (keepSummary's): then the version moves all the
 * same, by this write or by another's made since.
 */
export async function mutateCase(
  caseId: string,
  change: (kase: CaseRecord) => CaseRecord | Promise<CaseRecord>,
  now: string,
  { always = false }: { always?: boolean } = {},
): Promise<CaseRecord> {
  for (let attempt = 0; attempt < MUTATE_ATTEMPTS; attempt++) {
    // Writers that met on one case spread out before trying again: each round, one of them gets through.
    if (attempt > 0) await sleep(Math.random() * 10 * attempt);
    const current = await getCase(caseId);
    if (!current) throw notFound('no such case');
    const changed = await change(structuredClone(current));
    const summarised = { ...changed, ...caseSummary({ kase: changed, ...(await summaryInputs(caseId)) }, now) };
    // `always`: the version moves after the write that asked for it. A write lost to another writer's means theirs
    // moved it since (after this one's read, so after the write that asked): then the usual rule.
    if (!(always && attempt === 0) && isDeepStrictEqual(summarised, current)) return current;
    // The statistics counters take what each write changes (adapters/statsCounts.ts): the last write's change first.
    await settleCounts(current);
    const bumped = { ...summarised, version: current.version + 1, updatedAt: now };
    const next = { ...bumped, ...pendingCounts(current, bumped) };
    const written = await conditionalWrite(
      () =>
        put({
          TableName: tables.cases,
          Item: caseItem(next),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': current.version },
        }).then(() => true),
      () => false,
    );
    if (!written) continue;
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

/**
 * After a write to one of a case's tasks, approvals, requests or faults: the case's summary made again from what is
 * there now, and its version moved even when the summary stays as it was. A conditional read of the case
 * (GET /cases/{caseId}) compares its version and its chain's head only, and the case shows these items (a
 * request's status, an approval's overdue flag) beyond its summary: a write that moved neither would be hidden
 * behind a 304.
 */
export const keepSummary = (caseId: string) => mutateCase(caseId, (k) => k, new Date().toISOString(), { always: true });

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
    await put({
      TableName: tables.cases,
      Item: {
        pk: identPk(kase.force, identifier),
        sk: casePk(kase.caseId),
        kind_: 'identifier',
        caseId: kase.caseId,
        crimeReference: kase.crimeReference,
      },
    });
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
  const out = await query({
    TableName: tables.cases,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': identPk(force, identifier) },
    Limit: limit,
  });
  return out.Items.map((i) => ({ caseId: String(i.caseId), crimeReference: String(i.crimeReference) }));
}
