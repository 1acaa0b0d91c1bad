import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { tracer } from '#powertools';

let cognito: CognitoIdentityProviderClient | undefined;
export const userPool = () => (cognito ??= tracer.captureAWSv3Client(new CognitoIdentityProviderClient({})));
