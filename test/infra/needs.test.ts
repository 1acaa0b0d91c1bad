import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { deployedRoutes } from '../../functions/routes.js';
import { WORKFLOW_FUNCTIONS } from '../../statemachines/bindings.js';
import { API_NEEDS, WORKFLOW_NEEDS, type Need } from '../../infra/access.js';
import { handlerEntry } from '../../infra/constructs/function.js';
import { PROJECT_ROOT } from '../../infra/project.js';

/**
 * The needs in infra/access.ts, checked against what each handler's code
 * does. Each handler is bundled with esbuild (our code only, packages left
 * out, unused code shaken off), and the bundle is read for the calls the
 * adapters make: a need the code does not use is a permission too many, a
 * use with no need is a failure in production.
 */
const bundles = new Map<string, string>();

beforeAll(async () => {
  const entryPoints: Record<string, string> = {};
  for (const [name] of deployedRoutes) entryPoints[`api/${name}`] = handlerEntry('api', name);
  for (const name of WORKFLOW_FUNCTIONS) entryPoints[`workflow/${name}`] = handlerEntry('workflow', name);
  const result = await esbuild.build({
    entryPoints,
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    packages: 'external',
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: join(PROJECT_ROOT, '.needs'),
    logLevel: 'silent',
  });
  for (const file of result.outputFiles)
    bundles.set(file.path.slice(join(PROJECT_ROOT, '.needs').length + 1).replace(/\.js$/, ''), file.text);
});

type Table = 'cases' | 'audit' | 'consultations' | 'idempotency';

/**
 * Every table access in a bundle, as the adapters write it: the table named
 * first in a command or a helper's input (queryAll, queryPage, adapters/audit.ts's putIf, and
 * adapters/clients/dynamo.ts's get, query, scan, put, update and remove, which send the client's own commands),
 * `new PutCommand({ TableName: tables.cases, ...`, `queryAll({ TableName: tables.audit, ...` or
 * `update({ TableName: tables.cases, ...`. A table
 * named any other way is reported, so that this check cannot go blind.
 */
