import validator from 'asl-validator';
import { describe, expect, test } from 'vitest';
import { WAIT_RESUMED } from '../../functions/domain/clock.js';
import { RESUMABLE_STAGES } from '../../functions/domain/stages.js';
import { TASKS, type TaskName } from '../../functions/domain/tasks.js';
import {
  bind,
  functionPlaceholder,
  functionSubstitutions,
  placeholdersIn,
  settingSubstitutions,
  WORKFLOW_FUNCTIONS,
} from '../../statemachines/bindings.js';
import { aslText } from '../../statemachines/definition.js';

type State = Record<string, unknown> & { Type: string };
const asl = aslText();
const bound = JSON.parse(
  bind(asl, {
    ...settingSubstitutions(),
    ...functionSubstitutions((f) => `arn:aws:lambda:eu-west-2:123456789012:function:${f}`),
  }),
);

function allStates(states: Record<string, State>, out: [string, State][] = []): [string, State][] {
  for (const [name, s] of Object.entries(states)) {
    out.push([name, s]);
    for (const b of (s.Branches as { States: Record<string, State> }[] | undefined) ?? []) allStates(b.States, out);
    const inner = (s.ItemProcessor ?? s.Iterator) as { States: Record<string, State> } | undefined;
    if (inner) allStates(inner.States, out);
  }
  return out;
}
const states = allStates(bound.States);
const tokenWaits = states.filter(([, s]) => String(s.Resource).endsWith('.waitForTaskToken'));

