import { Command, jsonClient } from './awsJson.js';

/**
 * Cognito's user pool, as the product reads it (functions/adapters/people.ts):
 * two operations of its JSON 1.1 protocol, each one signed POST
 * (functions/adapters/clients/awsJson.ts) rather than the SDK's client, which
 * weighed about 32 kB in the handler that hands a case to another owner.
 * The commands keep the SDK's names and the fields read, and a refusal its
 * name (`UserNotFoundException`, `TooManyRequestsException`...).
 */
export interface PoolUser {
  Username?: string;
  Enabled?: boolean;
  Attributes?: { Name?: string; Value?: string }[];
}

export class ListUsersCommand extends Command<
  { UserPoolId: string; Filter?: string; Limit?: number },
  { Users?: PoolUser[] }
> {
  constructor(input: ListUsersCommand['input']) {
    super('ListUsers', input);
  }
}

export class AdminListGroupsForUserCommand extends Command<
  { UserPoolId: string; Username: string; Limit?: number },
  { Groups?: { GroupName?: string }[] }
> {
  constructor(input: AdminListGroupsForUserCommand['input']) {
    super('AdminListGroupsForUser', input);
  }
}

const client = jsonClient({
  signingName: 'cognito-idp',
  envId: 'COGNITO_IDENTITY_PROVIDER',
  traceName: 'CognitoIdentityProvider',
  host: (region) => `cognito-idp.${region}.amazonaws.com`,
  version: '1.1',
  targetPrefix: 'AWSCognitoIdentityProviderService',
});
export const userPool = () => client;