const HELPER_OPERATIONS: Record<string, string> = {
  get: 'Get',
  query: 'Query',
  queryAll: 'Query',
  queryPage: 'Query',
  scan: 'Scan',
  put: 'Put',
  putIf: 'Put',
  update: 'Update',
  remove: 'Delete',
};
function tableAccesses(code: string): { table: Table; write: boolean }[] {
  const out: { table: Table; write: boolean }[] = [];
  for (const m of code.matchAll(/TableName: tables\d*\.(\w+)/g)) {
    const before = code.slice(Math.max(0, m.index - 200), m.index);
    const call = before.match(
      /(?:new (\w+?)Command\d*|\b(queryAll|queryPage|query|get|scan|putIf|put|update|remove)\d*)\(\s*\{\s*$/,
    );
    if (!call) throw new Error(`unrecognised access to the ${m[1]} table: …${before.slice(-80)}${m[0]}`);
    const operation = call[1] ?? HELPER_OPERATIONS[call[2]!]!;
    if (!['Get', 'Query', 'Put', 'Update', 'Delete'].includes(operation))
      throw new Error(`unrecognised operation ${operation} on the ${m[1]} table`);
    out.push({ table: m[1] as Table, write: !['Get', 'Query'].includes(operation) });
  }
  // A BatchGetItem names its tables as the keys of its RequestItems: `new BatchGetCommand({ RequestItems: {
  // [tables.cases]: …, [tables.audit]: … } })` or `batchGet({ RequestItems: { … } })`, a read of each.
  const batches = [...code.matchAll(/(?:new BatchGetCommand|\bbatchGet)\d*\(\s*\{\s*RequestItems:\s*\{/g)].map(
    (b) => b.index + b[0].length,
  );
  for (const m of code.matchAll(/\[tables\d*\.(\w+)\]/g)) {
    if (!batches.some((at) => m.index >= at && m.index - at < 400))
      throw new Error(
        `unrecognised access to the ${m[1]} table: …${code.slice(Math.max(0, m.index - 80), m.index)}${m[0]}`,
      );
    out.push({ table: m[1] as Table, write: false });
  }
  return out;
}

const sends = (code: string, command: string) => new RegExp(`new ${command}\\d*\\(`).test(code);
const readsSetting = (code: string, name: string) => new RegExp(`\\benv\\d*\\("${name}"\\)`).test(code);

function needsOf(code: string): Need[] {
  const needs: Need[] = [];
  const accesses = tableAccesses(code);
  const on = (table: Table) => accesses.filter((a) => a.table === table);
  if (on('cases').some((a) => a.write)) needs.push('cases:write');
  else if (on('cases').length) needs.push('cases:read');
  if (on('audit').some((a) => a.write)) needs.push('audit:append');
  else if (on('audit').length) needs.push('audit:read');
  // The consultation log: a view's put, or the views page's queries.
  if (on('consultations').some((a) => a.write)) needs.push('consultations:record');
  if (on('consultations').some((a) => !a.write)) needs.push('consultations:read');
  // Powertools' persistence layer is given the table by name; it reads, writes and deletes its records.
  if (on('idempotency').length || /tableName: tables\d*\.idempotency/.test(code)) needs.push('idempotency:use');
  // The documents bucket, through S3's SDK client or the signed requests of adapters/clients/s3.ts.
  const onDocuments = (verb: 'get' | 'put') =>
    new RegExp(`\\b${verb}Object\\d*\\(env\\d*\\("DOCUMENTS_BUCKET"\\)`).test(code);
  if (sends(code, 'GetObjectCommand') || onDocuments('get')) needs.push('documents:read');
  // Which prefix a put writes to tells letters from raw returns.
  const puts = sends(code, 'PutObjectCommand') || onDocuments('put');
  if (puts && code.includes('letters/')) needs.push('documents:write');
  if (puts && code.includes('returns/')) needs.push('returns:write');
  if (sends(code, 'PutEventsCommand')) needs.push('events:publish');
  if (readsSetting(code, 'NOTIFY_API_KEY_SECRET_ID')) needs.push('notify:send');
  if (readsSetting(code, 'NOTIFY_CALLBACK_SECRET_ID')) needs.push('notify:callback');
  if (readsSetting(code, 'TASK_TOKEN_KEY_SECRET_ID')) needs.push('tokens:seal');
  if (readsSetting(code, 'AUDIT_DIGEST_KEY_SECRET_ID')) needs.push('audit:digest');
  if (readsSetting(code, 'CURSOR_KEY_SECRET_ID')) needs.push('cursors:seal');
  if (sends(code, 'ListUsersCommand') || sends(code, 'AdminListGroupsForUserCommand')) needs.push('people:read');
  if (sends(code, 'StopExecutionCommand')) needs.push('workflow:continue');
  else if (sends(code, 'StartExecutionCommand')) needs.push('workflow:start');
  if (
    sends(code, 'SendTaskSuccessCommand') ||
    sends(code, 'SendTaskFailureCommand') ||
    sends(code, 'SendTaskHeartbeatCommand')
  )
    needs.push('workflow:signal');
  return needs.sort();
}

describe('needs match the code', () => {
  it('found a bundle for every function', () => {
    expect(bundles.size).toBe(deployedRoutes.length + WORKFLOW_FUNCTIONS.length);
  });

  it.each(deployedRoutes.map(([name]) => name))('api/%s', (name) => {
    expect(needsOf(bundles.get(`api/${name}`)!)).toEqual([...API_NEEDS[name as keyof typeof API_NEEDS]].sort());
  });

  it.each([...WORKFLOW_FUNCTIONS])('workflow/%s', (name) => {
    expect(needsOf(bundles.get(`workflow/${name}`)!)).toEqual([...WORKFLOW_NEEDS[name]].sort());
  });

  it('uses no table or setting that no need provides', () => {
    const known = new Set([
      'CASES_TABLE',
      'AUDIT_TABLE',
      'CONSULTATIONS_TABLE',
      'IDEMPOTENCY_TABLE',
      'DOCUMENTS_BUCKET',
      'EVENT_BUS_NAME',
      'NOTIFY_API_KEY_SECRET_ID',
      'NOTIFY_SMS_TEMPLATE_ID',
      'NOTIFY_CALLBACK_SECRET_ID',
      'TASK_TOKEN_KEY_SECRET_ID',
      'AUDIT_DIGEST_KEY_SECRET_ID',
      'CURSOR_KEY_SECRET_ID',
      'STATE_MACHINE_ARN',
      'USER_POOL_ID',
    ]);
    for (const [name, code] of bundles) {
      const [kind, fn] = name.split('/') as ['api' | 'workflow', string];
      const needs: readonly Need[] =
        kind === 'api' ? API_NEEDS[fn as keyof typeof API_NEEDS] : WORKFLOW_NEEDS[fn as keyof typeof WORKFLOW_NEEDS];
      expect(/\btables\d*\.idempotency\b/.test(code), `${name} uses the idempotency table`).toBe(
        needs.includes('idempotency:use'),
      );
      for (const [, setting] of code.matchAll(/\benv\d*\("([A-Z0-9_]+)"\)/g))
        expect(known.has(setting!), `${name} reads ${setting}`).toBe(true);
    }
  });
});

describe('the fault-injection seam', () => {
  it('is in no handler: it lives in the local stack only (local/faults.ts)', () => {
    expect(bundles.size).toBeGreaterThan(40);
    for (const [name, code] of bundles) {
      expect(code, name).not.toContain('InjectedFault');
      expect(code, name).not.toContain('LOCAL_FAULTS');
    }
  });
});
