import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Before any test file: the scratch folder every test, tsx, CDK and the
 * browser write under (TMPDIR points there, see vitest.config.ts). A fresh
 * clone has none, and nobody should have to make it by hand.
 */
export default function setup(): void {
  mkdirSync(join(process.cwd(), '.tmp'), { recursive: true });
}
