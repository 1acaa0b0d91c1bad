import type { TaskRecord } from '../domain/records.js';
import { keepSummary } from './case.js';
import { casePk, conditionalWrite, ignored, strip, taskSk, tokenContext, tokenOf } from './casesTable.js';
import { update } from './clients/dynamo.js';
import { tables } from './env.js';
import { sealTaskToken } from './tokenCipher.js';

/** The tasks the workflow waits on: opened with their token, completed exactly once. */
/**
 * Open (or re-open: after a restart, or when the step is wanted again) a task
 * the workflow waits on. Whether it is still wanted is the domain's call
 * (taskSatisfied), made before and after this write.
 */
export async function openTask(t: Omit<TaskRecord, 'status' | 'overdue'>, taskToken: string): Promise<TaskRecord> {
  const attributes = await update({
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
  });
  await keepSummary(t.caseId);
  return strip<TaskRecord>(attributes!);
}

/** Mark a task done exactly once; returns the token to signal with, or undefined if it was not open. */
export async function completeTask(
  caseId: string,
  key: string,
  result: Record<string, unknown>,
  now: string,
): Promise<{ task: TaskRecord; taskToken?: string } | undefined> {
  const item = await conditionalWrite(
    () =>
      update({
        TableName: tables.cases,
        Key: { pk: casePk(caseId), sk: taskSk(key) },
        UpdateExpression: 'SET #s = :done, #r = :r, doneAt = :now',
        ConditionExpression: '#s = :open',
        ExpressionAttributeNames: { '#s': 'status', '#r': 'result' },
        ExpressionAttributeValues: { ':done': 'done', ':open': 'open', ':r': result, ':now': now },
        ReturnValues: 'ALL_NEW',
      }),
    () => undefined,
  );
  if (!item) return undefined;
  await keepSummary(caseId);
  return { task: strip<TaskRecord>(item), taskToken: await tokenOf(item, casePk(caseId), taskSk(key)) };
}

export async function markTaskOverdue(caseId: string, key: string): Promise<void> {
  await conditionalWrite(
    () =>
      update({
        TableName: tables.cases,
        Key: { pk: casePk(caseId), sk: taskSk(key) },
        UpdateExpression: 'SET overdue = :t',
        ConditionExpression: '#s = :open',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':t': true, ':open': 'open' },
      }),
    ignored,
  );
  await keepSummary(caseId);
}
