import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClientConfig } from '../functions/adapters/clients/dynamo.js';
import { startDynalite } from '../local/stack.js';

/**
 * `npm run bench:call`: the CPU one DynamoDB call costs the calling process, through a client made as the functions'
 * is (functions/adapters/clients/dynamo.ts) with and without the SDK's `cacheMiddleware` (the command's middleware
 * resolved once, not on every call), side by side in one run: a GetItem of one small item from a dynalite of its own,
 * ten in flight, rounds of each in turn so a change in the machine's load falls on both. What 56f8070 measured when it
 * turned the cache on. Results: bench/results/call.{json,md}.
 */
const ROUNDS = 7;
const CALLS = 3000;
const IN_FLIGHT = 10;
mkdirSync(join(process.cwd(), '.tmp'), { recursive: true });
const dir = mkdtempSync(join(process.cwd(), '.tmp', 'bench-call-'));
const store = await startDynalite(dir, 0);
const loadAtStart = loadavg()[0]!;
const client = (cacheMiddleware: boolean) =>
  new DynamoDBClient({
    ...dynamoClientConfig(),
    endpoint: store.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    cacheMiddleware,
  });
const setup = client(false);
await setup.send(
  new CreateTableCommand({
    TableName: 'call',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  }),
);
const Key = { pk: { S: 'CASE#1' } };
await setup.send(new PutItemCommand({ TableName: 'call', Item: { ...Key, stage: { S: 'DATA_REQUEST_APPROVAL' } } }));

/** CPU ms of this process a call, over CALLS calls IN_FLIGHT at a time. */
async function cpuPerCall(c: DynamoDBClient): Promise<number> {
  const some = () =>
    Promise.all(
      Array.from({ length: IN_FLIGHT }, () =>
        c.send(new GetItemCommand({ TableName: 'call', Key, ConsistentRead: true })),
      ),
    );
  const cpu = process.cpuUsage();
  for (let i = 0; i < CALLS / IN_FLIGHT; i++) await some();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000 / CALLS;
}
const sides = { uncached: client(false), cached: client(true) };
// Warmed first, as a function's client is after its first calls.
for (const c of Object.values(sides)) await cpuPerCall(c);
const samples: Record<keyof typeof sides, number[]> = { uncached: [], cached: [] };
for (let r = 0; r < ROUNDS; r++)
  for (const side of (r % 2 ? ['cached', 'uncached'] : ['uncached', 'cached']) as (keyof typeof sides)[])
    samples[side].push(await cpuPerCall(sides[side]));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = { uncached: +median(samples.uncached).toFixed(3), cached: +median(samples.cached).toFixed(3) };

const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
const result = {
  command: 'npm run bench:call',
  commit,
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, loadavg1AtStart: +loadAtStart.toFixed(2), loadavg1: +loadavg()[0]!.toFixed(2) },
  calls: CALLS,
  inFlight: IN_FLIGHT,
  rounds: ROUNDS,
  cpuMsPerCall: ms,
  samples,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/call.json', `${JSON.stringify(result, null, 2)}\n`);
const md = [
  '# bench:call',
  '',
  `Command: \`npm run bench:call\` (commit ${commit}, ${result.at}, ${result.machine.cpus} cores, load average ${result.machine.loadavg1AtStart} at the start and ${result.machine.loadavg1} at the end).`,
  '',
  `CPU of this process a DynamoDB GetItem (one small item, a dynalite of its own, ${IN_FLIGHT} in flight), through a client made as the functions' is, with and without the SDK's \`cacheMiddleware\`: median of ${ROUNDS} rounds of ${CALLS} calls each, the two in turn.`,
  '',
  '| client | CPU ms a call |',
  '| --- | --- |',
  `| middleware resolved on every call (the SDK's default) | ${ms.uncached} |`,
  `| middleware resolved once a command (\`cacheMiddleware\`, the functions' client) | ${ms.cached} |`,
  '',
].join('\n');
writeFileSync('bench/results/call.md', md);
process.stdout.write(md);
for (const c of [setup, ...Object.values(sides)]) c.destroy();
await store.close();
rmSync(dir, { recursive: true, force: true });
