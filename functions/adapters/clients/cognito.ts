import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

let cognito: CognitoIdentityProviderClient | undefined;
export const userPool = () => (cognito ??= new CognitoIdentityProviderClient({}));
