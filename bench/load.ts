import '../local/polyfill.js';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { StateMachine } from 'aws-local-stepfunctions';
import { watchDynamoCalls } from '../functions/adapters/clients/dynamo.js';
import { GATE_RULES } from '../functions/domain/gates.js';
import { matchRoute } from '../functions/routes.js';
import { bind, functionSubstitutions, settingSubstitutions } from '../statemachines/bindings.js';
import { aslText } from '../statemachines/definition.js';
import { ApiClient, type ApiResponse } from '../local/client.js';
import { DEMO_SUSPECT, demoCaseBody, type CaseView } from '../local/scenario.js';
import { startStack } from '../local/stack.js';
import { StoreCallers } from './storeCallers.js';
import { storeCallKey } from './storeCalls.js';

/**
 * `npm run bench:load`: N cases (default 1,000) opened at once against the
 * local stack and driven through their gates over HTTP by the seeded people,
 * each working from their own list (supervisors from GET /approvals, the
 * SPoC and the investigator from GET /cases), to AFTER_DISCLOSURE. Then, in
 * the same process, N executions of the same ASL on the bare engine with
 * every task a no-op. The engine side has no people, so the two are set side
 * by side by what a case costs (DynamoDB calls, CPU-seconds of the store and
 * of the stack process, invocations, transitions), beside the run before,
 * not by a ratio of their times. Results go to
 * bench/results/load.{json,md}.
 */
const { values: flags } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000' },
    /** Opening requests in flight at once (default: all N). */
    concurrency: { type: 'string' },
    /** Actions each person has in flight at once. */
    workers: { type: 'string', default: '4' },
    /** Least time between two refreshes of one person's list. */
    'poll-ms': { type: 'string', default: '500' },
    'time-scale': { type: 'string', default: '1' },
    'timeout-min': { type: 'string', default: '30' },
    /** Write where the full run's DynamoDB calls came from (bench/storeCallers.ts) to this file: a stack trace a call. */
    callers: { type: 'string' },
    /** Only the bare engine's run, printed and not written to bench/results (a check that the no-ops still send it the full run's way). */
    'engine-only': { type: 'boolean', default: false },
  },
});
const N = Number(flags.cases);
const OPEN_CONCURRENCY = Number(flags.concurrency ?? N);
const WORKERS = Number(flags.workers);
const POLL_MS = Number(flags['poll-ms']);
const TIME_SCALE = Number(flags['time-scale']);
const COMMAND = ['npm run bench:load', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
/** The same clamp as local/engine.ts: Node's timers overflow past 2^31 ms. */
const MAX_TIMER_SECONDS = 2_000_000;
const IDLE_MAX_MS = 20_000;
const OPEN_ATTEMPTS = 3;
const DONE_STAGES = new Set(['AFTER_DISCLOSURE', 'CLOSED']);
process.env.TMPDIR ??= join(process.cwd(), '.tmp');
// A fresh clone has neither folder: make them rather than ask anyone to.
mkdirSync(join(process.cwd(), '.tmp'), { recursive: true });
mkdirSync('bench/results', { recursive: true });

// ---------------------------------------------------------------- figures

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, places = 1) => (Number.isFinite(x) ? +x.toFixed(places) : null);

interface Summary {
  n: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

/** Nearest-rank percentiles. */
function summarise(values: readonly number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : NaN;
  const sum = s.reduce((a, b) => a + b, 0);
  return {
    n: s.length,
    p50: round(at(50)),
    p95: round(at(95)),
    p99: round(at(99)),
    max: round(s.at(-1) ?? NaN),
    mean: round(sum / s.length),
  };
}

/** Samples grouped by a key, and all together. */
class Samples {
  readonly all: number[] = [];
  readonly byKey = new Map<string, number[]>();
  add(key: string, value: number) {
    this.all.push(value);
    const list = this.byKey.get(key) ?? [];
    list.push(value);
    this.byKey.set(key, list);
  }
  table() {
    return [...this.byKey].map(([key, v]) => ({ key, ...summarise(v) })).sort((a, b) => b.n - a.n);
  }
}

/** The sum of `measure` over this process's children (the local store runs in one), on Linux; 0 elsewhere. */
function overChildren(measure: (pid: string) => number): number {
  try {
    return readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .reduce((sum, pid) => sum + measure(pid), 0);
  } catch {
    return 0;
  }
}

/** CPU-seconds (user + system) the children have used: fields 14 and 15 of /proc/<pid>/stat, in ticks of 1/100 s. */
const childrenCpuSeconds = () =>
  overChildren((pid) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  });
const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

