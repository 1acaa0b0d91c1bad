import '../local/polyfill.js';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { appendAudit } from '../functions/adapters/audit.js';
import { chainLength } from '../functions/adapters/auditPages.js';
import { dynamoClientConfig, watchDynamoCalls } from '../functions/adapters/clients/dynamo.js';
import { tables } from '../functions/adapters/env.js';
import { SEEDED_USERS } from '../local/auth.js';
import { ApiClient, type ApiResponse } from '../local/client.js';
import { demoCaseBody } from '../local/scenario.js';
import { startStack, type StoreStats } from '../local/stack.js';
import { benchChain } from './appends.js';
import { storeCallKey } from './storeCalls.js';

/**
 * `npm run bench:scale`: a force of N cases (default 10,000) opened through
 * the API by the seeded investigators and left at mixed stages by the seeded
 * supervisors (a third approved at gate 1 and on to their platform requests,
 * a tenth rejected, the rest waiting at gate 1), each with a suspect account
 * of its own. Then, in the same run: each list's first and a deep page, one
 * person and 50 at once; 50 people reading cases beside a bare floor (a
 * node:http server answering each request with one GetItem from the same
 * store); the DynamoDB calls of one list request at a tenth of N and at N;
 * the calls of one audit append at chain length 10 and 10,000; the store
 * process's memory at start and end. Results: bench/results/scale.{json,md}.
 */
const { values: flags } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    /** Cases being opened at once while seeding. */
    concurrency: { type: 'string', default: '24' },
    /** People at once in the concurrent measurements. */
    people: { type: 'string', default: '50' },
    /** Seconds each side of the readers-against-floor comparison runs. */
    seconds: { type: 'string', default: '15' },
    /** Entries in the long audit chain. */
    chain: { type: 'string', default: '10000' },
    /**
     * A wall-clock time (HH:MM, UTC) at which seeding stops wherever it has got to, so the measurements still run on
     * a loaded machine: the force is seeded in steps of a tenth of N, each decided before the next.
     */
    'seed-until': { type: 'string' },
    /**
     * A kept store: the folder the local stack persists to (dynalite's LevelDB, the workflow's executions, the
     * keys), with what the seeding made (the cases and their fates, the checkpoint at a tenth of N, the bench's
     * audit chain) in its bench-scale.json. Not deleted at the end. Without it the store is a throwaway folder.
     */
    store: { type: 'string' },
    /** Seed the kept store and stop: no measurement (it runs later, with --reuse, on the newest code). */
    'seed-only': { type: 'boolean', default: false },
    /** Measure against the kept store as seeded, without seeding again. */
    reuse: { type: 'boolean', default: false },
    /**
     * With --reuse: only the 50 people reading cases beside the floor, printed and not written to bench/results (a
     * quick look while working on the read; the recorded figures come from a whole run).
     */
    'reading-only': { type: 'boolean', default: false },
  },
});
if ((flags.reuse || flags['seed-only']) && !flags.store) throw new Error('--reuse and --seed-only need --store <dir>');
if (flags.reuse && flags['seed-only']) throw new Error('--reuse measures a seeded store; --seed-only seeds one');
if (flags['reading-only'] && !flags.reuse) throw new Error('--reading-only measures a seeded store: add --reuse');
const N = Number(flags.cases);
const CONCURRENCY = Number(flags.concurrency);
const PEOPLE = Number(flags.people);
const SECONDS = Number(flags.seconds);
const CHAIN = Number(flags.chain);
/** The next time the clock shows HH:MM (UTC): today's, or tomorrow's if today's has passed. */
function nextClockTime(hhmm: string) {
  const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T${hhmm}:00Z`);
  if (!Number.isFinite(today)) throw new Error(`--seed-until ${hhmm}: not a time HH:MM`);
  return today > Date.now() ? today : today + 86_400_000;
}
const SEED_UNTIL = flags['seed-until'] ? nextClockTime(flags['seed-until']) : Infinity;
const COMMAND = ['npm run bench:scale', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
const PAGE_LIMIT = 50;
/** How many pages deep the deep page is (or the last page, if there are fewer). */
const DEEP_PAGES = 20;
/** Samples a latency measurement takes at most, and the time it may take. */
const SAMPLES = 40;
const MEASURE_MS = 30_000;

mkdirSync(join(process.cwd(), '.tmp'), { recursive: true });
mkdirSync('bench/results', { recursive: true });
process.env.TMPDIR ??= join(process.cwd(), '.tmp');

const round = (x: number, places = 1) => (Number.isFinite(x) ? +x.toFixed(places) : null);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function percentiles(values: readonly number[]) {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]! : NaN);
  return { n: s.length, p50: round(at(0.5)), p99: round(at(0.99)) };
}
async function pool<T>(items: readonly T[], width: number, work: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}
const log = (line: string) =>
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} (load ${loadavg()[0]!.toFixed(1)}) ${line}\n`);

// ------------------------------------------------------------------ the stack

const KEPT = flags.store !== undefined;
const dataDir = KEPT ? resolve(flags.store!) : mkdtempSync(join(process.cwd(), '.tmp', 'bench-scale-'));
const MANIFEST = join(dataDir, 'bench-scale.json');
if (flags.reuse && !existsSync(MANIFEST)) throw new Error(`${MANIFEST} is missing: seed the store first (--seed-only)`);
/** A kept store seeded part of the way (--seed-until) is seeded on from where it stopped. */
const CONTINUING = !flags.reuse && existsSync(MANIFEST);
const commitOf = () => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return process.env.BENCH_COMMIT ?? 'unknown';
  }
};
/**
 * A reused store's cases are not continued: the measuring run only reads (its views are recorded), and resuming
 * thousands of waiting executions at start would be work the seeding did, not the reads measured.
 */
