import { fromEnv } from '@aws-sdk/credential-provider-env';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

type Init = NonNullable<Parameters<typeof fromEnv>[0]> & NonNullable<Parameters<typeof fromHttp>[0]>;

/**
 * The credentials chain of a deployed function. The bundler puts this module
 * in place of `@aws-sdk/credential-provider-node` (infra/constructs/bundling.ts):
 * Lambda hands a function its role's credentials in environment variables,
 * or, where it runs the function in a container, through the container
 * credentials endpoint. The SDK's default chain also carries profiles, SSO,
 * web identity and the instance metadata service, none of which a Lambda
 * function has: a third of every bundle and of its import time. The SDK
 * memoizes what this returns and asks again before it expires. The local
 * stack and the tests import the SDK unbundled and keep its default chain.
 */
export const defaultProvider =
  (init: Init = {}): AwsCredentialIdentityProvider =>
  async (props?: Record<string, unknown>): Promise<AwsCredentialIdentity> =>
    process.env.AWS_ACCESS_KEY_ID ? fromEnv(init)(props) : fromHttp(init)(props);