/** Resident memory of the children. */
const childrenRss = () =>
  overChildren((pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024);

/** Runs `fn` over `items`, at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

// ------------------------------------------------------ the timed client

/** ApiClient with every request timed, by route template (routes.ts) and status. */
class TimedClient extends ApiClient {
  readonly latency = new Samples();
  readonly statuses = new Map<string, Record<string, number>>();
  recording = true;

  override async request<T = unknown>(
    method: string,
    path: string,
    as?: string,
    body?: unknown,
    contentType?: string,
  ): Promise<ApiResponse<T>> {
    // By the route's template, its query string aside: a list's pages (each with its own cursor) are one route.
    const bare = path.split('?')[0]!;
    const matched = matchRoute(method, bare);
    const route = matched && 'route' in matched ? `${method} ${matched.route.path}` : `${method} ${bare}`;
    const started = performance.now();
    let status = 'network error';
    try {
      const r = await super.request<T>(method, path, as, body, contentType);
      status = String(r.status);
      return r;
    } catch (e) {
      // fetch's TypeError carries what went wrong in its cause: a connect timeout, a reset, ...
      const cause = (e as { cause?: { code?: string; name?: string } }).cause;
      status = `network error ${cause?.code ?? cause?.name ?? (e as Error).name}`;
      throw e;
    } finally {
      if (this.recording) {
        this.latency.add(route, performance.now() - started);
        const counts = this.statuses.get(route) ?? {};
        counts[status] = (counts[status] ?? 0) + 1;
        this.statuses.set(route, counts);
      }
    }
  }
}

// ------------------------------------------------------ the workflow's tasks

type StateDef = {
  Type: string;
  Resource?: string;
  Parameters?: { FunctionName?: string; Payload?: Record<string, unknown> };
  TimeoutSecondsPath?: string;
  Branches?: { States: Record<string, StateDef> }[];
  ItemProcessor?: { States: Record<string, StateDef> };
};
const TOKEN_TASK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const localArn = (f: string) => `arn:aws:lambda:eu-west-2:000000000000:function:${f}`;

/** The ASL bound as the local stack binds it, and its Task states: name → workflow function, waiting on a token or not. */
function boundWorkflow() {
  const definition = JSON.parse(
    bind(aslText(), { ...functionSubstitutions(localArn), ...settingSubstitutions(TIME_SCALE, MAX_TIMER_SECONDS) }),
  ) as { States: Record<string, StateDef> };
  const tasks = new Map<string, { fn: string; token: boolean; state: StateDef }>();
  const visit = (states: Record<string, StateDef>): void =>
    Object.entries(states).forEach(([name, s]) => {
      if (s.Type === 'Task') {
        const token = s.Resource === TOKEN_TASK;
        tasks.set(name, {
          fn: String(token ? s.Parameters?.FunctionName : s.Resource)
            .split(':')
            .at(-1)!,
          token,
          state: s,
        });
      }
      for (const b of s.Branches ?? []) visit(b.States);
      if (s.ItemProcessor) visit(s.ItemProcessor.States);
    });
  visit(definition.States);
  return { definition, tasks };
}

// ------------------------------------------------------------ the full stack

interface Tracked {
  caseId: string;
  openedAt: number;
  /** When the investigator's list first showed it at AFTER_DISCLOSURE (or further). */
  seenDoneAt?: number;
  /** When the audit trail says it got there (`case.after_disclosure`). */
  doneAt?: number;
  failed?: string;
  acted: Set<string>;
}
interface Approval {
  approvalId: string;
  caseId: string;
  gate: string;
  requiredRank: string;
  overdue: boolean;
}
type CaseRow = { caseId: string; stage: string; openTasks: { task: string }[] };
type RequestRow = CaseView['requests'][number];

/**
 * Who decides what from their queue: the two sergeants share the sergeant gates (a proposal is
 * never decided by its proposer, inv.alice), the inspector takes disclosure and whatever has
 * escalated to inspector, the superintendent whatever has escalated above that.
 */
const atRank = (a: Approval, ...ranks: string[]) => ranks.includes(a.requiredRank);
const SUPERVISORS: Record<string, (a: Approval) => boolean> = {
  'sgt.bob': (a) => atRank(a, 'sergeant'),
  'sgt.carol': (a) => atRank(a, 'sergeant'),
  'insp.dave': (a) => atRank(a, 'inspector'),
  'supt.erin': (a) => atRank(a, 'chief_inspector', 'superintendent'),
};
const PEOPLE = [...Object.keys(SUPERVISORS), 'inv.alice', 'spoc.sam', 'aud.frank'];

const authorisation = () => ({
  route: 'ocda',
  reference: 'OCDA/LOAD/1',
  dataType: 'entity',
  expiresAt: new Date(Date.now() + 20 * 86400_000).toISOString(),
});
const platformReturn = () => ({
  receivedAt: new Date().toISOString(),
  subscriber: {
    name: DEMO_SUSPECT.name,
    emails: ['j.smith@example.com'],
    phones: ['+447700900999'],
    createdAt: '2025-06-01T10:00:00Z',
  },
  ipEvents: [
    { ip: '203.0.113.7', port: 51234, at: '2026-11-01 21:14:05', timeZone: 'America/Los_Angeles', kind: 'login' },
  ],
});
const ispReturn = () => ({
  receivedAt: new Date().toISOString(),
  subscriber: { name: DEMO_SUSPECT.name, emails: [], phones: [] },
  installationAddress: { lines: DEMO_SUSPECT.address, postcode: DEMO_SUSPECT.postcode },
});

async function fullStack() {
  const dataDir = mkdtempSync(join(process.cwd(), '.tmp', 'load-'));
  const stack = await startStack({ port: 0, dataDir, timeScale: TIME_SCALE });
  // Interrupted: the stack stops and its folder goes all the same.
  const abandon = () =>
    void stack.stop().finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(130);
    });
  process.once('SIGINT', abandon).once('SIGTERM', abandon);
  const api = new TimedClient(stack.apiUrl);
  const cases = new Map<string, Tracked>();
  const outcomes: Record<string, number> = {};
  const count = (what: string) => (outcomes[what] = (outcomes[what] ?? 0) + 1);
  const escalated = new Set<string>();
  const claimed = new Set<string>();
  const deadline = Date.now() + Number(flags['timeout-min']) * 60_000;
  let opened = 0;
  let openFailures = 0;
  let lastStages: Record<string, number> = {};
  let peakRss = 0;
  let peakChildrenRss = 0;
  /** The machine's 1-minute load average every 10 s: this process counts for about 1 of it; more means other work on the machine. */
  const loads: number[] = [];

  // The workflow's own tasks, timed where the engine calls the handler (not the ones waiting on a person).
  const { tasks } = boundWorkflow();
  const taskLatency = new Samples();
  const overrides = (stack.engine as unknown as { overrides?: Record<string, (input: unknown) => Promise<unknown>> })
    .overrides;
  for (const [name, t] of tasks) {
    const inner = overrides?.[name];
    if (t.token || !inner || !overrides) continue;
    overrides[name] = async (input) => {
      const started = performance.now();
      try {
        return await inner(input);
      } finally {
        taskLatency.add(name, performance.now() - started);
      }
    };
  }

  // Every DynamoDB call the handlers make goes through this one client: count them by operation, table and index.
  const storeOps: Record<string, number> = {};
  const callers = flags.callers ? new StoreCallers() : undefined;
  watchDynamoCalls((commandName, input) => {
    const key = storeCallKey(commandName, input);
    storeOps[key] = (storeOps[key] ?? 0) + 1;
    callers?.note(key);
  });

  const finished = () =>
    Date.now() > deadline ||
    (opened + openFailures === N && [...cases.values()].every((c) => c.seenDoneAt || c.failed));

  /**
   * One person: refresh their list, do what it asks (WORKERS in flight), refresh again. A refresh
   * costs the server a read per case (GET /cases) or per pending approval (GET /approvals), so the
   * next one waits at least POLL_MS and as long as this one took (the work done in between counts),
   * and, while the list has nothing for them, twice as long each time up to IDLE_MAX_MS.
   */
  async function desk(poll: () => Promise<(() => Promise<void>)[]>) {
    let idle = POLL_MS;
    while (!finished()) {
      const started = Date.now();
      const jobs = await poll().catch(() => {
        count('list failed');
        return [];
      });
      const listed = Date.now();
      await pool(jobs, WORKERS, (job) => job().catch(() => void count('action failed (network)')));
      idle = jobs.length ? POLL_MS : Math.min(idle * 2, IDLE_MAX_MS);
      const until = listed + Math.max(idle, listed - started);
      while (Date.now() < until && !finished()) await sleep(Math.min(250, until - Date.now()));
    }
  }

  const supervisor = (user: string, wants: (a: Approval) => boolean) =>
    desk(async () => {
      const queue = await api.all<Approval>('/approvals', user);
      for (const a of queue)
        if (a.requiredRank !== GATE_RULES[a.gate as keyof typeof GATE_RULES]?.minimumRank) escalated.add(a.approvalId);
      return queue.filter(wants).map((a) => async () => {
        // Two people with the same queue split it: whoever takes an approval first decides it.
        if (claimed.has(a.approvalId)) return;
        claimed.add(a.approvalId);
        const extra = a.gate === 'data_request' ? { authorisation: authorisation() } : {};
        const body = { decision: 'approve', rationale: `Approved under load: ${a.gate} gate checked.`, ...extra };
        const r = await api.post(`/approvals/${a.approvalId}/decision`, user, body).catch((e: Error) => {
          claimed.delete(a.approvalId); // not answered: free for the next refresh
          throw e;
        });
        count(`decision ${r.status}`);
      });
    });

  /** The force's case list as this person sees it: our cases with their stage and open tasks. */
  const caseList = async (user: string) => {
    const rows = await api.all<CaseRow>('/cases', user);
    return rows.flatMap((row) => {
      const c = cases.get(row.caseId);
      return c ? [{ row, c, has: (task: string) => row.openTasks.some((t) => t.task === task) }] : [];
    });
  };
  const requestsOf = async (caseId: string, user: string) =>
    (await api.get<RequestRow[]>(`/cases/${caseId}/requests`, user)).body;

  const spoc = () =>
    desk(async () =>
      (await caseList('spoc.sam'))
        .filter(({ has }) => has('REQUEST_RETURN'))
        .map(({ c }) => async () => {
          for (const r of await requestsOf(c.caseId, 'spoc.sam')) {
            if (r.status !== 'awaiting_return' || c.acted.has(r.requestId)) continue;
            const body =
              r.kind === 'platform_disclosure'
                ? platformReturn()
                : r.kind === 'isp_resolution'
                  ? ispReturn()
                  : undefined;
            if (!body) continue;
            const res = await api.post(`/cases/${c.caseId}/requests/${r.requestId}/return`, 'spoc.sam', body);
            count(`return ${res.status}`);
            if (res.status === 202) c.acted.add(r.requestId);
          }
        }),
    );

  const investigator = () =>
    desk(async () => {
      const list = await caseList('inv.alice');
      const stages: Record<string, number> = {};
      const jobs: (() => Promise<void>)[] = [];
      for (const { row, c, has } of list) {
        stages[row.stage] = (stages[row.stage] ?? 0) + 1;
        if (DONE_STAGES.has(row.stage)) c.seenDoneAt ??= Date.now();
        if (row.stage === 'REJECTED') c.failed = 'REJECTED';
        if (has('IDENTIFICATION_PROPOSAL') && !c.acted.has('identification'))
          jobs.push(async () => {
            const returned = (await requestsOf(c.caseId, 'inv.alice')).filter((r) => r.status === 'returned');
            const point = (kind: string, as: string, detail: string) =>
              returned.filter((r) => r.kind === kind).map((r) => ({ requestId: r.requestId, kind: as, detail }));
            const r = await api.post(`/cases/${c.caseId}/identification`, 'inv.alice', {
              suspect: {
                name: DEMO_SUSPECT.name,
                aliases: DEMO_SUSPECT.aliases,
                dateOfBirth: DEMO_SUSPECT.dateOfBirth,
              },
              points: [
                ...point('platform_disclosure', 'email', 'platform subscriber record names the suspect'),
                ...point('isp_resolution', 'ip_resolution', 'login IP resolves to the suspect'),
              ],
              rationale: 'Two independent sources name the same person.',
            });
            count(`identification ${r.status}`);
            if (r.status === 202) c.acted.add('identification');
          });
        if ((has('DISCLOSURE_PROPOSAL') || has('CONTACT_VERIFICATION')) && !c.acted.has('disclosure'))
          jobs.push(async () => {
            for (const channel of ['sms', 'letter'])
              count(
                `verify ${(await api.post(`/cases/${c.caseId}/contact-verification`, 'inv.alice', { channel, verified: true, note: 'Confirmed with the victim in person.' })).status}`,
              );
            const r = await api.post(`/cases/${c.caseId}/disclosure-proposal`, 'inv.alice', {
              action: 'disclose',
              rationale: 'No ground to delay; the victim should know at once.',
            });
            count(`proposal ${r.status}`);
            if (r.status === 202) c.acted.add('disclosure');
          });
      }
      lastStages = stages;
      return jobs;
    });

  const t0 = Date.now();
  const progress = setInterval(() => {
    const done = [...cases.values()].filter((c) => c.seenDoneAt).length;
    const ops = Object.values(storeOps).reduce((a, b) => a + b, 0);
    const mib = (n: number) => Math.round(n / 2 ** 20);
    const m = process.memoryUsage();
    const storeRss = childrenRss();
    peakRss = Math.max(peakRss, m.rss);
    peakChildrenRss = Math.max(peakChildrenRss, storeRss);
    loads.push(loadavg()[0]!);
    process.stderr.write(
      `[load] ${Math.round((Date.now() - t0) / 1000)}s opened ${opened}/${N}, done ${done}, requests ${api.latency.all.length}, store ops ${ops}, rss/heap ${mib(m.rss)}/${mib(m.heapUsed)} MiB, store process rss ${mib(storeRss)} MiB, stages ${JSON.stringify(lastStages)}\n`,
    );
  }, 10_000);
  const cpuAtStart = process.cpuUsage();
  const storeCpuAtStart = childrenCpuSeconds();
  try {
    await Promise.all(PEOPLE.map((u) => api.token(u)));
    api.latency.all.length = 0;
    api.latency.byKey.clear();
    api.statuses.clear();

    /**
     * Every case at once. A few of 1,000 simultaneous connections to the one process get reset
     * before they are answered: the open is tried again, and a 409 then means an earlier try went
     * through, so the case is found by its crime reference on the list once the opening is over.
     */
    const track = (caseId: string, openedAt: number) => {
      cases.set(caseId, { caseId, openedAt, acted: new Set() });
      opened += 1;
    };
    const unresolved = new Map<string, number>();
    const opening = pool(
      Array.from({ length: N }, (_, i) => i),
      OPEN_CONCURRENCY,
      async (i) => {
        const openedAt = Date.now();
        const reference = `LOCAL/26/${String(t0).slice(-5)}${String(i).padStart(5, '0')}`;
        for (let attempt = 1; ; attempt++) {
          const r = await api
            .post<{ caseId: string }>('/cases', 'inv.alice', demoCaseBody(reference))
            .catch(() => undefined);
          if (r?.status === 201) return track(r.body.caseId, openedAt);
          if (r?.status === 409 && attempt > 1) return void unresolved.set(reference, openedAt);
          if (r || attempt === OPEN_ATTEMPTS) {
            count(`open failed ${r?.status ?? 'network'}`);
            openFailures += 1;
            return;
          }
          count('open tried again after a network error');
        }
      },
    ).then(async () => {
      if (!unresolved.size) return;
      const list = await api
        .all<{ caseId: string; crimeReference: string }>('/cases', 'inv.alice')
        .catch(() => undefined);
      for (const [reference, openedAt] of unresolved) {
        const row = list?.find((c) => c.crimeReference === reference);
        if (row) track(row.caseId, openedAt);
        else openFailures += 1;
      }
    });
    await Promise.all([
      opening,
      ...Object.entries(SUPERVISORS).map(([u, wants]) => supervisor(u, wants)),
      spoc(),
      investigator(),
    ]);
    const driveSeconds = (Date.now() - t0) / 1000;
    const cpu = {
      stackProcessSeconds: round(cpuSeconds(process.cpuUsage(cpuAtStart)), 1),
      storeProcessSeconds: round(childrenCpuSeconds() - storeCpuAtStart, 1),
    };

    // When each case got there, to the millisecond, from its audit trail (not timed: the run is over).
    api.recording = false;
    await pool([...cases.values()], 8, async (c) => {
      const trail = await api.all<{ action: string; at: string }>(`/cases/${c.caseId}/audit`, 'aud.frank');
      const entry = trail.find((e) => e.action === 'case.after_disclosure');
      if (entry) c.doneAt = Date.parse(entry.at);
    });

    const done = [...cases.values()].filter((c) => c.doneAt);
    const first = Math.min(...[...cases.values()].map((c) => c.openedAt));
    const last = Math.max(...done.map((c) => c.doneAt!));
    const wallSeconds = (last - first) / 1000;
    return {
      cases: N,
      opened,
      openFailures,
      reachedAfterDisclosure: done.length,
      notFinished: [...cases.values()].filter((c) => !c.doneAt).length,
      rejected: [...cases.values()].filter((c) => c.failed).length,
      driveSeconds: round(driveSeconds),
      wallSeconds: round(wallSeconds),
      casesPerSecond: round(done.length / wallSeconds, 2),
      perCaseMs: summarise(done.map((c) => c.doneAt! - c.openedAt)),
      perCaseSeenMs: summarise(done.filter((c) => c.seenDoneAt).map((c) => c.seenDoneAt! - c.openedAt)),
      api: {
        requests: api.latency.all.length,
        requestsPerSecond: round(api.latency.all.length / driveSeconds),
        overall: summarise(api.latency.all),
        byRoute: api.latency.table().map((r) => ({ ...r, statuses: api.statuses.get(r.key) })),
      },
      cpu,
      outcomes,
      escalatedApprovalsSeen: escalated.size,
      peakRssMiB: Math.round(peakRss / 2 ** 20),
      peakChildProcessesRssMiB: Math.round(peakChildrenRss / 2 ** 20),
      loadAverage1m: {
        mean: round(loads.reduce((a, b) => a + b, 0) / loads.length, 2),
        max: round(Math.max(...loads), 2),
      },
      storeOps: Object.fromEntries(Object.entries(storeOps).sort((a, b) => b[1] - a[1])),
      engine: { ...stack.engine.counters },
      apiLambdaInvocations: stack.apiRequests.count,
      workflowTasks: { overall: summarise(taskLatency.all), byState: taskLatency.table() },
    };
  } finally {
    clearInterval(progress);
    if (callers && flags.callers) callers.write(flags.callers);
    process.off('SIGINT', abandon).off('SIGTERM', abandon);
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------ the bare engine

/**
 * What each no-op answers so the run takes the full run's path: the fields
 * the Choice states and Map ItemsPaths read (DataRequestDecided and the other
 * *Decided states read $.decision.decision, DiscloseOrDelay $.proposal.action,
 * HowDelivered $.delivery.*,
 * ArrestTrackGoesOn $.track.*, from RaiseArrestTasking and PlanArrestTrack). The arrest track ends at once here, where in
 * the full run it waits for an outcome beside the right-to-know branch.
 */
const NOOP_RESULTS: Record<string, unknown> = {
  // The preservation's renewal warning at once (its watch then ends), as the arrest track ends at once.
  PreparePlatformRequests: {
    items: [{ requestId: 'platform-1', preservationRequestId: 'preservation-1', renewalWarningSeconds: 0 }],
  },
  // Each account's return plans its own ISP look-ups and watches them; once every account is settled, none is still out.
  PlanAccountIspRequests: { requestIds: ['isp-1'] },
  PlanIspRequests: { requestIds: [] },
  // The SPoC's own choice of further ISP look-ups: none; the watch ends as it does when the case closes.
  AwaitChosenIspRequests: { caseEnded: true },
  AwaitDisclosureProposal: { action: 'disclose' },
  RaiseArrestTasking: { done: true, waitSeconds: 60, victimUpdates: 0 },
  PlanArrestTrack: { done: true, waitSeconds: 60, victimUpdates: 0 },
  SendDisclosure: { verified: true, handover: false, inPerson: false, failed: false, declined: false },
};
/** Where the case enters AFTER_DISCLOSURE when Notify delivers (sendDisclosure sets it). */
const MILESTONE = 'SendDisclosure';

async function engineOnly() {
  const { definition, tasks } = boundWorkflow();
  for (const name of [...Object.keys(NOOP_RESULTS), MILESTONE])
    if (!tasks.has(name)) throw new Error(`the workflow has no task state ${name}`);
  const milestoneAt = new Map<string, number>();
  const invocations: Record<string, number> = {};
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const [name, t] of tasks) {
    // As local/engine.ts does: this engine reads TimeoutSecondsPath after Parameters, so point it into the payload.
    if (
      t.token &&
      t.state.TimeoutSecondsPath &&
      t.state.Parameters?.Payload?.['timeoutSeconds.$'] === t.state.TimeoutSecondsPath
    )
      t.state.TimeoutSecondsPath = '$.Payload.timeoutSeconds';
    const result = NOOP_RESULTS[name] ?? (t.fn === 'openApproval' ? { decision: 'approve' } : {});
    handlers[name] = async (input) => {
      invocations[name] = (invocations[name] ?? 0) + 1;
      if (name === MILESTONE) milestoneAt.set(String((input as { caseId: string }).caseId), performance.now());
      return result;
    };
  }
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false, checkPaths: true } });
  const taskLatency = new Samples();
  let transitions = 0;

  const run = async (i: number) => {
    const caseId = `case-${i}`;
    const name = `${caseId}-${randomBytes(4).toString('hex')}`;
    const context = {
      Execution: {
        Id: `arn:aws:states:eu-west-2:000000000000:execution:disclosure:${name}`,
        Name: name,
        Input: { caseId },
        StartTime: new Date().toISOString(),
      },
      StateMachine: { Id: 'arn:aws:states:eu-west-2:000000000000:stateMachine:disclosure', Name: 'disclosure' },
      get Task() {
        return { Token: `${name}.${randomBytes(48).toString('base64url')}` };
      },
    };
    const started = performance.now();
    const execution = machine.run({ caseId } as never, {
      overrides: { taskResourceLocalHandlers: handlers as never },
      context: context as never,
    });
    const entered = new Map<string, number>();
    const events = (async () => {
      for await (const ev of execution.eventLogs) {
        const e = ev as { type: string; timestamp: number; index?: number; state?: { name: string; type: string } };
        if (e.type === 'StateEntered') transitions += 1;
        if (e.state?.type !== 'Task') continue;
        const key = `${e.state.name}#${e.index ?? ''}`;
        if (e.type === 'StateEntered') entered.set(key, e.timestamp);
        else if (e.type === 'StateExited' && entered.has(key))
          taskLatency.add(e.state.name, e.timestamp - entered.get(key)!);
      }
    })();
    const status = await execution.result.then(
      () => 'SUCCEEDED',
      (e: Error) => `FAILED ${e.name}`,
    );
    await events;
    return { caseId, started, ended: performance.now(), status };
  };

  const t0 = performance.now();
  const cpuAtStart = process.cpuUsage();
  const runs = await Promise.all(Array.from({ length: N }, (_, i) => run(i)));
  const wallMs = performance.now() - t0;
  const cpu = cpuSeconds(process.cpuUsage(cpuAtStart));
  const reached = runs.filter((r) => milestoneAt.has(r.caseId));
  const lastMilestone = Math.max(...reached.map((r) => milestoneAt.get(r.caseId)!));
  const milestoneSeconds = (lastMilestone - t0) / 1000;
  return {
    executions: N,
    succeeded: runs.filter((r) => r.status === 'SUCCEEDED').length,
    failures: runs
      .filter((r) => r.status !== 'SUCCEEDED')
      .map((r) => r.status)
      .slice(0, 5),
    reachedAfterDisclosure: reached.length,
    wallSeconds: round(milestoneSeconds, 3),
    casesPerSecond: round(reached.length / milestoneSeconds, 2),
    perCaseMs: summarise(reached.map((r) => milestoneAt.get(r.caseId)! - r.started)),
    perExecutionToEndMs: summarise(runs.map((r) => r.ended - r.started)),
    allExecutionsSeconds: round(wallMs / 1000, 3),
    cpuSeconds: round(cpu, 2),
    stateTransitions: transitions,
    taskInvocations: Object.values(invocations).reduce((a, b) => a + b, 0),
    tasks: { overall: summarise(taskLatency.all), byState: taskLatency.table() },
  };
}

