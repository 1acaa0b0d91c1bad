import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_TABLES_VARIABLE } from '../../local/tables-variable.js';

/**
 * Before any test file: the scratch folder every test, tsx, CDK and the
 * browser write under (TMPDIR points there, see vitest.config.ts). A fresh
 * clone has none, and nobody should have to make it by hand.
 *
 * It also names the file where the first local stack of the run keeps the
 * tables it derived from the data stack's template, for the forty stacks
 * after it (local/stack.ts tableDefinitions); the file goes with the run.
 */
export default function setup(): () => void {
  const scratch = join(process.cwd(), '.tmp');
  mkdirSync(scratch, { recursive: true });
  const tables = join(scratch, `local-tables-${process.pid}.json`);
  process.env[LOCAL_TABLES_VARIABLE] = tables;
  return () => rmSync(tables, { force: true });
}
