import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dynamoClient, dynamoClientConfig } from '../../functions/adapters/clients/dynamo.js';
import { PROJECT_ROOT } from '../../infra/project.js';

/** Every TypeScript file under functions/, with its text. */
function sources(dir = join(PROJECT_ROOT, 'functions')): [string, string][] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e): [string, string][] =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [[join(dir, e.name), readFileSync(join(dir, e.name), 'utf8')]]
        : [],
  );
}

describe("the functions' DynamoDB clients", () => {
  afterEach(() => vi.unstubAllEnvs());

  // The bundles carry no adaptive retry mode (infra/constructs/bundling.ts standardRetryOnly).
  it('retry in standard mode whatever AWS_RETRY_MODE says', async () => {
    vi.stubEnv('AWS_RETRY_MODE', 'adaptive');
    const mode = async (client: DynamoDBClient) => ((await client.config.retryStrategy()) as { mode?: string }).mode;
    // A client made otherwise takes the mode the environment names.
    expect(await mode(new DynamoDBClient({ region: 'eu-west-2' }))).toBe('adaptive');
    expect(await mode(new DynamoDBClient({ region: 'eu-west-2', ...dynamoClientConfig() }))).toBe('standard');
    expect(await mode(dynamoClient())).toBe('standard');
    // Each client is given an object of its own.
    expect(dynamoClientConfig()).not.toBe(dynamoClientConfig());
  });

  it('are each made with dynamoClientConfig, Powertools idempotency store included', () => {
    const made = sources().flatMap(([file, text]) =>
      [...text.matchAll(/new (DynamoDBClient|\w*PersistenceLayer)\(([^;]*)/g)].map((m) => ({ file, args: m[2]! })),
    );
    expect(made.length).toBeGreaterThanOrEqual(2);
    for (const { file, args } of made) expect(args, file).toContain('dynamoClientConfig()');
  });
});