// ------------------------------------------------------------ run and record

const startedAt = new Date();
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
/** The run before this one, as its results file holds it, for the cost side by side. */
const earlier = (() => {
  try {
    return JSON.parse(readFileSync('bench/results/load.json', 'utf8')) as {
      commit: string;
      at: string;
      settings: { cases: number };
      fullStack: {
        wallSeconds: number;
        storeOps: Record<string, number>;
        api: { requests: number };
        engine: { stateTransitions: number; lambdaInvocations: number };
        cpu?: { stackProcessSeconds: number; storeProcessSeconds: number };
      };
    };
  } catch {
    return undefined;
  }
})();
const engine = await engineOnly();
process.stderr.write(`[load] engine only: ${engine.reachedAfterDisclosure}/${N} in ${engine.wallSeconds}s\n`);
if (flags['engine-only']) {
  process.stdout.write(`${JSON.stringify(engine, null, 2)}\n`);
  process.exit(0);
}
const full = await fullStack();
const results = {
  command: COMMAND,
  at: startedAt.toISOString(),
  runSeconds: round((Date.now() - startedAt.getTime()) / 1000),
  commit,
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  },
  settings: {
    cases: N,
    openConcurrency: OPEN_CONCURRENCY,
    workersPerPerson: WORKERS,
    pollMs: POLL_MS,
    timeScale: TIME_SCALE,
  },
  fullStack: full,
  engineOnly: engine,
};