describe('the workflow definition', () => {
  test('is valid Amazon States Language once bound', () => {
    const result = validator(bound);
    expect(result.errors ?? []).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  test('uses JSONPath only: no JSONata, no variables', () => {
    expect(asl).not.toMatch(/QueryLanguage|"Arguments"|"Assign"|\{%/);
  });

  test('its placeholders are exactly the bindings: every function and every setting', () => {
    const expected = [...WORKFLOW_FUNCTIONS.map(functionPlaceholder), ...Object.keys(settingSubstitutions())].sort();
    expect(placeholdersIn(asl)).toEqual(expected);
  });

  test('binding refuses a placeholder with no value', () => {
    expect(() => bind(asl, settingSubstitutions())).toThrow(/no binding for \$\{\w+FunctionArn\}/);
  });

  test('state names are unique across branches and maps (the local engine keys overrides by name)', () => {
    const names = states.map(([n]) => n);
    expect(new Set(names).size).toBe(names.length);
  });

  test('every token wait has a timeout and a catch on States.Timeout that leads somewhere', () => {
    expect(tokenWaits.length).toBeGreaterThanOrEqual(8);
    const byName = new Map(states);
    for (const [name, s] of tokenWaits) {
      expect(s.TimeoutSeconds ?? s.TimeoutSecondsPath, `${name} has no timeout`).toBeDefined();
      // The function is told the same timeout the engine enforces, so the due time it shows is the real one.
      expect((s.Parameters as { Payload: Record<string, unknown> }).Payload['timeoutSeconds.$'], name).toBe(
        s.TimeoutSecondsPath,
      );
      const catches = (s.Catch as { ErrorEquals: string[]; Next: string }[] | undefined) ?? [];
      const onTimeout = catches.find((c) => c.ErrorEquals.includes('States.Timeout'));
      expect(onTimeout, `${name} does not catch States.Timeout`).toBeDefined();
      expect(byName.has(onTimeout!.Next), `${name} times out into nowhere`).toBe(true);
    }
  });

  const payload = (s: State) => (s.Parameters as { Payload: Record<string, unknown> }).Payload;
  /** The waits as authored: not the twins that wait out a resumed wait's seconds left (statemachines/resumedWaits.ts). */
  const authoredWaits = tokenWaits.filter(([, s]) => payload(s).untilFirstDue === undefined);
  const timeoutCatch = (s: State) =>
    (s.Catch as { ErrorEquals: string[]; Next: string }[]).find((c) => c.ErrorEquals.includes('States.Timeout'))!;

  test('every gate escalates by the escalate function and waits again', () => {
    const gates = authoredWaits.filter(([, s]) => payload(s).gate);
    expect(gates.map(([, s]) => payload(s).gate).sort()).toEqual([
      'closure',
      'data_request',
      'delay',
      'disclosure',
      'identification',
    ]);
    const byName = new Map(states);
    for (const [name, s] of gates) {
      const escalate = byName.get(timeoutCatch(s).Next)!;
      expect(String(escalate.Resource)).toContain(':function:escalate');
      expect(escalate.Next).toBe(name);
    }
  });

  test("a wait on a person resumed with its first due time ahead waits again only the seconds left, with the wait's own catches", () => {
    const byName = new Map(states);
    const resumable = authoredWaits.filter(([, s]) =>
      (s.Catch as { ErrorEquals: string[] }[]).some((c) => c.ErrorEquals.includes(WAIT_RESUMED)),
    );
    // Every gate and every task a person answers; the workflow's own waits (the arrest track, its look-ups) start afresh.
    const people = authoredWaits.filter(([, s]) => {
      const fn = (s.Parameters as { FunctionName: string }).FunctionName;
      const task = payload(s).task as TaskName | undefined;
      if (fn.endsWith(':function:openApproval')) return true;
      return fn.endsWith(':function:awaitTask') && TASKS[task!].role !== 'workflow';
    });
    expect(resumable.map(([n]) => n).sort()).toEqual(people.map(([n]) => n).sort());
    expect(resumable.length).toBeGreaterThanOrEqual(20);
    for (const [name, s] of resumable) {
      const onResumed = (s.Catch as { ErrorEquals: string[]; Next: string; ResultPath: string }[])[0]!;
      expect(onResumed).toEqual({ ErrorEquals: [WAIT_RESUMED], ResultPath: '$.resumedWait', Next: `${name}Resumed` });
      // The seconds left are the error's cause, read as a number.
      const read = byName.get(onResumed.Next)!;
      expect(read).toMatchObject({
        Type: 'Pass',
        Parameters: { 'seconds.$': 'States.StringToJson($.resumedWait.Cause)' },
        ResultPath: '$.resumedWait',
        Next: `${name}UntilFirstDue`,
      });
      const twin = byName.get(read.Next as string)!;
      expect(twin.TimeoutSecondsPath).toBe('$.resumedWait.seconds');
      expect(payload(twin)).toEqual({
        ...payload(s),
        'timeoutSeconds.$': '$.resumedWait.seconds',
        untilFirstDue: true,
      });
      expect((twin.Parameters as { FunctionName: string }).FunctionName).toBe(
        (s.Parameters as { FunctionName: string }).FunctionName,
      );
      expect([twin.Next, twin.ResultPath]).toEqual([s.Next, s.ResultPath]);
      // Its deadline goes where the wait's own does (a gate escalates and waits again at the wait itself).
      expect(timeoutCatch(twin).Next).toBe(timeoutCatch(s).Next);
      // A twin is never resumed again: it waits on the record the wait has just opened in this execution.
      expect(JSON.stringify(twin.Catch)).not.toContain(WAIT_RESUMED);
    }
  });

  test('a token wait never logs or returns its token: the token is only in the payload to the function', () => {
    for (const [, s] of tokenWaits) {
      expect(JSON.stringify((s.Parameters as { Payload: unknown }).Payload)).toContain('"taskToken.$":"$$.Task.Token"');
      expect(s.ResultSelector).toBeUndefined();
    }
  });

  test('a fresh execution can resume at every stage a case can wait in', () => {
    const router = bound.States.ResumeAtStage as { Choices: { StringEquals: string; Next: string }[] };
    const covered = router.Choices.map((c) => c.StringEquals).sort();
    expect(covered).toEqual([...RESUMABLE_STAGES].sort());
    for (const c of router.Choices)
      expect(bound.States[c.Next], `${c.StringEquals} resumes into nowhere`).toBeDefined();
  });

  test('requests, preservations and identification run side by side; the arrest track beside the right-to-know decision', () => {
    const named = new Map(states);
    expect(bound.States.CaseTracks.Type).toBe('Parallel');
    expect(bound.States.CaseTracks.Branches.map((b: { StartAt: string }) => b.StartAt)).toEqual([
      'PlatformReturns',
      'AwaitChosenIspRequests',
      'PreservationWatches',
      'IdentificationResume',
    ]);
    for (const map of ['PlatformReturns', 'AccountIspReturns', 'ChosenIspReturns', 'PreservationWatches'])
      expect(named.get(map)?.Type, map).toBe('Map');
    const parallel = named.get('AfterIdentification') as State & { Branches: { StartAt: string }[] };
    expect(parallel.Type).toBe('Parallel');
    expect(parallel.Branches.map((b: { StartAt: string }) => b.StartAt)).toEqual([
      'RaiseArrestTasking',
      'RightToKnowResume',
    ]);
  });

  type Retrier = {
    ErrorEquals: string[];
    MaxAttempts?: number;
    BackoffRate?: number;
    MaxDelaySeconds?: number;
    JitterStrategy?: string;
  };
  const tasks = states.filter(([, s]) => s.Type === 'Task');
  const steps = tasks.filter(([name]) => !name.startsWith('FaultAt'));

  test('every task retries what passes (Lambda service errors, TransientError, a timed-out function) with backoff, jitter and a cap, and nothing else', () => {
    expect(steps.length).toBeGreaterThanOrEqual(30);
    for (const [name, s] of tasks) {
      const retry = (s.Retry as Retrier[] | undefined) ?? [];
      const retried = retry.flatMap((r) => r.ErrorEquals);
      for (const e of [
        'Lambda.ServiceException',
        'Lambda.SdkClientException',
        'Lambda.TooManyRequestsException',
        'TransientError',
        'Sandbox.Timedout',
      ])
        expect(retried, `${name} does not retry ${e}`).toContain(e);
      // A permanent failure is never retried: no catch-all retrier.
      expect(retried, name).not.toContain('States.ALL');
      expect(retried, name).not.toContain('States.TaskFailed');
      for (const r of retry) {
        expect(r.JitterStrategy, `${name} retries ${r.ErrorEquals} in lockstep`).toBe('FULL');
        expect(r.BackoffRate ?? 1, name).toBeGreaterThan(1);
        expect(r.MaxAttempts, name).toBeLessThanOrEqual(8);
      }
      // A token wait's States.Timeout is the person's deadline (escalation), never retried as a fault.
      if (String(s.Resource).endsWith('.waitForTaskToken')) expect(retried, name).not.toContain('States.Timeout');
    }
  });

  test('every step hands what retrying will not cure to a supervisor: a fault wait (openFault) that leads back to the step, and goes up a rank when unanswered', () => {
    const byName = new Map(states);
    for (const [name, s] of steps) {
      const catches = (s.Catch as { ErrorEquals: string[]; Next: string; ResultPath?: string }[] | undefined) ?? [];
      const all = catches.at(-1)!;
      expect(all.ErrorEquals, name).toEqual(['States.ALL']);
      const fault = byName.get(all.Next)!;
      expect(all.Next).toBe(`FaultAt${name}`);
      expect(String(fault.Resource)).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
      const params = fault.Parameters as { FunctionName: string; Payload: Record<string, unknown> };
      expect(params.FunctionName).toContain(':function:openFault');
      expect(params.Payload).toMatchObject({ state: name, 'error.$': '$.fault.Error', 'caseId.$': '$.caseId' });
      expect(fault.Next, `${name}'s fault does not lead back to it`).toBe(name);
      expect(fault.ResultPath).toBeNull();
      // Its own timeout comes back to it with the error States.Timeout, which openFault tells from a new failure of the step.
      expect(fault.Catch as { ErrorEquals: string[]; Next: string }[]).toEqual([
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.fault', Next: `FaultAt${name}` },
      ]);
    }
  });

  test('a delay waits for its review date as a task a proposal to disclose ends early', () => {
    const identification = bound.States.CaseTracks.Branches.find(
      (b: { StartAt: string }) => b.StartAt === 'IdentificationResume',
    );
    const branch = identification.States.AfterIdentification.Branches[1].States;
    const wait = branch.AwaitDelayReview;
    expect(wait.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(wait.TimeoutSecondsPath).toBe('$.delay.waitSeconds');
    expect(wait.Parameters.Payload).toMatchObject({ task: 'DELAY_REVIEW', 'timeoutSeconds.$': '$.delay.waitSeconds' });
    // Ended early: the proposal goes to the disclose-or-delay choice, and on to the disclosure gate.
    expect(wait.ResultPath).toBe('$.proposal');
    expect(wait.Next).toBe('DiscloseOrDelay');
    // The review date: the decision comes round again.
    const timeout = wait.Catch.find((c: { ErrorEquals: string[] }) => c.ErrorEquals.includes('States.Timeout'));
    expect(timeout.Next).toBe('DelayReviewDue');
    expect(branch.DelayReviewDue.Next).toBe('AwaitDisclosureProposal');
  });
});
