import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

let secrets: SecretsManagerClient | undefined;
export const secretStore = () => (secrets ??= new SecretsManagerClient({}));