const stack = await startStack({ port: 0, dataDir, timeScale: 1, quiet: true, resume: !flags.reuse && !CONTINUING });
const api = new ApiClient(stack.apiUrl);
const storeAtStart = await stack.storeStats();
const startedAt = Date.now();
const loadAtStart = loadavg()[0]!;
process.on('SIGINT', () => {
  void stack.stop().finally(() => {
    if (!KEPT) rmSync(dataDir, { recursive: true, force: true });
    process.exit(130);
  });
});

// Every DynamoDB call the handlers make goes through this one client.
let storeCalls = 0;
/** The bench's audit chain: its calls are counted apart, so the force's work beside it does not blur them. */
const CHAIN_PREFIX = 'BENCH-CHAIN-';
let chainCalls = 0;
const callsByOperation: Record<string, number> = {};
watchDynamoCalls((commandName, input) => {
  storeCalls++;
  // The chain lives in the audit table: only a call there is looked into (the look costs the process CPU).
  if (
    (input.TableName === tables.audit || (input.RequestItems && tables.audit in input.RequestItems)) &&
    JSON.stringify(input).includes(CHAIN_PREFIX)
  )
    chainCalls++;
  const key = storeCallKey(commandName, input);
  callsByOperation[key] = (callsByOperation[key] ?? 0) + 1;
});

const INVESTIGATORS = ['inv.alice', 'inv.ahmed'];
const PEOPLE_OF_FORCE = SEEDED_USERS.map((u) => u.username);
await Promise.all(PEOPLE_OF_FORCE.map((u) => api.token(u)));

/** A request sent again after a 503 (busy), as the console does. */
async function patient<T>(send: () => Promise<ApiResponse<T>>): Promise<ApiResponse<T>> {
  for (let attempt = 0; ; attempt++) {
    const r = await send();
    if ((r.status !== 503 && r.status !== 429) || attempt >= 10) return r;
    await sleep(200 * (attempt + 1));
  }
}

// ------------------------------------------------------------------ seeding

const AUTHORISATION = {
  route: 'ocda',
  reference: 'OCDA/BENCH/1',
  dataType: 'entity',
  expiresAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
};

interface Seeded {
  caseId: string;
  fate: 'approve' | 'reject' | 'wait';
}
const cases: Seeded[] = [];
const seedFailures: Record<string, number> = {};
const fail = (what: string) => {
  seedFailures[what] = (seedFailures[what] ?? 0) + 1;
};
let seq = 0;

/** What a kept store's seeding made, in its bench-scale.json: a later --reuse run measures against it. */
interface Kept {
  asked: number;
  seeded: { command: string; commit: string; startedAt: string; at: string };
  seq: number;
  cases: Seeded[];
  seedFailures: Record<string, number>;
  seedSeconds: number;
  /** The seeding's steps: the cases reached, the seconds taken, the load average at the step's end. */
  steps: { to: number; seconds: number; load: number; at: string }[];
  /** The DynamoDB calls of one list request at a tenth of N, measured by the seeding's code. */
  checkpoint: { cases: number; calls: Record<string, number | null>; commit: string } | null;
  /** The bench's long audit chain and the length it reached. */
  chain: { id: string; length: number; seconds: number };
  store: { atStartMiB: number | null; atEndMiB: number | null };
  /** Where the next measuring run's readers start in the cases, so each run opens cases nobody has viewed. */
  readerOffset: number;
}
const kept: Kept =
  flags.reuse || CONTINUING
    ? (JSON.parse(readFileSync(MANIFEST, 'utf8')) as Kept)
    : {
        asked: N,
        seeded: { command: COMMAND, commit: commitOf(), startedAt: new Date().toISOString(), at: '' },
        seq: 0,
        cases: [],
        seedFailures: {},
        seedSeconds: 0,
        steps: [],
        checkpoint: null,
        chain: { id: `${CHAIN_PREFIX}${Date.now()}`, length: 0, seconds: 0 },
        store: { atStartMiB: round(storeAtStart.rss / 2 ** 20), atEndMiB: null },
        readerOffset: 0,
      };
const keep = () => {
  if (!KEPT) return;
  Object.assign(kept, { seq, cases, seedFailures, seeded: { ...kept.seeded, at: new Date().toISOString() } });
  writeFileSync(MANIFEST, `${JSON.stringify(kept)}\n`);
};
if (flags.reuse || CONTINUING) {
  cases.push(...kept.cases);
  Object.assign(seedFailures, kept.seedFailures);
  seq = kept.seq;
}

/** Open case i through POST /cases as one of the investigators; its fate is decided later, from the queue. */
async function openOne(i: number) {
  const body = demoCaseBody(`LOCAL/26/${String(i).padStart(7, '0')}`);
  body.accounts = [
    {
      ...body.accounts[0]!,
      handle: `@bench_${i}`,
      platformUserId: `9${String(i).padStart(16, '0')}`,
      url: `https://instagram.com/bench_${i}`,
    },
  ];
  const opened = await patient(() => api.post<{ caseId: string }>('/cases', INVESTIGATORS[i % 2]!, body));
  if (opened.status !== 201) return fail(`open ${opened.status} ${JSON.stringify(opened.body).slice(0, 200)}`);
  const fate: Seeded['fate'] = i % 10 === 9 ? 'reject' : i % 3 === 0 ? 'approve' : 'wait';
  cases.push({ caseId: opened.body.caseId, fate });
}

