import { functionArn } from './bindings.js';

/**
 * The one transform between the authored flow (statemachines/disclosure.ts) and the definition AWS and the
 * local engine run: every Task state gets the same retry policy, a last catch that hands what retrying will
 * not cure to a supervisor, and that supervisor's fault wait (`FaultAt<Step>`) beside it, which asks the
 * step again once answered. The authored flow says only what is particular to a step: its own catches
 * (a person's deadline, a domain error with a path of its own) and any retrier of its own, tried first.
 */

/** A state of Amazon States Language (JSONPath), as loosely as the flow needs. */
export type State = { Type: string; Next?: string; End?: boolean; [field: string]: unknown };
export type States = Record<string, State>;
export interface Definition {
  Comment?: string;
  StartAt: string;
  States: States;
}
export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds: number;
  MaxAttempts: number;
  BackoffRate: number;
  MaxDelaySeconds?: number;
  JitterStrategy: 'FULL';
}
export interface Catcher {
  ErrorEquals: string[];
  ResultPath: string | null;
  Next: string;
}

export const TOKEN_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
export const faultStateOf = (step: string) => `FaultAt${step}`;

/** What passes on its own: Lambda's service errors, a TransientError a handler names, a function timed out. */
const LAMBDA_SERVICE: Retrier = {
  ErrorEquals: [
    'Lambda.ClientExecutionTimeoutException',
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
    'Lambda.TooManyRequestsException',
  ],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
  MaxDelaySeconds: 60,
  JitterStrategy: 'FULL',
};
const TRANSIENT: Retrier = {
  ErrorEquals: ['TransientError'],
  IntervalSeconds: 1,
  MaxAttempts: 6,
  BackoffRate: 2,
  MaxDelaySeconds: 60,
  JitterStrategy: 'FULL',
};
/**
 * A function that timed out is tried again. A plain invocation's States.Timeout is the same thing; a token
 * wait's States.Timeout is the person's deadline, which its own catch turns into an escalation.
 */
const timedOut = (tokenWait: boolean): Retrier => ({
  ErrorEquals: tokenWait ? ['Sandbox.Timedout'] : ['Sandbox.Timedout', 'States.Timeout'],
  IntervalSeconds: 5,
  MaxAttempts: 2,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
});

export const retryPolicy = (tokenWait: boolean): Retrier[] => [LAMBDA_SERVICE, TRANSIENT, timedOut(tokenWait)];

/** Fields in a fixed order, the way a reader expects a state: what it is, what it does, how it fails, where next. */
function ordered(state: State): State {
  const { Next, End, ...rest } = state;
  return { ...rest, ...(Next !== undefined ? { Next } : {}), ...(End !== undefined ? { End } : {}) };
}

/** The supervisor's wait on a failed step: answered, the step runs again; unanswered, it opens again one rank up. */
function faultWait(step: string): State {
  const fault = faultStateOf(step);
  return {
    Type: 'Task',
    Comment: `${step} failed in a way retrying will not cure: a supervisor sees the fault and asks for the step again; unanswered, it goes one rank up.`,
    Resource: TOKEN_WAIT,
    Parameters: {
      FunctionName: functionArn('openFault'),
      Payload: {
        'caseId.$': '$.caseId',
        state: step,
        'error.$': '$.fault.Error',
        'taskToken.$': '$$.Task.Token',
        'timeoutSeconds.$': '$.settings.faultResponse',
      },
    },
    TimeoutSecondsPath: '$.settings.faultResponse',
    ResultPath: null,
    Retry: retryPolicy(true),
    // Its own timeout comes back to it as States.Timeout, which openFault tells from a new failure of the step.
    Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.fault', Next: fault }],
    Next: step,
  };
}

/** A copy of a state whose branches' (Parallel) and iteration's (Map) states have gone through `transform`. */
export function withInnerStates(authored: State, transform: (states: States) => States): State {
  const state: State = { ...authored };
  if (Array.isArray(state.Branches))
    state.Branches = (state.Branches as Definition[]).map((b) => ({ ...b, States: transform(b.States) }));
  for (const field of ['ItemProcessor', 'Iterator'] as const) {
    const inner = state[field] as Definition | undefined;
    if (inner) state[field] = { ...inner, States: transform(inner.States) };
  }
  return state;
}

function withFaultHandlingIn(states: States): States {
  const out: States = {};
  const faults: States = {};
  for (const [name, authored] of Object.entries(states)) {
    let state = withInnerStates(authored, withFaultHandlingIn);
    if (state.Type === 'Task') {
      if (name.startsWith('FaultAt')) throw new Error(`${name}: FaultAt… states are the transform's to add`);
      const catches = (state.Catch as Catcher[] | undefined) ?? [];
      if (catches.some((c) => c.ErrorEquals.includes('States.ALL')))
        throw new Error(`${name} catches States.ALL itself: the transform hands that to a supervisor`);
      const own = (state.Retry as Retrier[] | undefined) ?? [];
      state = ordered({
        ...state,
        Retry: [...own, ...retryPolicy(state.Resource === TOKEN_WAIT)],
        Catch: [...catches, { ErrorEquals: ['States.ALL'], ResultPath: '$.fault', Next: faultStateOf(name) }],
      });
      faults[faultStateOf(name)] = faultWait(name);
    }
    out[name] = state;
  }
  for (const name of Object.keys(faults))
    if (name in out) throw new Error(`${name} is authored and also the fault wait the transform adds`);
  return { ...out, ...faults };
}

/** The definition as deployed: the authored flow with every task's retries, last catch and fault wait added. */
export function withFaultHandling(flow: Definition): Definition {
  return { ...flow, States: withFaultHandlingIn(flow.States) };
}
