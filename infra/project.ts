import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: esbuild's project root, where cdk.json, package-lock.json and functions/ live. */
export const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Production runs in London only. */
export const REGION = 'eu-west-2';

/** Asset bundling is skipped for every stack not listed under this context key (the CLI lists them all). */
export const BUNDLING_STACKS_CONTEXT = 'aws:cdk:bundling-stacks';

/** The feature flags of cdk.json, so that an in-process synth (tests, local tables) builds what `cdk synth` builds. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}