/**
 * The supervisor works through the queue as the console shows it: every page of GET /approvals (what the
 * workflow opened at gate 1), then a decision on each approval of a case fated to be approved or rejected.
 */
async function decideFromQueue(batch: readonly Seeded[]) {
  const fates = new Map(batch.filter((c) => c.fate !== 'wait').map((c) => [c.caseId, c.fate]));
  const pending = new Map<string, string>();
  const deadline = Date.now() + 300_000;
  while (pending.size < fates.size && Date.now() < deadline) {
    for (const a of await api.all<{ approvalId: string; caseId: string }>('/approvals', 'sgt.bob'))
      if (fates.has(a.caseId)) pending.set(a.caseId, a.approvalId);
    if (pending.size < fates.size) await sleep(2000);
  }
  for (let k = pending.size; k < fates.size; k++) fail('no approval');
  await pool([...pending], CONCURRENCY, async ([caseId, approvalId]) => {
    const approve = fates.get(caseId) === 'approve';
    const decided = await patient(() =>
      api.post(`/approvals/${approvalId}/decision`, 'sgt.bob', {
        decision: approve ? 'approve' : 'reject',
        rationale: `${approve ? 'Approved' : 'Rejected'} after reading the evidence (bench).`,
        ...(approve ? { authorisation: AUTHORISATION } : {}),
      }),
    ).catch(() => ({ status: 0 }));
    if (decided.status !== 200) fail(`decision ${decided.status}`);
  });
}

/** Open cases up to `count` (CONCURRENCY at once), let the workflow open their gates, then decide from the queue. */
async function seedTo(count: number) {
  const from = seq;
  const t0 = Date.now();
  const before = cases.length;
  await pool(
    Array.from({ length: count - from }, (_, k) => from + k),
    CONCURRENCY,
    async (i) => {
      await openOne(i).catch((e: Error) => fail(`error ${e.name}: ${e.message.slice(0, 80)}`));
      if ((i + 1) % 500 === 0) log(`opened ${i + 1} of ${N}`);
    },
  );
  seq = count;
  await quiet();
  log(`deciding gate 1 for a third (approve) and a tenth (reject) of ${cases.length - before} cases`);
  await decideFromQueue(cases.slice(before));
  await quiet();
  if (Object.keys(seedFailures).length) log(`seeding failures so far: ${JSON.stringify(seedFailures)}`);
  const seconds = (Date.now() - t0) / 1000;
  kept.steps.push({
    to: count,
    seconds: round(seconds)!,
    load: round(loadavg()[0]!, 2)!,
    at: new Date().toISOString(),
  });
  kept.seedSeconds = round(kept.seedSeconds + seconds)!;
  keep();
  return seconds;
}

/** Until the workflow has nothing left to do: no store call for two seconds. */
async function quiet(maxMs = 300_000) {
  const deadline = Date.now() + maxMs;
  // The bench's own audit chain, filling beside the seeding, is not the workflow's work.
  const force = () => storeCalls - chainCalls;
  let last = force();
  for (;;) {
    await sleep(2000);
    if (force() === last || Date.now() > deadline) return;
    last = force();
  }
}

// ------------------------------------------------------------------ lists

interface ListSpec {
  name: string;
  path: () => string;
  as: string;
}
const LISTS: ListSpec[] = [
  { name: 'GET /cases', path: () => '/cases', as: 'sgt.bob' },
  { name: 'GET /approvals', path: () => '/approvals', as: 'sgt.bob' },
  { name: 'GET /faults', path: () => '/faults', as: 'sgt.bob' },
  { name: 'GET /requests', path: () => '/requests', as: 'spoc.sam' },
  { name: 'GET /cases/{caseId}/audit', path: () => `/cases/${cases[0]!.caseId}/audit`, as: 'aud.frank' },
  { name: 'GET /cases/{caseId}/timeline', path: () => `/cases/${cases[0]!.caseId}/timeline`, as: 'inv.alice' },
  { name: 'GET /cases/{caseId}/views', path: () => `/cases/${cases[0]!.caseId}/views`, as: 'aud.frank' },
];
type Page = { items: unknown[]; nextCursor: string | null };
const paged = (body: unknown): body is Page =>
  typeof body === 'object' && body !== null && Array.isArray((body as Page).items);
const withQuery = (path: string, q: Record<string, string>) =>
  `${path}${path.includes('?') ? '&' : '?'}${new URLSearchParams(q).toString()}`;

async function timed(path: string, as: string) {
  const t0 = performance.now();
  const r = await api.get(path, as);
  return { ms: performance.now() - t0, status: r.status, body: r.body };
}

/** Latency of one request path: one person asking again and again, then PEOPLE at once. */
async function latency(path: string, as: string, samples = SAMPLES, people = PEOPLE) {
  const single: number[] = [];
  const statuses: Record<number, number> = {};
  const deadline = Date.now() + MEASURE_MS;
  for (let i = 0; i < samples && Date.now() < deadline; i++) {
    const r = await timed(path, as);
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    single.push(r.ms);
  }
  const concurrent: number[] = [];
  const until = Date.now() + MEASURE_MS;
  await Promise.all(
    Array.from({ length: people }, async () => {
      for (let i = 0; i < 3 && Date.now() < until; i++) {
        const r = await timed(path, as);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        concurrent.push(r.ms);
      }
    }),
  );
  return { single: percentiles(single), concurrent: percentiles(concurrent), statuses };
}

