import { describe, expect, test } from 'vitest';
import { functionArn } from '../../statemachines/bindings.js';
import {
  type Definition,
  faultStateOf,
  retryPolicy,
  type State,
  TOKEN_WAIT,
  withFaultHandling,
} from '../../statemachines/faultHandling.js';

/** The transform on small definitions: what it adds to each kind of state, and where. */
const lambda = (next: string, extra: Partial<State> = {}): State => ({
  Type: 'Task',
  Resource: functionArn('escalate'),
  Parameters: { 'caseId.$': '$.caseId' },
  ResultPath: null,
  ...extra,
  Next: next,
});
const wait = (next: string, extra: Partial<State> = {}): State => ({
  Type: 'Task',
  Resource: TOKEN_WAIT,
  Parameters: { FunctionName: functionArn('awaitTask'), Payload: { 'taskToken.$': '$$.Task.Token' } },
  TimeoutSecondsPath: '$.due',
  ResultPath: null,
  ...extra,
  Next: next,
});
const flow = (States: Record<string, State>, StartAt = Object.keys(States)[0]!): Definition => ({ StartAt, States });
const errorsOf = (s: State) => (s.Retry as { ErrorEquals: string[] }[]).map((r) => r.ErrorEquals);

describe('the fault-handling transform', () => {
  test('a function call retries what passes, a timed-out call included, then hands the rest to its fault wait', () => {
    const out = withFaultHandling(
      flow({
        Step: lambda('Done', { Catch: [{ ErrorEquals: ['Refused'], ResultPath: null, Next: 'Done' }] }),
        Done: { Type: 'Succeed' },
      }),
    );
    const step = out.States.Step!;
    expect(errorsOf(step)).toEqual([
      expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException']),
      ['TransientError'],
      ['Sandbox.Timedout', 'States.Timeout'],
    ]);
    // The step's own catches come first; the catch-all is last and keeps the error for the supervisor.
    expect(step.Catch).toEqual([
      { ErrorEquals: ['Refused'], ResultPath: null, Next: 'Done' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.fault', Next: 'FaultAtStep' },
    ]);
    expect(step.Next).toBe('Done');
    const fault = out.States.FaultAtStep!;
    expect(fault).toMatchObject({
      Type: 'Task',
      Resource: TOKEN_WAIT,
      Parameters: {
        FunctionName: functionArn('openFault'),
        Payload: { 'caseId.$': '$.caseId', state: 'Step', 'error.$': '$.fault.Error', 'taskToken.$': '$$.Task.Token' },
      },
      TimeoutSecondsPath: '$.settings.faultResponse',
      ResultPath: null,
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.fault', Next: 'FaultAtStep' }],
      Next: 'Step',
    });
    expect(errorsOf(fault)).toEqual(retryPolicy(true).map((r) => r.ErrorEquals));
    expect(out.States.Done).toEqual({ Type: 'Succeed' });
  });

  test("a token wait never retries States.Timeout: that is the person's deadline, for its own catch", () => {
    const out = withFaultHandling(
      flow({
        Await: wait('Done', { Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'Escalate' }] }),
        Escalate: lambda('Await'),
        Done: { Type: 'Succeed' },
      }),
    );
    expect(errorsOf(out.States.Await!).flat()).not.toContain('States.Timeout');
    expect(errorsOf(out.States.Await!).at(-1)).toEqual(['Sandbox.Timedout']);
    expect((out.States.Await!.Catch as { ErrorEquals: string[] }[]).map((c) => c.ErrorEquals)).toEqual([
      ['States.Timeout'],
      ['States.ALL'],
    ]);
    expect(errorsOf(out.States.Escalate!).at(-1)).toEqual(['Sandbox.Timedout', 'States.Timeout']);
  });

  test("a step's own retriers are tried before the policy's", () => {
    const own = { ErrorEquals: ['Slow'], IntervalSeconds: 30, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: 'FULL' };
    const out = withFaultHandling(flow({ Step: lambda('Done', { Retry: [own] }), Done: { Type: 'Succeed' } }));
    expect((out.States.Step!.Retry as unknown[])[0]).toEqual(own);
    expect(out.States.Step!.Retry).toHaveLength(4);
  });

  test('the fault waits go after the authored states, in the same branch or map as their step', () => {
    const out = withFaultHandling(
      flow({
        First: lambda('Both'),
        Both: {
          Type: 'Parallel',
          Branches: [
            flow({ Left: lambda('LeftDone'), LeftDone: { Type: 'Succeed' } }),
            flow({ Right: { Type: 'Succeed' } }),
          ],
          Next: 'Each',
        },
        Each: {
          Type: 'Map',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            ...flow({ Item: wait('ItemDone'), ItemDone: { Type: 'Succeed' } }),
          },
          Next: 'End',
        },
        End: { Type: 'Succeed' },
      }),
    );
    expect(Object.keys(out.States)).toEqual(['First', 'Both', 'Each', 'End', faultStateOf('First')]);
    const [left, right] = out.States.Both!.Branches as Definition[];
    expect(Object.keys(left!.States)).toEqual(['Left', 'LeftDone', 'FaultAtLeft']);
    expect(Object.keys(right!.States)).toEqual(['Right']);
    const item = out.States.Each!.ItemProcessor as Definition & { ProcessorConfig: unknown };
    expect(item.ProcessorConfig).toEqual({ Mode: 'INLINE' });
    expect(Object.keys(item.States)).toEqual(['Item', 'ItemDone', 'FaultAtItem']);
    // Parallel and Map states themselves are left as authored: their tasks inside are what fails.
    expect(out.States.Both!.Retry).toBeUndefined();
    expect(out.States.Each!.Catch).toBeUndefined();
  });

  test('leaves the authored flow as it was', () => {
    const authored = flow({ Step: lambda('Done'), Done: { Type: 'Succeed' } });
    const copy = structuredClone(authored);
    withFaultHandling(authored);
    expect(authored).toEqual(copy);
  });

  test('refuses a flow that authors what is the transform’s to add', () => {
    expect(() => withFaultHandling(flow({ FaultAtStep: lambda('Done'), Done: { Type: 'Succeed' } }))).toThrow(
      /FaultAt/,
    );
    expect(() =>
      withFaultHandling(
        flow({
          Step: lambda('Done', { Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'Done' }] }),
          Done: { Type: 'Succeed' },
        }),
      ),
    ).toThrow(/States.ALL/);
  });
});
