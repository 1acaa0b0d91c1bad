import { request, type IncomingMessage, type Server } from 'node:http';
import { localServer } from './server.js';
import type { HandlerKind } from '../infra/constructs/bundling.js';

/**
 * The local stack's fault-injection seam: off unless a stack is started with
 * `faults`, and never part of the CDK app (nothing under functions/ or infra/
 * imports it; a test holds that). It sits where AWS would fail: around each
 * handler invocation (as Lambda would throw, time out, or lose a response
 * after the function's side effects), and in front of the store (as DynamoDB
 * would throttle).
 */
export type FaultMode =
  /** The invocation fails before the handler runs (nothing happened). */
  | 'throw'
  /** The handler never answers: after the function's timeout the invocation fails with Sandbox.Timedout, as Lambda's does. */
  | 'timeout'
  /** The handler runs to the end (its side effects are made), then the invocation fails instead of answering. */
  | 'after'
  /** The handler runs to the end, then the whole process dies at once (SIGKILL): a crash between a side effect and its answer. */
  | 'kill';

export interface FaultRule {
  /** Handler name (e.g. `sendDisclosure`, `decideApproval`), or '*' for any. */
  handler: string;
  kind?: HandlerKind;
  mode: FaultMode;
  /** Which invocation(s) fail, counted per handler and case from 1; every matching invocation when absent. */
  attempt?: number | readonly number[];
  /** Only invocations for this case (workflow input `caseId`, or the route's `{caseId}`). */
  caseId?: string;
  /** Only this state of the workflow (workflow handlers). */
  state?: string;
  /** The error's name: `Lambda.ServiceException` (transient, the default) or anything else (permanent). */
  error?: string;
  /** How many times the rule may fire in all (default: unlimited within its attempts). */
  times?: number;
}

export interface StoreThrottle {
  /** Share of matching requests refused, 0..1. */
  rate?: number;
  /** Or: refuse the next `count` matching requests. */
  count?: number;
  /** DynamoDB operations (e.g. 'PutItem', 'UpdateItem', 'Query'); all when absent. */
  operations?: readonly string[];
}

export interface FaultOptions {
  rules?: FaultRule[];
  throttle?: StoreThrottle;
  /** How long a `timeout` fault hangs before failing, in ms (Lambda's function timeout, shortened). */
  functionTimeoutMs?: number;
  /** Random source for `throttle.rate` (a seeded one makes a run repeatable). */
  random?: () => number;
  /**
   * The fault a matching rule makes, chosen when it fires (the rule's own `mode` and `error` when absent): a run
   * that must meet every kind of fault can take the kinds in turn among the faults that actually fire, where kinds
   * fixed when the rules are planned may all land on attempts that never happen.
   */
  choose?: (rule: FaultRule, call: Invocation, fired: readonly FiredFault[]) => Pick<FaultRule, 'mode' | 'error'>;
}

export interface FiredFault {
  rule: number;
  handler: string;
  kind: string;
  mode: FaultMode;
  caseId?: string;
  state?: string;
  attempt: number;
}

export class InjectedFault extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export const DEFAULT_FAULT_ERROR = 'Lambda.ServiceException';

export interface Invocation {
  kind: HandlerKind;
  handler: string;
  caseId?: string;
  state?: string;
}

export class FaultSeam {
  private rules: { rule: FaultRule; fired: number }[] = [];
  private readonly attempts = new Map<string, number>();
  private throttle: (StoreThrottle & { left?: number }) | undefined;
  readonly fired: FiredFault[] = [];
  readonly throttled = { count: 0 };
  readonly functionTimeoutMs: number;
  private readonly random: () => number;
  private readonly choose: NonNullable<FaultOptions['choose']>;

  constructor(options: FaultOptions = {}) {
    this.functionTimeoutMs = options.functionTimeoutMs ?? 3000;
    this.random = options.random ?? Math.random;
    this.choose = options.choose ?? ((rule) => rule);
    for (const r of options.rules ?? []) this.inject(r);
    if (options.throttle) this.throttleStore(options.throttle);
  }

