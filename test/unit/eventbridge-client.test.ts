import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { publish } from '../../functions/adapters/events.js';
import { EVENTS, eventSchema } from '../../functions/schemas/events.js';
import { recordingServer, type Seen } from '../support/recordingServer.js';

/**
 * Case events out (functions/adapters/events.ts publish): EventBridge's
 * PutEvents as a signed POST of its JSON 1.1 protocol
 * (functions/adapters/clients/eventbridge.ts), against a server that records
 * what it is sent and answers as it is told.
 */
const JSON_11 = { 'content-type': 'application/x-amz-json-1.1' };
let aws: Awaited<ReturnType<typeof recordingServer>>;
const saved = { ...process.env };

beforeAll(async () => {
  aws = await recordingServer({ status: 500, body: '{}', headers: JSON_11 });
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_SESSION_TOKEN: 'session',
    AWS_ENDPOINT_URL_EVENTBRIDGE: aws.url,
    EVENT_BUS_NAME: 'force-bus',
  });
});
afterAll(async () => {
  process.env = saved;
  await aws.close();
});
beforeEach(() => aws.reset());

const detail = {
  schemaVersion: '1' as const,
  eventId: 'case-1#arrest-tasking',
  caseId: 'case-1',
  crimeReference: 'LOCAL/26/000123',
  force: 'LOCAL',
  suspect: { name: 'A Person', aliases: [] },
  risk: {
    four: { fixated: true, obsessive: true, unwanted: true, repeated: true },
    sdashYes: 6,
    enhancedRights: false,
  },
  raisedAt: '2026-12-01T09:00:00.000Z',
};

describe('the EventBridge client', () => {
  it('puts a case event as the SDK does: JSON 1.1, its target, signed for events', async () => {
    aws.answers.push({ status: 200, body: '{"FailedEntryCount":0,"Entries":[{"EventId":"e-1"}]}', headers: JSON_11 });
    await publish('ArrestTasking', detail);
    const [{ method, headers, body }] = aws.seen as [Seen];
    expect(method).toBe('POST');
    expect(headers['x-amz-target']).toBe('AWSEvents.PutEvents');
    expect(headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(headers['x-amz-security-token']).toBe('session');
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-2\/events\/aws4_request, SignedHeaders=\S*host\S*x-amz-target\S*, Signature=[0-9a-f]{64}$/,
    );
    const sent = JSON.parse(body.toString()) as { Entries: Record<string, string>[] };
    expect(sent.Entries).toHaveLength(1);
    expect(sent.Entries[0]).toMatchObject({
      EventBusName: 'force-bus',
      Source: 'police.right-to-know',
      DetailType: 'ArrestTasking',
    });
    expect(JSON.parse(sent.Entries[0]!.Detail!)).toEqual(detail);
  });

  it('fails when the entry is not accepted, and names the refusal as the SDK does', async () => {
    aws.answers.push({
      status: 200,
      body: '{"FailedEntryCount":1,"Entries":[{"ErrorCode":"InternalFailure"}]}',
      headers: JSON_11,
    });
    await expect(publish('ArrestTasking', detail)).rejects.toThrow(/not accepted: InternalFailure/);
    aws.answers.push({
      status: 400,
      body: '{"__type":"ResourceNotFoundException","message":"no bus"}',
      headers: JSON_11,
    });
    await expect(publish('ArrestTasking', detail)).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(aws.seen).toHaveLength(2);
  });

  it('sends no detail its schema refuses (each built on first use): a field unknown, missing or out of bounds', async () => {
    const offSchema = [
      { ...detail, note: 'a field no version has' },
      { ...detail, suspect: undefined },
      { ...detail, risk: { ...detail.risk, sdashYes: 12 } },
    ];
    for (const off of offSchema)
      await expect(publish('ArrestTasking', off as typeof detail), JSON.stringify(off)).rejects.toThrow();
    await expect(publish('ArrestTasking', { ...detail, schemaVersion: '9' } as never)).rejects.toMatchObject({
      name: 'EventRejected',
    });
    expect(aws.seen).toEqual([]);
    // Every version of every event refuses a detail with a field it does not know.
    for (const [name, versions] of Object.entries(EVENTS))
      for (const version of Object.keys(versions))
        expect(eventSchema(name, version)!.safeParse({ schemaVersion: version, unknown: 1 }).success).toBe(false);
  });
});
