import './polyfill.js';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import {
  bind,
  functionSubstitutions,
  settingSubstitutions,
  WORKFLOW_FUNCTIONS,
  type WorkflowFunction,
} from '../statemachines/bindings.js';
import { aslText } from '../statemachines/definition.js';
import type { FaultSeam } from './faults.js';
import { LAMBDA_TIMEOUT_MS, lambdaContext, loadHandler, withinTimeout } from './handlers.js';
import { ResumeNames } from './resume-names.js';

/**
 * Step Functions on this machine: aws-local-stepfunctions runs the same ASL
 * definition (statemachines/definition.ts) with the same handlers. It has no `.waitForTaskToken`, so this class
 * keeps the task tokens: a token per waiting state, forgotten when the
 * state's timeout passes (the engine itself raises States.Timeout), and
 * answered by SendTaskSuccess / SendTaskFailure on the local endpoint.
 */
export const REGION = 'eu-west-2';
export const ACCOUNT = '000000000000';
export const STATE_MACHINE_NAME = 'disclosure';
export const STATE_MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${STATE_MACHINE_NAME}`;
const localFunctionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
/** Node's timers overflow past 2^31 ms; the engine's own timeout would then fire at once. */
const MAX_TIMER_SECONDS = 2_000_000;

/**
 * Validating the definition (the engine's ASL schema, compiled with ajv) costs about two CPU-seconds, and every
 * local stack validated the same text again: a test run starts about forty. A definition that validated once is
 * marked by its SHA-256 under the temporary folder and not validated again; any other text (another time scale,
 * other settings, a changed workflow) has another hash and is validated.
 */
const validatedMark = (definition: string) =>
  join(tmpdir(), 'rtk-asl-validated', createHash('sha256').update(ENGINE_VERSION).update(definition).digest('hex'));
/** The engine's version is part of the mark: another version's validator may judge the same text otherwise. */
const ENGINE_VERSION = (
  JSON.parse(
    readFileSync(
      join(dirname(createRequire(import.meta.url).resolve('aws-local-stepfunctions')), '..', 'package.json'),
      'utf8',
    ),
  ) as { version: string }
).version;
/** The engine's machine for a definition (its text, and the object parsed from it that the engine then adapts). */
export function validatedStateMachine(text: string, definition: object = JSON.parse(text)): StateMachine {
  const mark = validatedMark(text);
  const noValidate = existsSync(mark);
  const machine = new StateMachine(definition as never, {
    validationOptions: { checkArn: false, checkPaths: true, noValidate },
  });
  if (!noValidate) {
    mkdirSync(join(mark, '..'), { recursive: true });
    writeFileSync(mark, '');
  }
  return machine;
}

/** What a task gets when the engine stops under it. */
const stopped = () => new StepFunctionsError('ServiceUnavailable', 'the local engine is stopping');

export class StepFunctionsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

interface PendingToken {
  execution: string;
  state: string;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export interface ExecutionRecord {
  name: string;
  arn: string;
  caseId: string;
  input: Record<string, unknown>;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'SUPERSEDED';
  startDate: string;
  stopDate?: string;
  error?: string;
  /** The state last entered before a failure (in a Map or a Parallel, one of the branches'). */
  failedState?: string;
  cause?: string;
}

export interface EngineCounters {
  stateTransitions: number;
  lambdaInvocations: number;
  /** The same invocations by workflow function. */
  lambdaInvocationsByFunction: Partial<Record<WorkflowFunction, number>>;
}

type StateDef = {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  Branches?: { States: Record<string, StateDef> }[];
  ItemProcessor?: { States: Record<string, StateDef> };
  Iterator?: { States: Record<string, StateDef> };
};

function eachState(states: Record<string, StateDef>, visit: (name: string, s: StateDef) => void) {
  for (const [name, s] of Object.entries(states)) {
    visit(name, s);
    for (const b of s.Branches ?? []) eachState(b.States, visit);
    const inner = s.ItemProcessor ?? s.Iterator;
    if (inner) eachState(inner.States, visit);
  }
}

export class LocalStepFunctions {
  private readonly definition: { States: Record<string, StateDef> };
  private readonly machine: StateMachine;
  private readonly overrides: Record<string, (input: unknown) => Promise<unknown>> = {};
  /**
   * Retry pauses compressed like every other duration. The engine's override is one pause per
   * retrier, without backoff: each read draws a fresh pause up to twice the compressed one, so
   * retries of many cases at once still spread out (the ASL's JitterStrategy FULL, in small).
   */
  private readonly retryIntervals: Record<string, number[]> = {};
  private readonly tokens = new Map<string, PendingToken>();
  private readonly aborts = new Map<string, () => void>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly running = new Set<Promise<unknown>>();
  readonly counters: EngineCounters = { stateTransitions: 0, lambdaInvocations: 0, lambdaInvocationsByFunction: {} };
  private stopping = false;
  /** A change not yet written, and the write that will take it (persist). */
  private dirty = false;
  private closed = false;
  private pending: Promise<void> | undefined;
  private readonly failures = new Map<string, { state: string; error: string; cause: string }[]>();

  private readonly invocationsByCase = new Map<string, number>();

  /** Workflow Lambda invocations made for one case so far (this process only): what a case costs, counted. */
  workflowInvocationsOf(caseId: string): number {
    return this.invocationsByCase.get(caseId) ?? 0;
  }

  /** The last failures of an execution's states (this process only): for a test to say what went wrong. */
  failuresOf(execution: string): readonly { state: string; error: string; cause: string }[] {
    return this.failures.get(execution) ?? [];
  }

  /** The waits an execution holds now (this process only), each with its token: for a test to answer one late. */
  waitsOf(execution: string): { state: string; token: string }[] {
    return [...this.tokens]
      .filter(([, p]) => p.execution === execution)
      .map(([token, p]) => ({ state: p.state, token }));
  }

  constructor(
    private readonly opts: {
      stateFile: string;
      timeScale?: number;
      /** Settings bound as given, after scaling: tests shorten one duration without compressing all time further. */
      settings?: Record<string, string>;
      onEvent?: (execution: string, event: { type: string; state?: string }) => void;
      onError?: (execution: string, error: string) => void;
      /** The fault-injection seam, when a test or a chaos run asks for one. */
      faults?: FaultSeam;
      /** How long a workflow invocation may run before it fails with Sandbox.Timedout (the functions' timeout). */
      functionTimeoutMs?: number;
      /** A workflow invocation ran past that time (told with the case's id: never personal data). */
      onTimeout?: (fn: WorkflowFunction, state: string, caseId: string | undefined) => void;
    },
  ) {
    const bound = bind(aslText(), {
      ...functionSubstitutions((f) => localFunctionArn(f)),
      ...settingSubstitutions(opts.timeScale ?? 1, MAX_TIMER_SECONDS),
      ...opts.settings,
    });
    this.definition = JSON.parse(bound);
    this.machine = validatedStateMachine(bound, this.definition);
    const byArn = new Map(WORKFLOW_FUNCTIONS.map((f) => [localFunctionArn(f), f] as const));
    eachState(this.definition.States, (stateName, s) => {
      const retry = (s as { Retry?: { IntervalSeconds?: number }[] }).Retry;
      // At least 200 ms, so a run of retries still spans a moment a person (or a test) can act in.
      if (retry) {
        const base = retry.map((r) => Math.max(200, ((r.IntervalSeconds ?? 1) * 1000) / (opts.timeScale ?? 1)));
        Object.defineProperty(this.retryIntervals, stateName, {
          enumerable: true,
          get: () => base.map((ms) => Math.round(ms * (1 + Math.random()))),
        });
      }
      if (s.Type !== 'Task') return;
      if (s.Resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
        // aws-local-stepfunctions reads TimeoutSecondsPath from the input after Parameters, where AWS
        // reads the state's input. The payload carries the same value (a test holds the two equal),
        // so point the path there for this engine only.
        const payload = s.Parameters?.Payload as Record<string, unknown> | undefined;
        if (
          (s as { TimeoutSecondsPath?: string }).TimeoutSecondsPath &&
          payload?.['timeoutSeconds.$'] === (s as { TimeoutSecondsPath?: string }).TimeoutSecondsPath
        )
          (s as { TimeoutSecondsPath?: string }).TimeoutSecondsPath = '$.Payload.timeoutSeconds';
        const fn = byArn.get(String(s.Parameters?.FunctionName));
        if (!fn) throw new Error(`state ${stateName} calls an unknown function`);
        this.overrides[stateName] = (input) =>
          this.waitForToken(stateName, fn, input as { Payload: Record<string, unknown> });
      } else {
        const fn = byArn.get(String(s.Resource));
        if (!fn) throw new Error(`state ${stateName} calls an unknown resource`);
        this.overrides[stateName] = (input) => this.invoke(fn, input, stateName);
      }
    });
    if (existsSync(opts.stateFile)) {
      for (const e of JSON.parse(readFileSync(opts.stateFile, 'utf8')) as ExecutionRecord[])
        this.executions.set(e.name, e);
    }
  }

  private async invoke(fn: WorkflowFunction, payload: unknown, state: string): Promise<unknown> {
    // A stopping engine runs no more steps: a task its stop ended (below) and tried again by its retrier fails again
    // at once, and the aborted execution goes no further.
    if (this.stopping) throw stopped();
    this.counters.lambdaInvocations += 1;
    this.counters.lambdaInvocationsByFunction[fn] = (this.counters.lambdaInvocationsByFunction[fn] ?? 0) + 1;
    const caseId = (payload as { caseId?: unknown } | null)?.caseId;
    if (typeof caseId === 'string') this.invocationsByCase.set(caseId, (this.invocationsByCase.get(caseId) ?? 0) + 1);
    const handler = await loadHandler('workflow', fn);
    // Bounded by the function's timeout, as Lambda bounds it: a handler stuck on a call that never answers fails
    // the step with Sandbox.Timedout, which the step's retriers take, where it once held the case for ever.
    const run = () =>
      withinTimeout(
        () => handler(payload, lambdaContext(fn)),
        this.opts.functionTimeoutMs ?? LAMBDA_TIMEOUT_MS,
        () => this.opts.onTimeout?.(fn, state, typeof caseId === 'string' ? caseId : undefined),
      );
    const faults = this.opts.faults;
    if (!faults) return run();
    return faults.around(
      { kind: 'workflow', handler: fn, state, ...(typeof caseId === 'string' ? { caseId } : {}) },
      run,
    );
  }

  private waitForToken(
    state: string,
    fn: WorkflowFunction,
    input: { Payload: Record<string, unknown> },
  ): Promise<unknown> {
    // A token of its own for each entry into the state, as AWS gives. The engine reads $$ from a copy of the
    // context made once per execution, branch or iteration, so every wait on one path would otherwise share a
    // token: a late answer to an earlier wait (a retried fault's second signal) would then end the wait in hand.
    if (this.stopping) return Promise.reject(stopped());
    const execution = String(input.Payload.taskToken).split('.')[0]!;
    const token = `${execution}.${randomBytes(48).toString('base64url')}`;
    const timeoutSeconds = Math.min(Number(input.Payload.timeoutSeconds) || 60, MAX_TIMER_SECONDS);
    const waiting = new Promise<unknown>((resolve, reject) => {
      // Forget the token when the state times out; a late SendTaskSuccess then gets TaskTimedOut, as in AWS.
      const timer = setTimeout(() => this.tokens.delete(token), timeoutSeconds * 1000 + 50);
      timer.unref();
      this.tokens.set(token, { execution, state, resolve, reject, timer });
    });
    // Like Lambda's invocation for a token task: the function stores the token; its return value is not the result.
    this.invoke(fn, { ...input.Payload, taskToken: token }, state).catch((e: Error) =>
      this.settle(token, (p) => p.reject(e)),
    );
    return waiting;
  }

  private settle(token: string, how: (p: PendingToken) => void): boolean {
    const p = this.tokens.get(token);
    if (!p) return false;
    clearTimeout(p.timer);
    this.tokens.delete(token);
    how(p);
    return true;
  }

  sendTaskSuccess(taskToken: string, output: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch {
      throw new StepFunctionsError('InvalidOutput', 'output is not JSON');
    }
    if (!this.settle(taskToken, (p) => p.resolve(parsed)))
      throw new StepFunctionsError('TaskTimedOut', 'Task Timed Out');
  }

  sendTaskFailure(taskToken: string, error = 'TaskFailed', cause = ''): void {
    const e = Object.assign(new Error(cause), { name: error });
    if (!this.settle(taskToken, (p) => p.reject(e))) throw new StepFunctionsError('TaskTimedOut', 'Task Timed Out');
  }

  sendTaskHeartbeat(taskToken: string): void {
    if (!this.tokens.has(taskToken)) throw new StepFunctionsError('TaskTimedOut', 'Task Timed Out');
  }

  describe(name: string): ExecutionRecord | undefined {
    return this.executions.get(name);
  }

  list(): ExecutionRecord[] {
    return [...this.executions.values()];
  }

  startExecution(name: string, input: Record<string, unknown>): ExecutionRecord {
    if (this.stopping) throw stopped();
    const existing = this.executions.get(name);
    // As Step Functions does for a standard workflow: the same name and input while it runs is the same start (a
    // call tried again after its first answer was lost or given up: clients/signedRequest.ts gives an attempt up
    // after 30 s), answered as that one was; the name taken otherwise is refused.
    if (existing?.status === 'RUNNING' && isDeepStrictEqual(existing.input, input)) return existing;
    if (existing) throw new StepFunctionsError('ExecutionAlreadyExists', `an execution named ${name} already exists`);
    const record: ExecutionRecord = {
      name,
      arn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:${STATE_MACHINE_NAME}:${name}`,
      caseId: String(input.caseId),
      input,
      status: 'RUNNING',
      startDate: new Date().toISOString(),
    };
    this.executions.set(name, record);
    void this.persist();
    this.run(record);
    return record;
  }

  private run(record: ExecutionRecord) {
    const context = {
      Execution: { Id: record.arn, Name: record.name, Input: record.input, StartTime: record.startDate },
      StateMachine: { Id: STATE_MACHINE_ARN, Name: STATE_MACHINE_NAME },
      // Names the execution only: waitForToken mints each wait's own token behind it.
      Task: { Token: `${record.name}.` },
    };
    const execution = this.machine.run(record.input as never, {
      overrides: { taskResourceLocalHandlers: this.overrides as never, retryIntervalOverrides: this.retryIntervals },
      context: context as never,
      noThrowOnAbort: true,
    });
    this.aborts.set(record.name, execution.abort);
    let lastState: string | undefined;
    const events = (async () => {
      for await (const ev of execution.eventLogs) {
        const e = ev as { type: string; state?: { name: string } };
        if (e.type === 'StateFailed') {
          // Kept in memory for a test's failure message (never logged, never persisted): the state, the error and its cause.
          const f = ev as unknown as { Error?: string; Cause?: string };
          const list = this.failures.get(record.name) ?? [];
          list.push({
            state: e.state?.name ?? '?',
            error: String(f.Error ?? ''),
            cause: String(f.Cause ?? '').slice(0, 300),
          });
          this.failures.set(record.name, list.slice(-20));
        }
        if (e.type === 'StateEntered') {
          this.counters.stateTransitions += 1;
          lastState = e.state?.name;
        }
        this.opts.onEvent?.(record.name, { type: e.type, ...(e.state ? { state: e.state.name } : {}) });
      }
    })().catch(() => undefined);
    const done = execution.result
      .then(() => {
        if (this.stopping || record.status !== 'RUNNING') return;
        record.status = 'SUCCEEDED';
      })
      .catch((e: Error) => {
        if (this.stopping || record.status !== 'RUNNING') return;
        // The engine wraps what failed the execution: the cause's name is the error AWS would report.
        const cause = e.name === 'ExecutionError' && e.cause instanceof Error ? e.cause : e;
        record.status = 'FAILED';
        record.error = cause.name;
        if (lastState) record.failedState = lastState;
        // The engine's own words (a path that did not resolve, a choice with no match): ids and paths, never case data.
        if (cause.name.startsWith('States.')) record.cause = cause.message.slice(0, 500);
        this.opts.onError?.(record.name, `${cause.name} after ${lastState ?? 'the start'}: ${cause.message}`);
      })
      .finally(() => {
        if (record.status !== 'RUNNING') record.stopDate = new Date().toISOString();
        this.aborts.delete(record.name);
        this.cancelTokens(record.name);
        void this.persist();
      });
    const tracked = Promise.all([done, events]);
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
  }

  /**
   * An execution stopped or ended: its waits are forgotten and ended. Ended, not only forgotten: the engine's timer
   * for each waiting task's timeout is cleared only when the task settles, so a wait of a branch left behind (a
   * Parallel whose other branch failed, an execution stopped for a fresh one) would otherwise hold its timer and its
   * promise until the state's timeout, days at time ×1. Its execution or branch is aborted by then, so no Catch or
   * next state runs, and no retrier takes the error.
   */
  private cancelTokens(execution: string) {
    for (const token of [...this.tokens.keys()])
      if (token.startsWith(`${execution}.`))
        this.settle(token, (p) =>
          p.reject(new StepFunctionsError('ExecutionEnded', 'the execution this wait belonged to has ended')),
        );
  }

  /** StopExecution: the run is aborted and its tokens forgotten; it ends ABORTED. */
  stopExecution(name: string): void {
    const record = this.executions.get(name);
    if (!record) throw new StepFunctionsError('ExecutionDoesNotExist', `no execution named ${name}`);
    if (record.status !== 'RUNNING') return;
    record.status = 'ABORTED';
    record.stopDate = new Date().toISOString();
    void this.persist();
    // Aborting from inside one of this execution's own tasks: let that task answer first.
    setImmediate(() => {
      this.aborts.get(name)?.();
      this.cancelTokens(name);
    });
  }

  /**
   * After a restart: every case whose execution was running continues from
   * its stage in a fresh execution; the old one is marked superseded.
   */
  resumeRunning(stageOf: (caseId: string) => Promise<string | undefined>): Promise<string[]> {
    const stale = [...this.executions.values()].filter((e) => e.status === 'RUNNING');
    const names = new ResumeNames(
      stale.map((e) => e.caseId),
      this.executions.keys(),
    );
    return Promise.all(
      stale.map(async (e) => {
        const stage = await stageOf(e.caseId);
        e.status = 'SUPERSEDED';
        e.stopDate = new Date().toISOString();
        void this.persist();
        if (!stage || stage === 'CLOSED' || stage === 'REJECTED') return undefined;
        this.startExecution(names.next(e.caseId), { caseId: e.caseId, resumeAt: stage });
        return e.caseId;
      }),
    ).then((ids) => ids.filter((x): x is string => !!x));
  }

  /**
   * Group commit: every change asked for before the next turn of the event loop goes into one write. The file
   * holds every execution, so a write per change cost O(executions) each (120 ms at 10,000), O(n²) for a force's
   * worth of starts; the writes now follow the requests' pace, not their number. StartExecution and
   * StopExecution answer once their change is written (`persisted`), as before.
   */
  private persist(): Promise<void> {
    this.dirty = true;
    this.pending ??= new Promise((resolve) =>
      setImmediate(() => {
        this.pending = undefined;
        this.writeState();
        resolve();
      }),
    );
    return this.pending;
  }

  /** Resolves once every change made so far is on disk. */
  persisted(): Promise<void> {
    return this.pending ?? Promise.resolve();
  }

  /** Written whole or not at all (a new file renamed over the old): a kill mid-write leaves the last state, never half. */
  private writeState() {
    if (!this.dirty || this.closed) return;
    this.dirty = false;
    const next = `${this.opts.stateFile}.next`;
    writeFileSync(next, JSON.stringify([...this.executions.values()], null, 1));
    renameSync(next, this.opts.stateFile);
  }

  /** Stop without marking running executions finished: they resume on the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const abort of this.aborts.values()) abort();
    // Each task still waiting for its token is ended too: the engine's own timer for the state's timeout (days, at
    // time ×1) is cleared only when the task settles, and it would keep the process alive after the stop. The
    // executions are aborted, so no Catch or next state runs; the records stay RUNNING, to resume on the next start.
    for (const token of [...this.tokens.keys()]) this.settle(token, (p) => p.reject(stopped()));
    await Promise.race([Promise.allSettled([...this.running]), new Promise((r) => setTimeout(r, 2000).unref())]);
    this.dirty = true;
    this.writeState();
    // What ends after this (a run that outlived the wait) is not written: the next start resumes it from its stage.
    this.closed = true;
  }
}
