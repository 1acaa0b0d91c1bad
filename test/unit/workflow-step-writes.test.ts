import { PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { isTransient } from '../../functions/adapters/transient.js';
import { handler as requestOverdue } from '../../functions/handlers/workflow/requestOverdue.js';
import { lostCondition, mockedClient, throttled } from '../support/mockedDocuments.js';

/**
 * A workflow step at the handler, its store mocked (aws-sdk-client-mock): giving up a request that someone moved
 * first (its return came) changes nothing more, and a throttled write leaves the step as a transient failure,
 * for the ASL's retry. The whole stack is not needed to show either.
 */
const db = mockedClient();
beforeEach(() => {
  db.reset();
  db.on(QueryCommand).resolves({
    Items: [
      {
        pk: 'CASE#0b4b7a52-5c1e-4d7c-9a57-2c1a3f9e6d01',
        sk: 'CASE',
        caseId: '0b4b7a52-5c1e-4d7c-9a57-2c1a3f9e6d01',
        force: 'LOCAL',
        stage: 'PLATFORM_REQUESTS',
        version: 3,
      },
      {
        pk: 'CASE#0b4b7a52-5c1e-4d7c-9a57-2c1a3f9e6d01',
        sk: 'REQUEST#7f0d3c2e-1b8a-4e5f-9c6d-8a2b1e4f3c07',
        caseId: '0b4b7a52-5c1e-4d7c-9a57-2c1a3f9e6d01',
        requestId: '7f0d3c2e-1b8a-4e5f-9c6d-8a2b1e4f3c07',
        kind: 'platform_disclosure',
        status: 'awaiting_return',
      },
    ].map((item) => marshall(item)),
  });
});

const context = {
  functionName: 'requestOverdue',
  awsRequestId: 'test',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;
const abandon = () =>
  requestOverdue(
    {
      caseId: '0b4b7a52-5c1e-4d7c-9a57-2c1a3f9e6d01',
      requestId: '7f0d3c2e-1b8a-4e5f-9c6d-8a2b1e4f3c07',
      event: 'abandoned',
    },
    context,
  );

describe('a workflow step whose conditional write loses', () => {
  it('gives up a request only from awaiting its return: moved meanwhile, nothing else is written', async () => {
    db.on(UpdateItemCommand).rejects(lostCondition());
    await expect(abandon()).resolves.toEqual({ changed: false });
    const updates = db.commandCalls(UpdateItemCommand);
    expect(updates).toHaveLength(1);
    const update = updates[0]!.args[0].input;
    expect(unmarshall(update.Key!)).toEqual({
      pk: 'CASE#0b4b7a52-5c1e-4d7c-9a57-2c1a3f9e6d01',
      sk: 'REQUEST#7f0d3c2e-1b8a-4e5f-9c6d-8a2b1e4f3c07',
    });
    expect(update.ConditionExpression).toBe('#st = :from');
    expect(unmarshall(update.ExpressionAttributeValues!)).toMatchObject({
      ':from': 'awaiting_return',
      ':v0': 'abandoned',
    });
    // No task completed, no trail entry: the return that came first is the request's outcome.
    expect(db.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  it('leaves as a transient failure when the write is throttled, for the ASL to retry', async () => {
    db.on(UpdateItemCommand).rejects(throttled());
    const failure = await abandon().catch((e: unknown) => e);
    expect(isTransient(failure)).toBe(true);
    expect(db.commandCalls(PutItemCommand)).toHaveLength(0);
  });
});
