import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient } from '../../local/client.js';
import { freePort } from '../e2e/start.js';

/**
 * The product started as a user starts it (`tsx local/start.ts`), in a child
 * process of its own process group, so that a test can crash it: `kill()` is
 * SIGKILL to the whole group (tsx and the node it runs), with no chance to
 * stop gracefully; `start()` again on the same data folder is the restart.
 * The API keeps its port across restarts, so one ApiClient (and its tokens,
 * signed by the key kept in the data folder) serves every run.
 */
export interface ChildStackOptions {
  /** Prefix of the data folder made under .tmp/ (ignored by git). */
  prefix: string;
  timeScale?: number;
  /** How long a start may take before the test gives up. */
  startTimeoutMs?: number;
}

interface EndpointsFile {
  pid: number;
  apiUrl: string;
}

const live = new Set<ChildProcess>();
const killGroup = (child: ChildProcess) => {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
};
// A worker that ends without running afterAll still takes its stacks with it.
process.once('exit', () => live.forEach(killGroup));

const groupAlive = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ChildStack {
  readonly dataDir: string;
  readonly api: ApiClient;
  /** Every run's output, in order, each prefixed with its run number. */
  private log = '';
  private child: ChildProcess | undefined;
  private runs = 0;
  private constructor(
    private readonly port: number,
    private readonly opts: ChildStackOptions,
  ) {
    this.dataDir = mkdtempSync(join(process.cwd(), '.tmp', opts.prefix));
    this.api = new ApiClient(`http://127.0.0.1:${port}`);
  }

  static async create(opts: ChildStackOptions): Promise<ChildStack> {
    return new ChildStack(await freePort(), opts);
  }

  get url(): string {
    return this.api.baseUrl;
  }

  get outboxDir(): string {
    return join(this.dataDir, 'outbox');
  }

  output(): string {
    return this.log;
  }

  /** What this run printed (the current or the last one). */
  runOutput(): string {
    return this.log.slice(this.log.lastIndexOf(`[run ${this.runs}]`));
  }

  /** How many cases the current run said it resumed ("resumed N case(s) from their stage"). */
  resumedCount(): number {
    return Number(/resumed (\d+) case/.exec(this.runOutput())?.[1] ?? 0);
  }

  private endpoints(): EndpointsFile | undefined {
    const file = join(this.dataDir, 'endpoints.json');
    if (!existsSync(file)) return undefined;
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as EndpointsFile;
    } catch {
      return undefined; // being written
    }
  }

  private async healthy(): Promise<boolean> {
    try {
      const r = await this.api.get<{ status: string }>('/health');
      return r.status === 200 && r.body.status === 'ok';
    } catch {
      return false; // not listening yet, or a pooled connection to the killed run
    }
  }

  /** Start (or restart) on the data folder; resolves once this run wrote endpoints.json and GET /health answers. */
  async start(): Promise<void> {
    if (this.child) throw new Error('the stack is already running');
    // A killed run leaves its endpoints.json behind: wait for one naming another process.
    const stale = this.endpoints()?.pid;
    this.runs += 1;
    this.log += `[run ${this.runs}]\n`;
    const child = spawn(
      'node_modules/.bin/tsx',
      [
        'local/start.ts',
        '--port',
        String(this.port),
        '--time-scale',
        String(this.opts.timeScale ?? 1),
        '--data',
        this.dataDir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: process.env },
    );
    this.child = child;
    live.add(child);
    child.stdout!.on('data', (d) => (this.log += d));
    child.stderr!.on('data', (d) => (this.log += d));
    child.once('exit', () => live.delete(child));
    const deadline = Date.now() + (this.opts.startTimeoutMs ?? 60_000);
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        this.child = undefined;
        throw new Error(`the local stack exited while starting:\n${this.runOutput()}`);
      }
      const e = this.endpoints();
      if (e && e.pid !== stale && e.apiUrl === this.url && (await this.healthy())) return;
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`the local stack did not come up:\n${this.runOutput()}`);
      }
      await sleep(100);
    }
  }

  /** A crash: SIGKILL to the whole process group; resolves once the child has exited and nothing of the group is left. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    const exited =
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve()
        : new Promise((r) => child.once('exit', r));
    killGroup(child);
    await exited;
    for (let i = 0; i < 100 && groupAlive(child.pid!); i++) await sleep(50);
    if (groupAlive(child.pid!)) throw new Error(`process group ${child.pid} survived SIGKILL`);
    this.log += `[run ${this.runs} killed]\n`;
  }

  /**
   * Kill whatever runs and remove the data folder. `keep` (a file's tests failed), or KEEP_RESTART_DATA set, keeps
   * it (the store, the executions, the outbox) with every run's output beside it as `<folder>.log`, so a failure in
   * a full run can be read afterwards without running it again.
   */
  async dispose(keep = false): Promise<void> {
    await this.kill();
    if (keep || process.env.KEEP_RESTART_DATA) writeFileSync(`${this.dataDir}.log`, this.log);
    else rmSync(this.dataDir, { recursive: true, force: true });
  }
}