  inject(rule: FaultRule): void {
    this.rules.push({ rule, fired: 0 });
  }

  throttleStore(t: StoreThrottle | undefined): void {
    this.throttle = t && { ...t, ...(t.count !== undefined ? { left: t.count } : {}) };
  }

  clear(): void {
    this.rules = [];
    this.throttle = undefined;
  }

  /** Run one invocation through the seam: the handler itself, or the fault a rule asks for. */
  async around<T>(call: Invocation, run: () => Promise<T>): Promise<T> {
    const key = `${call.kind}/${call.handler}/${call.caseId ?? '-'}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    const index = this.rules.findIndex(
      ({ rule, fired }) => matches(rule, call, attempt) && (rule.times === undefined || fired < rule.times),
    );
    if (index < 0) return run();
    const entry = this.rules[index]!;
    entry.fired += 1;
    const fault = this.choose(entry.rule, call, this.fired);
    const { mode } = fault;
    this.fired.push({
      rule: index,
      handler: call.handler,
      kind: call.kind,
      mode,
      attempt,
      ...(call.caseId ? { caseId: call.caseId } : {}),
      ...(call.state ? { state: call.state } : {}),
    });
    const error = fault.error ?? DEFAULT_FAULT_ERROR;
    if (mode === 'throw') throw new InjectedFault(error, `injected: ${call.handler} failed before running`);
    if (mode === 'timeout') {
      await new Promise((r) => setTimeout(r, this.functionTimeoutMs));
      throw new InjectedFault('Sandbox.Timedout', `injected: ${call.handler} timed out`);
    }
    await run();
    if (mode === 'kill') {
      process.kill(process.pid, 'SIGKILL');
      await new Promise(() => undefined);
    }
    throw new InjectedFault(error, `injected: ${call.handler} failed after its side effects`);
  }

  /** Whether the store refuses this request (DynamoDB operation name) with a throttling error. */
  refuse(operation: string): boolean {
    const t = this.throttle;
    if (!t || (t.operations && !t.operations.includes(operation))) return false;
    if (t.left !== undefined) {
      if (t.left <= 0) return false;
      t.left -= 1;
    } else if (this.random() >= (t.rate ?? 0)) return false;
    this.throttled.count += 1;
    return true;
  }
}

function matches(rule: FaultRule, call: Invocation, attempt: number): boolean {
  if (rule.handler !== '*' && rule.handler !== call.handler) return false;
  if (rule.kind && rule.kind !== call.kind) return false;
  if (rule.caseId && rule.caseId !== call.caseId) return false;
  if (rule.state && rule.state !== call.state) return false;
  if (rule.attempt === undefined) return true;
  return typeof rule.attempt === 'number' ? rule.attempt === attempt : rule.attempt.includes(attempt);
}

/** Rules from the environment, for a stack started as its own process (`LOCAL_FAULTS='{"rules":[...]}'`). */
export function faultOptionsFromEnv(value = process.env.LOCAL_FAULTS): FaultOptions | undefined {
  if (!value) return undefined;
  const parsed = JSON.parse(value) as FaultOptions;
  return parsed;
}

/**
 * A proxy in front of dynalite that answers some requests as DynamoDB does
 * when a table is throttled (HTTP 400, ProvisionedThroughputExceededException
 * or ThrottlingException), and passes the rest through unchanged.
 */
export async function startStoreProxy(
  target: string,
  seam: FaultSeam,
  port = 0,
): Promise<{ url: string; close: () => Promise<void> }> {
  const upstream = new URL(target);
  const server: Server = localServer((req: IncomingMessage, res) => {
    const operation =
      String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .pop() ?? '';
    if (seam.refuse(operation)) {
      req.resume();
      const type =
        operation === 'Query' || operation === 'GetItem'
          ? 'ProvisionedThroughputExceededException'
          : 'ThrottlingException';
      res.writeHead(400, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': `throttled-${seam.throttled.count}`,
      });
      res.end(
        JSON.stringify({
          __type: `com.amazonaws.dynamodb.v20120810#${type}`,
          message: 'Rate of requests exceeds the allowed throughput.',
        }),
      );
      return;
    }
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forward.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