/**
 * The DynamoDB calls of one request, alone: the least of three tries, so a stray workflow call is not counted, and
 * never the bench's own audit chain, which may still be filling beside it.
 */
async function callsOf(path: string, as: string) {
  const force = () => storeCalls - chainCalls;
  let least = Infinity;
  for (let i = 0; i < 3; i++) {
    const before = force();
    await api.get(path, as);
    least = Math.min(least, force() - before);
  }
  return least;
}

async function measureLists() {
  const out: Record<string, unknown> = {};
  for (const list of LISTS) {
    const first = withQuery(list.path(), { limit: String(PAGE_LIMIT) });
    const probe = await timed(first, list.as);
    if (probe.status === 404) {
      out[list.name] = { route: 'absent (404)' };
      continue;
    }
    if (!paged(probe.body)) {
      log(`${list.name}: unpaged (${Array.isArray(probe.body) ? probe.body.length : '?'} items in one answer)`);
      // An unpaged list reads every item it holds: a few samples of one person only, or it would hold the machine for minutes.
      out[list.name] = {
        paged: false,
        items: Array.isArray(probe.body) ? probe.body.length : null,
        firstPage: await latency(list.path(), list.as, 5, 0),
        deepPage: null,
      };
      continue;
    }
    // Walk to the deep page, keeping its cursor.
    let cursor = probe.body.nextCursor;
    let depth = 1;
    let deepPath: string | null = null;
    while (cursor && depth < DEEP_PAGES) {
      deepPath = withQuery(list.path(), { limit: String(PAGE_LIMIT), cursor });
      const r = await api.get<Page>(deepPath, list.as);
      if (r.status !== 200 || !paged(r.body)) break;
      depth++;
      cursor = r.body.nextCursor;
    }
    const measuredList = {
      paged: true,
      firstPage: await latency(first, list.as),
      deepPage: deepPath ? { page: depth, ...(await latency(deepPath, list.as)) } : null,
    };
    out[list.name] = measuredList;
    log(`${list.name}: paged, deep page ${depth}: ${JSON.stringify(measuredList)}`);
  }
  return out;
}

async function listCalls() {
  const out: Record<string, number | null> = {};
  for (const list of LISTS) {
    const first = withQuery(list.path(), { limit: String(PAGE_LIMIT) });
    const probe = await api.get(first, list.as);
    out[list.name] = probe.status === 404 ? null : await callsOf(first, list.as);
  }
  return out;
}

// ------------------------------------------------------------------ readers and the floor

/**
 * The floor: node:http answering one GetItem of the case's item. Its client is made as the functions' is (the
 * DynamoDB client's own command, its resolved middleware kept, the item unmarshalled as the functions do), so the
 * floor has every saving the product's calls have and the ratio is of the work, not of the client's settings.
 */
async function startFloor(): Promise<{ url: string; server: Server; client: DynamoDBClient }> {
  const client = new DynamoDBClient({
    ...dynamoClientConfig(),
    endpoint: stack.endpoints.dynamodb,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    cacheMiddleware: true,
  });
  // Its calls are counted with the handlers' (exactly one a read).
  client.middlewareStack.add(
    (next) => (args) => {
      storeCalls++;
      return next(args);
    },
    { step: 'initialize', name: 'benchScaleFloorCalls' },
  );
  const server = createServer((req, res) => {
    const caseId = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
    const Key = marshall({ pk: `CASE#${caseId}`, sk: 'CASE' });
    client
      .send(new GetItemCommand({ TableName: 'cases', Key, ConsistentRead: true }))
      .then((out) => {
        res.writeHead(out.Item ? 200 : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify(out.Item ? unmarshall(out.Item) : {}));
      })
      .catch(() => {
        res.writeHead(500);
        res.end();
      });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server, client };
}

/** Cases each reader works on: a person's own cases, read again and again as the console refreshes them. */
const WORKING_SET = 20;
/** Alternating rounds of the floor and the API, so a change in the machine's load falls on both sides alike. */
const ROUNDS = 3;

interface Reader {
  person: string;
  mine: string[];
  /** The ETag of each case as this person last read it (the console's conditional refresh). */
  tags: Map<string, string>;
}
/** A kept store's runs each start where the last one stopped (bench-scale.json), so every opening opens a case afresh. */
const readersOf = (): Reader[] => {
  const offset = kept.readerOffset;
  kept.readerOffset += PEOPLE * WORKING_SET;
  keep();
  return Array.from({ length: PEOPLE }, (_, p) => ({
    person: PEOPLE_OF_FORCE[p % PEOPLE_OF_FORCE.length]!,
    mine: Array.from({ length: WORKING_SET }, (_, k) => cases[(offset + p * WORKING_SET + k) % cases.length]!.caseId),
    tags: new Map(),
  }));
};
type Read = (caseId: string, reader: Reader) => Promise<number>;

interface Tally {
  ms: number[];
  statuses: Record<number, number>;
  seconds: number;
  calls: number;
  /** The handlers' DynamoDB calls by operation and table (the floor's are not among them). */
  ops: Record<string, number>;
  /** CPU ms the store process used while this side read. */
  storeCpuMs: number;
  /** CPU ms this process used while this side read: the server (the API and its handlers, or the floor) and the readers' client. */
  processCpuMs: number;
}
const tally = (): Tally => ({ ms: [], statuses: {}, seconds: 0, calls: 0, ops: {}, storeCpuMs: 0, processCpuMs: 0 });
const summary = (t: Tally) => ({
  requests: t.ms.length,
  perSecond: round(t.ms.length / Math.max(1e-9, t.seconds)),
  latencyMs: percentiles(t.ms),
  statuses: t.statuses,
  /** Of the answers, the share that were 304s (a refresh whose tag still held). */
  notModifiedShare: round((t.statuses[304] ?? 0) / Math.max(1, t.ms.length), 3),
  storeCallsPerRead: round(t.calls / Math.max(1, t.ms.length), 2),
  /** Where a read's work went: the store process's CPU ms a read, and this process's (server and clients). */
  storeCpuMsPerRead: round(t.storeCpuMs / Math.max(1, t.ms.length), 2),
  processCpuMsPerRead: round(t.processCpuMs / Math.max(1, t.ms.length), 2),
  /** What a read costs, call by call: each operation's calls per read. */
  callsPerReadByOperation: Object.fromEntries(
    Object.entries(t.ops)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => [k, round(v / Math.max(1, t.ms.length), 2)]),
  ),
});

