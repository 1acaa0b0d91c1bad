import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findPerson } from '../../functions/adapters/people.js';
import { recordingServer, type Seen } from '../support/recordingServer.js';

/**
 * The user pool as transferOwner reads it (functions/adapters/people.ts
 * findPerson): Cognito's two operations as signed POSTs of its JSON 1.1
 * protocol (functions/adapters/clients/cognito.ts), against a server that
 * records what it is sent and answers as it is told.
 */
const JSON_11 = { 'content-type': 'application/x-amz-json-1.1' };
let aws: Awaited<ReturnType<typeof recordingServer>>;
const saved = { ...process.env };

beforeAll(async () => {
  aws = await recordingServer({ status: 500, body: '{}', headers: JSON_11 });
  delete process.env.LOCAL_PEOPLE;
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_SESSION_TOKEN: 'session',
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: aws.url,
    USER_POOL_ID: 'eu-west-2_pool',
  });
});
afterAll(async () => {
  process.env = saved;
  await aws.close();
});
beforeEach(() => aws.reset());

const user = {
  Username: 'dc.smith',
  Enabled: true,
  Attributes: [
    { Name: 'sub', Value: 'uuid-1' },
    { Name: 'name', Value: 'DC Smith' },
    { Name: 'custom:force', Value: 'LOCAL' },
    { Name: 'custom:rank', Value: 'constable' },
  ],
};

describe('the user pool client', () => {
  it('finds a person by sub, then their groups: JSON 1.1, each target, signed for cognito-idp', async () => {
    aws.answers.push(
      { status: 200, body: JSON.stringify({ Users: [user] }), headers: JSON_11 },
      {
        status: 200,
        body: JSON.stringify({ Groups: [{ GroupName: 'investigator' }, { GroupName: 'someone-else' }] }),
        headers: JSON_11,
      },
    );
    expect(await findPerson('uuid-1')).toEqual({
      sub: 'uuid-1',
      name: 'DC Smith',
      force: 'LOCAL',
      groups: ['investigator'],
      rank: 'constable',
    });
    const [list, groups] = aws.seen as [Seen, Seen];
    expect(list.headers['x-amz-target']).toBe('AWSCognitoIdentityProviderService.ListUsers');
    expect(groups.headers['x-amz-target']).toBe('AWSCognitoIdentityProviderService.AdminListGroupsForUser');
    for (const { method, headers } of [list, groups]) {
      expect(method).toBe('POST');
      expect(headers['content-type']).toBe('application/x-amz-json-1.1');
      expect(headers['x-amz-security-token']).toBe('session');
      expect(headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-2\/cognito-idp\/aws4_request, SignedHeaders=\S*host\S*x-amz-target\S*, Signature=[0-9a-f]{64}$/,
      );
    }
    expect(JSON.parse(list.body.toString())).toEqual({
      UserPoolId: 'eu-west-2_pool',
      Filter: 'sub = "uuid-1"',
      Limit: 1,
    });
    expect(JSON.parse(groups.body.toString())).toEqual({
      UserPoolId: 'eu-west-2_pool',
      Username: 'dc.smith',
      Limit: 60,
    });
  });

  it('finds nobody for a sub the pool does not hold, or a disabled user, without asking for groups', async () => {
    aws.answers.push({ status: 200, body: '{"Users":[]}', headers: JSON_11 });
    expect(await findPerson('uuid-2')).toBeUndefined();
    aws.answers.push({ status: 200, body: JSON.stringify({ Users: [{ ...user, Enabled: false }] }), headers: JSON_11 });
    expect(await findPerson('uuid-1')).toBeUndefined();
    expect(aws.seen.map((s) => s.headers['x-amz-target'])).toEqual([
      'AWSCognitoIdentityProviderService.ListUsers',
      'AWSCognitoIdentityProviderService.ListUsers',
    ]);
  });

  it('gives a refusal the name the SDK gives it, and tries a throttle again', async () => {
    aws.answers.push({
      status: 400,
      body: '{"__type":"ResourceNotFoundException","message":"User pool eu-west-2_pool does not exist."}',
      headers: JSON_11,
    });
    await expect(findPerson('uuid-1')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'User pool eu-west-2_pool does not exist.',
      $metadata: { httpStatusCode: 400 },
    });
    expect(aws.seen).toHaveLength(1);
    aws.reset();
    aws.answers.push(
      { status: 429, body: '{"__type":"TooManyRequestsException"}', headers: JSON_11 },
      { status: 200, body: '{"Users":[]}', headers: JSON_11 },
    );
    expect(await findPerson('uuid-1')).toBeUndefined();
    expect(aws.seen).toHaveLength(2);
  });
});
