import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { traced } from '#powertools';

let cognito: CognitoIdentityProviderClient | undefined;
export const userPool = () => (cognito ??= traced(new CognitoIdentityProviderClient({})));