/**
 * Counts what `work` costs into the tally: the store calls (all of them, and the handlers' by operation) and the CPU
 * time of the store process and of this one.
 */
async function costed(into: Tally, work: () => Promise<void>) {
  const calls = storeCalls;
  const ops = { ...callsByOperation };
  const storeCpu = (await stack.storeStats()).cpuMs;
  const cpu = process.cpuUsage();
  await work();
  const used = process.cpuUsage(cpu);
  into.processCpuMs += (used.user + used.system) / 1000;
  into.storeCpuMs += (await stack.storeStats()).cpuMs - storeCpu;
  into.calls += storeCalls - calls;
  for (const [k, v] of Object.entries(callsByOperation)) {
    const d = v - (ops[k] ?? 0);
    if (d) into.ops[k] = (into.ops[k] ?? 0) + d;
  }
}

async function timedRead(read: Read, caseId: string, reader: Reader, into: Tally) {
  const t0 = performance.now();
  const status = await read(caseId, reader).catch(() => 0);
  into.ms.push(performance.now() - t0);
  into.statuses[status] = (into.statuses[status] ?? 0) + 1;
}

/** Every reader once through `part` of their working set, all at once: each (person, case) of it read once. */
async function sweep(readers: Reader[], read: Read, into: Tally, part: (mine: string[]) => string[]) {
  const t0 = performance.now();
  await costed(into, async () => {
    await Promise.all(
      readers.map(async (r) => {
        for (const caseId of part(r.mine)) await timedRead(read, caseId, r, into);
      }),
    );
  });
  into.seconds += (performance.now() - t0) / 1000;
}

/** Every reader reading a case of their working set at random, one after another, for `seconds`. */
async function spell(readers: Reader[], read: Read, seconds: number, into: Tally) {
  const t0 = performance.now();
  const until = Date.now() + seconds * 1000;
  await costed(into, async () => {
    await Promise.all(
      readers.map(async (r) => {
        while (Date.now() < until) await timedRead(read, r.mine[Math.floor(Math.random() * r.mine.length)]!, r, into);
      }),
    );
  });
  into.seconds += (performance.now() - t0) / 1000;
}

/**
 * PEOPLE people reading cases, beside the floor, in three kinds of read, in this order:
 * - opening: each person's first read of each case of their working set (each records a view: one conditional put
 *   to the consultation log), a third of the cases a round, the floor's sweep beside the API's;
 * - refreshing, straight after: the console polling what it has open, each case at random with If-None-Match
 *   holding the ETag of the person's last read of it, the first being their opening's (a tag names the minute it
 *   was made in, policy.listTagSeconds, so one made before the turn of a minute is answered in full, and the new
 *   tag holds from there: the 304 share says how many polls were answered from the version read alone);
 * - reading again: the same cases at random without a tag, the views already recorded in the window (a full 200,
 *   from what this process kept of the case while its version and chain head stand, one version read; else built
 *   afresh from the case's items and the trail's newest entries, two reads; no put).
 * The floor reads the same cases, one GetItem each, in the same pattern; ratios are of requests per second. Each
 * kind names what a read cost, call by call.
 */
