import { GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { decideApproval } from '../../functions/adapters/approval.js';
import { createCase } from '../../functions/adapters/case.js';
import { isTransient } from '../../functions/adapters/transient.js';
import { AlreadyDecided, ApprovalExpired, DuplicateCase } from '../../functions/domain/errors.js';
import type { ApprovalRecord, CaseRecord } from '../../functions/domain/records.js';
import { fromDomainError } from '../../functions/http/problem.js';
import { lostCondition, mockedClient, throttled } from '../support/mockedDocuments.js';

/**
 * A conditional write that loses becomes the domain error named for why, at the adapter: the whole stack is not
 * needed to show it, so the DynamoDB client is mocked (aws-sdk-client-mock) and the failure given to it.
 */
const db = mockedClient();
beforeEach(() => db.reset());
const approval = {
  approvalId: 'a-1',
  caseId: 'c-1',
  gate: 'disclosure',
  status: 'pending',
} as unknown as ApprovalRecord;
const decision = {
  decision: 'approve',
  rationale: 'enough to decide on',
  decidedAt: '2026-11-30T10:00:00.000Z',
} as const;

/** The approval as a second read finds it after the write lost. */
function approvalNow(status: ApprovalRecord['status']) {
  db.on(UpdateItemCommand).rejects(lostCondition());
  db.on(QueryCommand).resolves({ Items: [marshall({ pk: 'CASE#c-1', sk: 'APPROVAL#a-1' })] });
  db.on(GetItemCommand).resolves({ Item: marshall({ ...approval, status }) });
}

describe('deciding an approval whose conditional write loses', () => {
  it('to another decision: AlreadyDecided, a 409', async () => {
    approvalNow('approved');
    const e = await decideApproval(approval, decision).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AlreadyDecided);
    expect(fromDomainError(e as AlreadyDecided).statusCode).toBe(409);
  });

  it('to its escalation: ApprovalExpired, a 410', async () => {
    approvalNow('escalated');
    const e = await decideApproval(approval, decision).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApprovalExpired);
    expect(fromDomainError(e as ApprovalExpired).statusCode).toBe(410);
  });

  it('the write asks for the approval still pending', async () => {
    approvalNow('approved');
    await decideApproval(approval, decision).catch(() => undefined);
    const update = db.commandCalls(UpdateItemCommand)[0]!.args[0].input;
    expect(update.ConditionExpression).toBe('#f_status = :pending');
    expect(update.ExpressionAttributeValues?.[':pending']).toEqual({ S: 'pending' });
  });

  it('a throttled write is no domain error: it stays transient (a 503 to try again)', async () => {
    db.on(UpdateItemCommand).rejects(throttled());
    const e = await decideApproval(approval, decision).catch((x: unknown) => x);
    expect(e).not.toBeInstanceOf(AlreadyDecided);
    expect(isTransient(e)).toBe(true);
  });
});

describe('opening a case whose crime reference is taken', () => {
  it('DuplicateCase, a 409, and the case item is never written', async () => {
    db.on(PutItemCommand).rejects(lostCondition());
    const kase = { caseId: 'c-2', force: 'LOCAL', crimeReference: 'LOCAL/26/0000001' } as CaseRecord;
    const e = await createCase(kase).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DuplicateCase);
    expect(fromDomainError(e as DuplicateCase).statusCode).toBe(409);
    expect(db.commandCalls(PutItemCommand)).toHaveLength(1);
    expect(db.commandCalls(PutItemCommand)[0]!.args[0].input.ConditionExpression).toBe('attribute_not_exists(pk)');
  });
});