const storeCalls = (ops: Record<string, number>) => Object.values(ops).reduce((a, b) => a + b, 0);
const perCase = (total: number, cases = N, places = 1) => round(total / cases, places);
const row = (label: string, s: Summary, unit = 'ms') =>
  `| ${label} | ${s.n} | ${s.p50} | ${s.p95} | ${s.p99} | ${s.max} | ${unit} |`;
const md = [
  `# Load: ${N} cases at once, full local stack beside the bare engine`,
  ``,
  `Reproduce: \`${COMMAND}\``,
  ``,
  `${results.at}, commit ${results.commit}; ${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.memoryGiB} GiB, Node ${results.machine.node}, ${results.machine.platform}; ` +
    `1-minute load average during the full run ${full.loadAverage1m.mean} (max ${full.loadAverage1m.max}), of which this process is about 1. Whole run ${results.runSeconds} s.`,
  ``,
  `Settings: time ×${TIME_SCALE} (at ×1 no deadline of the workflow falls due during the run, so no gate escalates and no reminder fires: what is measured is the work itself); ` +
    `cases opened ${OPEN_CONCURRENCY} at a time (a try reset by the connection is made again, up to ${OPEN_ATTEMPTS} times); each person has ${WORKERS} actions in flight and refreshes their list when they have worked through it, ` +
    `at least ${POLL_MS} ms and as long as the last refresh took apart, backing off to ${IDLE_MAX_MS / 1000} s while it has nothing for them.`,
  ``,
  `The full run: inv.alice opens every case at once; sgt.bob and sgt.carol share the sergeant gates (data request, identification), insp.dave takes disclosure and whatever escalates to inspector, supt.erin whatever escalates above, all from GET /approvals; ` +
    `spoc.sam uploads the platform and ISP returns, and inv.alice proposes the suspect, verifies the victim's contact and proposes disclosure, both from GET /cases. ` +
    `A case is done at AFTER_DISCLOSURE (letter and SMS sent), timed from its POST /cases to the \`case.after_disclosure\` entry of its audit trail: the time includes every wait for a person. ` +
    `The engine-only run: the same ASL, bound the same way, on aws-local-stepfunctions in the same process, ${N} executions at once, every Task state a no-op answering what sends the run the same way, timed to its ${MILESTONE} task.`,
  ``,
  `## Cost per case, beside the run before and the engine alone`,
  ``,
  `What a case costs the server, from open to AFTER_DISCLOSURE with the people's list refreshes. The engine-only run has no people and no store, so its times are not comparable with the full run's (which wait on the simulated people): it is set beside the full run by what it costs, not by a ratio of throughputs.`,
  ``,
  `| per case | this run | the run before${earlier ? ` (commit ${earlier.commit}, ${earlier.at.slice(0, 10)})` : ''} | engine only (no-op tasks, no people) |`,
  `|---|---:|---:|---:|`,
  `| DynamoDB calls (list refreshes included) | ${perCase(storeCalls(full.storeOps))} | ${earlier ? perCase(storeCalls(earlier.fullStack.storeOps), earlier.settings.cases) : '–'} | 0 |`,
  `| CPU-seconds, the store process | ${perCase(full.cpu.storeProcessSeconds ?? 0, N, 3)} | ${earlier?.fullStack.cpu ? perCase(earlier.fullStack.cpu.storeProcessSeconds, earlier.settings.cases, 3) : 'not measured'} | 0 |`,
  `| CPU-seconds, the stack process (API, handlers, engine, and the simulated people's HTTP client, which shares it) | ${perCase(full.cpu.stackProcessSeconds ?? 0, N, 3)} | ${earlier?.fullStack.cpu ? perCase(earlier.fullStack.cpu.stackProcessSeconds, earlier.settings.cases, 3) : 'not measured'} | ${perCase(engine.cpuSeconds ?? 0, N, 4)} (the engine and its no-op tasks) |`,
  `| API requests | ${perCase(full.api.requests)} | ${earlier ? perCase(earlier.fullStack.api.requests, earlier.settings.cases) : '–'} | 0 |`,
  `| workflow task invocations | ${perCase(full.engine.lambdaInvocations)} | ${earlier ? perCase(earlier.fullStack.engine.lambdaInvocations, earlier.settings.cases) : '–'} | ${perCase(engine.taskInvocations)} |`,
  `| state transitions | ${perCase(full.engine.stateTransitions)} | ${earlier ? perCase(earlier.fullStack.engine.stateTransitions, earlier.settings.cases) : '–'} | ${perCase(engine.stateTransitions)} |`,
  ``,
  `## Times`,
  ``,
  `| measure | full stack | the run before | engine only (no-op tasks, no people) |`,
  `|---|---:|---:|---:|`,
  `| cases reaching AFTER_DISCLOSURE | ${full.reachedAfterDisclosure} / ${N} | | ${engine.reachedAfterDisclosure} / ${N} |`,
  `| first open → last AFTER_DISCLOSURE (s) | ${full.wallSeconds} | ${earlier?.fullStack.wallSeconds ?? '–'} | ${engine.wallSeconds} |`,
  `| cases per second | ${full.casesPerSecond} | | ${engine.casesPerSecond} |`,
  `| per case p50 / p95 / p99 (ms) | ${full.perCaseMs.p50} / ${full.perCaseMs.p95} / ${full.perCaseMs.p99} | | ${engine.perCaseMs.p50} / ${engine.perCaseMs.p95} / ${engine.perCaseMs.p99} |`,
  `| workflow task p50 / p95 / p99 (ms) | ${full.workflowTasks.overall.p50} / ${full.workflowTasks.overall.p95} / ${full.workflowTasks.overall.p99} | | ${engine.tasks.overall.p50} / ${engine.tasks.overall.p95} / ${engine.tasks.overall.p99} |`,
  ``,
  `Workflow task latency: in the full run, the handler call of each Task state that does not wait on a person; engine only, StateEntered → StateExited of every Task state (no-ops). The engine-only arrest track ends at once; in the full run it waits beside the right-to-know branch (and keeps running after AFTER_DISCLOSURE), so its per-case counts are higher.`,
  ``,
  `## Full stack: API latency`,
  ``,
  `${full.api.requests} requests in ${full.driveSeconds} s (${full.api.requestsPerSecond}/s); API Lambda invocations counted by the stack: ${full.apiLambdaInvocations}. Client and server share one Node process, so each figure includes the wait for the event loop.`,
  ``,
  `| route | n | p50 | p95 | p99 | max | unit |`,
  `|---|---:|---:|---:|---:|---:|---|`,
  row('**all**', full.api.overall),
  ...full.api.byRoute.map((r) =>
    row(
      `${r.key} (${Object.entries(r.statuses ?? {})
        .map(([s, n]) => `${s}×${n}`)
        .join(', ')})`,
      r,
    ),
  ),
  ``,
  `Per case (open → AFTER_DISCLOSURE): p50 ${full.perCaseMs.p50} ms, p95 ${full.perCaseMs.p95} ms, p99 ${full.perCaseMs.p99} ms; as first seen on the investigator's list: p50 ${full.perCaseSeenMs.p50} ms, p95 ${full.perCaseSeenMs.p95} ms, p99 ${full.perCaseSeenMs.p99} ms.`,
  ``,
  `DynamoDB calls by the handlers: ${Object.values(full.storeOps).reduce((a, b) => a + b, 0)} (${round(Object.values(full.storeOps).reduce((a, b) => a + b, 0) / N)} per case, list refreshes included): ${Object.entries(
    full.storeOps,
  )
    .map(([k, v]) => `${k} ×${v}`)
    .join(
      '; ',
    )}. Peak RSS: this process ${full.peakRssMiB} MiB, its child processes (the store) ${full.peakChildProcessesRssMiB} MiB.`,
  ``,
  `Outcomes: ${Object.entries(full.outcomes)
    .map(([k, v]) => `${k} ×${v}`)
    .join(
      '; ',
    )}. Approvals seen escalated above their gate's rank: ${full.escalatedApprovalsSeen}. Not finished: ${full.notFinished}; rejected: ${full.rejected}; opens refused: ${full.openFailures}.`,
  ``,
  `## Workflow tasks by state`,
  ``,
  `| state | full n | full p50 | full p95 | full p99 | engine-only n | engine-only p50 | engine-only p95 | engine-only p99 |`,
  `|---|---:|---:|---:|---:|---:|---:|---:|---:|`,
  ...full.workflowTasks.byState.map((f) => {
    const e = engine.tasks.byState.find((x) => x.key === f.key);
    return `| ${f.key} | ${f.n} | ${f.p50} | ${f.p95} | ${f.p99} | ${e?.n ?? 0} | ${e?.p50 ?? ''} | ${e?.p95 ?? ''} | ${e?.p99 ?? ''} |`;
  }),
  ``,
].join('\n');

writeFileSync('bench/results/load.json', `${JSON.stringify(results, null, 2)}\n`);
writeFileSync('bench/results/load.md', md);
process.stdout.write(md);
// The stack is stopped and its folder gone, but the engine's own timeout timer of each task still
// waiting on a person when the stack stopped stays armed until it fires (days, at time ×1): end here.
process.exit(0);