async function readersAgainstFloor() {
  const floor = await startFloor();
  const floorRead: Read = async (caseId) => {
    const r = await fetch(`${floor.url}/cases/${caseId}`);
    await r.arrayBuffer();
    return r.status;
  };
  // The API's answer is taken as the floor's is (its bytes read, not parsed), so the readers' own work is the same on
  // both sides and what differs is the server's; the tag is kept from the header.
  const apiGet = async (caseId: string, reader: Reader, tag?: string) => {
    const r = await fetch(`${stack.apiUrl}/cases/${caseId}`, {
      headers: { authorization: `Bearer ${await api.token(reader.person)}`, ...(tag ? { 'if-none-match': tag } : {}) },
    });
    await r.arrayBuffer();
    const next = r.headers.get('etag');
    if (next) reader.tags.set(caseId, next);
    return r.status;
  };
  const apiRead: Read = (caseId, reader) => apiGet(caseId, reader);
  const refresh: Read = (caseId, reader) => apiGet(caseId, reader, reader.tags.get(caseId));
  const readers = readersOf();
  const opening = { floor: tally(), api: tally() };
  // A third of each person's cases a round, the floor's sweep and then the API's: a change in the machine's load
  // falls on both sides, as in the other kinds (each case is still opened once, its view recorded once).
  for (let round = 0; round < ROUNDS; round++) {
    const part = (mine: string[]) => mine.filter((_, k) => k % ROUNDS === round);
    await sweep(readers, floorRead, opening.floor, part);
    await sweep(readers, apiRead, opening.api, part);
  }
  const again = { floor: tally(), api: tally() };
  const refreshing = { floor: tally(), api: tally() };
  // The refreshes begin with the tags the opening gave, as a console polls the case it has just opened.
  for (let round = 0; round < ROUNDS; round++) {
    await spell(readers, refresh, SECONDS / ROUNDS, refreshing.api);
    await spell(readers, floorRead, SECONDS / ROUNDS, refreshing.floor);
  }
  for (let round = 0; round < ROUNDS; round++) {
    await spell(readers, floorRead, SECONDS / ROUNDS, again.floor);
    await spell(readers, apiRead, SECONDS / ROUNDS, again.api);
  }
  await new Promise((r) => floor.server.close(() => r(undefined)));
  floor.client.destroy();
  const side = (t: { floor: Tally; api: Tally }) => {
    const f = summary(t.floor);
    const a = summary(t.api);
    return { floor: f, full: a, ratio: round((a.perSecond ?? 0) / Math.max(1e-9, f.perSecond ?? 0), 3) };
  };
  return { opening: side(opening), refreshing: side(refreshing), again: side(again) };
}

// ------------------------------------------------------------------ audit appends

const chain = benchChain(kept.chain.id, () => chainCalls);

// ------------------------------------------------------------------ the run

const SEEDING = !flags.reuse;
let atShort: Awaited<ReturnType<typeof chain.measure>>;
// Once the readers are measured (or, seeding only, at the seeding's deadline) the chain stops where it has got to.
let measured = false;
let filling: Promise<{ length: number; seconds: number }> = Promise.resolve({
  length: kept.chain.length,
  seconds: kept.chain.seconds,
});
if (SEEDING) {
  // The long audit chain fills (one append after another, as one case's trail grows) while the force is seeded.
  if (!CONTINUING) for (let i = 0; i < 7; i++) await appendAudit(chain.draft(i));
  atShort = await chain.measure();
  log(`audit appends measured at chain length 10; the chain fills to ${CHAIN} beside the seeding`);
  if (CONTINUING) log(`seeding on from ${seq} cases and a chain of ${kept.chain.length} (of ${kept.asked})`);
  filling = chain.fill(
    Math.max(10, kept.chain.length),
    CHAIN,
    (n) => {
      log(`audit chain at ${n}`);
      kept.chain.length = n;
    },
    () => measured || (flags['seed-only'] && Date.now() > SEED_UNTIL),
  );
  const tenth = Math.max(1, Math.round(N / 10));
  log(`seeding ${tenth} cases (a tenth of ${N})`);
  if (!kept.checkpoint) {
    await seedTo(tenth);
    kept.checkpoint = { cases: tenth, calls: await listCalls(), commit: commitOf() };
    keep();
    log(`calls per list request at ${tenth}: ${JSON.stringify(kept.checkpoint.calls)}`);
  }
  // On to N a tenth at a time, each step decided before the next; a step is not begun past the seeding deadline.
  while (seq < N && Date.now() < SEED_UNTIL) {
    await seedTo(Math.min(N, seq + tenth));
    log(`seeded ${seq} of ${N}`);
  }
  if (flags['seed-only']) {
    log(`seeded ${seq} cases into ${dataDir}; the audit chain fills on to ${CHAIN} (or the deadline)`);
    const filled = await filling;
    kept.chain = { ...kept.chain, ...filled };
    kept.store.atEndMiB = round((await stack.storeStats()).rss / 2 ** 20);
    keep();
    log(`audit chain at ${filled.length}; measure with: npm run bench:scale -- --store ${flags.store} --reuse`);
    await stack.stop();
    process.exit(0);
  }
} else {
  // The short chain is a new one, appended by this code; the long one is the kept store's, appended by the seeding.
  const short = benchChain(`${CHAIN_PREFIX}${Date.now()}`, () => chainCalls);
  for (let i = 0; i < 7; i++) await appendAudit(short.draft(i));
  atShort = await short.measure();
  log(`reusing ${dataDir}: ${cases.length} cases seeded by ${kept.seeded.commit} (${kept.seeded.command})`);
}
if (flags['reading-only']) {
  log('50 people reading cases, beside the floor (only this; nothing is written to bench/results)');
  const reading = await readersAgainstFloor();
  for (const [kind, r] of Object.entries(reading)) log(`${kind}: ${JSON.stringify(r)}`);
  keep();
  await stack.stop();
  process.exit(0);
}
const reached = seq;
const callsAtN = await listCalls();
log(`calls per list request at ${reached}: ${JSON.stringify(callsAtN)}`);

log('lists: first and deep pages, one person and 50 at once');
const lists = await measureLists();
log('50 people reading cases, beside the floor');
const reading = await readersAgainstFloor();
for (const [kind, r] of Object.entries(reading))
  log(
    `${kind}: ${r.full.perSecond}/s (${r.full.storeCallsPerRead} calls; CPU ms a read: store ${r.full.storeCpuMsPerRead}, process ${r.full.processCpuMsPerRead}), floor ${r.floor.perSecond}/s (store ${r.floor.storeCpuMsPerRead}, process ${r.floor.processCpuMsPerRead}), ratio ${r.ratio}`,
  );
measured = true;
const filled = await filling;
// A kept store's chain is as long as its newest entry says (the seeding notes the length only now and then).
const chainReached = SEEDING ? filled.length : await chainLength(kept.chain.id);
const fillSeconds = filled.seconds;
kept.chain = { ...kept.chain, length: chainReached, seconds: fillSeconds };
const audit = { chainLength: { short: 10, long: chainReached }, atShort, atLong: await chain.measure(), fillSeconds };
log(`audit appends measured at chain length ${chainReached} (of ${CHAIN} asked)`);
const storeAtEnd: StoreStats = await stack.storeStats();
const commit = commitOf();
const stages: Record<string, number> = { approve: 0, reject: 0, wait: 0 };
for (const c of cases) stages[c.fate] = (stages[c.fate] ?? 0) + 1;
const result = {
  command: COMMAND,
  commit,
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, loadavg1AtStart: round(loadAtStart, 2), loadavg1: round(loadavg()[0]!, 2) },
  cases: { asked: kept.asked, opened: cases.length, fates: stages, seedFailures, seedSeconds: kept.seedSeconds },
  /** Where the force came from: this run, or the kept store's seeding (its command, code and steps). */
  seeding: { kept: KEPT, reused: !SEEDING, ...kept.seeded, steps: kept.steps, storeMiB: kept.store },
  storeCallsPerListRequest: {
    ...(kept.checkpoint ? { [kept.checkpoint.cases]: kept.checkpoint.calls } : {}),
    [reached]: callsAtN,
  },
  lists,
  reading,
  audit,
  store: {
    atStart: { rssMiB: round(storeAtStart.rss / 2 ** 20), openIterators: storeAtStart.openIterators },
    atEnd: { rssMiB: round(storeAtEnd.rss / 2 ** 20), openIterators: storeAtEnd.openIterators },
  },
  callsByOperation: Object.fromEntries(Object.entries(callsByOperation).sort((a, b) => b[1] - a[1])),
  wallSeconds: round((Date.now() - startedAt) / 1000),
};
writeFileSync('bench/results/scale.json', `${JSON.stringify(result, null, 2)}\n`);
writeFileSync('bench/results/scale.md', markdown(result));
log(`wrote bench/results/scale.{json,md} in ${result.wallSeconds} s`);

keep();
await stack.stop();
if (!KEPT) rmSync(dataDir, { recursive: true, force: true });
process.exit(0);

function markdown(r: typeof result): string {
  const cell = (x: unknown) => (x === null || x === undefined ? '–' : String(x));
  type Lat = {
    single: { p50: number | null; p99: number | null };
    concurrent: { p50: number | null; p99: number | null };
  };
  const lat = (l: Lat | null | undefined) =>
    l
      ? `${cell(l.single.p50)} / ${cell(l.single.p99)} | ${cell(l.concurrent.p50)} / ${cell(l.concurrent.p99)}`
      : '– | –';
  const lines = [
    '# bench:scale',
    '',
    `Command: \`${r.command}\` (commit ${r.commit}, ${r.at}, ${r.machine.cpus} cores, load average ${r.machine.loadavg1AtStart} at the start and ${r.machine.loadavg1} at the end; other work shared the machine).`,
    '',
    `Force: ${r.cases.opened} cases of the ${r.cases.asked} asked${r.cases.opened < r.cases.asked ? ' (seeding stopped at its deadline, --seed-until, and the measurements ran on what there was)' : ''}, opened through the API (POST /cases by the seeded investigators, ${CONCURRENCY} at once; the workflow opens each gate-1 approval; sgt.bob then walks every page of GET /approvals and decides those of the cases fated to be approved or rejected) in ${r.cases.seedSeconds} s (${r.cases.fates.approve} approved at gate 1 and on to their platform requests, ${r.cases.fates.reject} rejected, ${r.cases.fates.wait} waiting at gate 1); seeding failures: ${JSON.stringify(r.cases.seedFailures)}.`,
    '',
    ...(r.seeding.reused
      ? [
          `Seeded once into a kept store (\`${r.seeding.command}\`, commit ${r.seeding.commit}, from ${r.seeding.startedAt}; last step ${r.seeding.at}) and measured here with this commit's code against that store. The seeding's steps (cases reached, seconds, load average at the step's end): ${r.seeding.steps.map((x) => `${x.to} in ${x.seconds} s (load ${x.load})`).join('; ')}. The store process at the seeding's start: ${cell(r.seeding.storeMiB.atStartMiB)} MiB.`,
          '',
        ]
      : []),
    '## Lists (ms, p50 / p99; one person | 50 at once)',
    '',
    '| list | first page: one | first page: 50 | deep page: one | deep page: 50 | note |',
    '| --- | --- | --- | --- | --- | --- |',
    ...Object.entries(r.lists).map(([name, v]) => {
      const x = v as {
        route?: string;
        paged?: boolean;
        items?: number;
        firstPage?: Lat;
        deepPage?: (Lat & { page: number }) | null;
      };
      if (x.route) return `| ${name} | – | – | – | – | ${x.route} |`;
      const note = x.paged
        ? x.deepPage
          ? `page ${x.deepPage.page}`
          : 'one page only'
        : `unpaged: ${x.items} items in one answer`;
      return `| ${name} | ${lat(x.firstPage)} | ${lat(x.deepPage)} | ${note} |`;
    }),
    '',
    '## DynamoDB calls of one list request (first page)',
    '',
    `| list | ${Object.keys(r.storeCallsPerListRequest)
      .map((k) => `${k} cases`)
      .join(' | ')} |`,
    `| --- | ${Object.keys(r.storeCallsPerListRequest)
      .map(() => '---')
      .join(' | ')} |`,
    ...LISTS.map(
      (l) =>
        `| ${l.name} | ${Object.values(r.storeCallsPerListRequest)
          .map((c) => cell((c as Record<string, number | null>)[l.name]))
          .join(' | ')} |`,
    ),
    '',
    `## ${PEOPLE} people reading cases, beside the floor`,
    '',
    `Each person works on ${WORKING_SET} cases. **Opening**: every person reads each of their cases once, all at once (each read records the person's view: one conditional put to the consultation log, not an entry of the case's chain), in ${ROUNDS} rounds of a third of each person's cases, the floor reading the same third just before, so a change in the machine's load falls on both. **Refreshing**, straight after: the same people poll their cases at random with If-None-Match holding the ETag of their last read of each, the first being their opening's, as the console polls what it has open (a tag names the minute it was made in, so a tag made before the turn of a minute is answered in full and the new one holds from there: the 304 share is of all the refreshes). **Reading again**: the same at random without a tag, the views already recorded in the window, a full answer each time: what this process kept of the case when its version and chain head stand (one call, the version read), else built afresh from the case's items and the trail's newest entries (two reads); no put, the view being recorded. The floor (node:http answering one GetItem from the same store) reads the same cases in the same pattern; refreshing and reading again alternate with it in ${ROUNDS} rounds of ${round(SECONDS / ROUNDS)} s a side, so a change in the machine's load falls on both.`,
    '',
    '| reads | side | requests | requests/s | p50 ms | p99 ms | DynamoDB calls a read | store CPU ms a read | this process CPU ms a read | statuses | 304 share | ratio to the floor |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...(['opening', 'refreshing', 'again'] as const).flatMap((k) => {
      const x = r.reading[k];
      const row = (side: string, y: typeof x.floor, ratio: string) =>
        `| ${k === 'again' ? 'reading again' : k} | ${side} | ${y.requests} | ${y.perSecond} | ${y.latencyMs.p50} | ${y.latencyMs.p99} | ${y.storeCallsPerRead} | ${y.storeCpuMsPerRead} | ${y.processCpuMsPerRead} | ${JSON.stringify(y.statuses)} | ${k === 'refreshing' ? y.notModifiedShare : ''} | ${ratio} |`;
      return [row('floor', x.floor, ''), row('GET /cases/{caseId}', x.full, `**${x.ratio}**`)];
    }),
    '',
    "What a read of GET /cases/{caseId} cost, call by call (calls of each operation per read, the handlers' own):",
    '',
    '| reads | calls by operation and table |',
    '| --- | --- |',
    ...(['opening', 'refreshing', 'again'] as const).map(
      (k) =>
        `| ${k === 'again' ? 'reading again' : k} | ${Object.entries(r.reading[k].full.callsPerReadByOperation)
          .map(([op, n]) => `${op} ${n}`)
          .join('; ')} |`,
    ),
    '',
    `## Audit appends (DynamoDB calls, ms) at chain length ${r.audit.chainLength.short} and ${r.audit.chainLength.long}`,
    '',
    '| append | at 10 | at long |',
    '| --- | --- | --- |',
    ...(['plain', 'onceNew', 'onceFound'] as const).map(
      (k) =>
        `| ${k} | ${r.audit.atShort[k].calls} calls, ${r.audit.atShort[k].ms} ms | ${r.audit.atLong[k].calls} calls, ${r.audit.atLong[k].ms} ms |`,
    ),
    '',
    `${r.seeding.reused ? `The chain is the kept store's, filled by the seeding to ${r.audit.chainLength.long} entries (of ${CHAIN} asked) one append after another beside it, until its deadline; the short chain is a new one, appended by this run's code.` : `The chain was filled to ${r.audit.chainLength.long} entries (of ${CHAIN} asked: the filling stops once the readers are measured) in ${r.audit.fillSeconds} s, one append after another, while the force was seeded.`} onceFound is an append whose once key is already on record: no call in a process that has read or written that marker (markers never change, so each process keeps those it has met); in a process that has not, the tail and the head (2 calls, if the key is the tail's own) and then the marker (3).`,
    '',
    '## The store process',
    '',
    `Start: ${r.store.atStart.rssMiB} MiB resident, ${r.store.atStart.openIterators} LevelDB iterators open. End: ${r.store.atEnd.rssMiB} MiB, ${r.store.atEnd.openIterators} iterators open.`,
    '',
    `Whole run: ${r.wallSeconds} s. DynamoDB calls by operation: ${Object.entries(r.callsByOperation)
      .slice(0, 12)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ')}.`,
    '',
  ];
  return lines.join('\n');
}
