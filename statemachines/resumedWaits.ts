import { WAIT_RESUMED } from '../functions/domain/clock.js';
import { TASKS, type TaskName } from '../functions/domain/tasks.js';
import { functionArn } from './bindings.js';
import {
  type Catcher,
  type Definition,
  type State,
  type States,
  TOKEN_WAIT,
  withInnerStates,
} from './faultHandling.js';

/**
 * A wait on a person opened again by a fresh execution (a restart, a hand-over) keeps its first due time
 * (functions/domain/clock.ts resumedDueAt), but the engine's timeout is a whole period from the resumption. So
 * each such wait `X` gets a twin: when the function opening it finds that due time still ahead and sooner, it ends
 * the wait with WAIT_RESUMED and the seconds left as the cause, `XResumed` reads them, and `XUntilFirstDue` waits
 * again, for those seconds only, on the same record, with X's own catches (its deadline escalates as X's would).
 * The same definition runs on AWS and locally: TimeoutSecondsPath is read from the state's input.
 */
const PERSON_WAITS = new Set([functionArn('openApproval'), functionArn('awaitTask')]);
const SECONDS_LEFT = '$.resumedWait.seconds';

type Payload = Record<string, unknown>;
const payloadOf = (state: State) => (state.Parameters as { Payload?: Payload } | undefined)?.Payload;

/** Whether a state waits on a person: a gate, or a task a person (not the workflow itself) answers. */
export function waitsOnPerson(state: State): boolean {
  if (state.Resource !== TOKEN_WAIT) return false;
  const { FunctionName } = state.Parameters as { FunctionName?: string };
  if (!PERSON_WAITS.has(String(FunctionName))) return false;
  const task = payloadOf(state)?.task as TaskName | undefined;
  return !task || TASKS[task].role !== 'workflow';
}

function withResumedWaitsIn(states: States): States {
  const out: States = {};
  for (const [name, authored] of Object.entries(states)) {
    const state = withInnerStates(authored, withResumedWaitsIn);
    if (!waitsOnPerson(state)) {
      out[name] = state;
      continue;
    }
    const catches = (state.Catch as Catcher[] | undefined) ?? [];
    out[name] = {
      ...state,
      Catch: [{ ErrorEquals: [WAIT_RESUMED], ResultPath: '$.resumedWait', Next: `${name}Resumed` }, ...catches],
    };
    out[`${name}Resumed`] = {
      Type: 'Pass',
      Comment: `${name} was resumed with its first due time still ahead: the seconds left, from the function that opened it.`,
      Parameters: { 'seconds.$': 'States.StringToJson($.resumedWait.Cause)' },
      ResultPath: '$.resumedWait',
      Next: `${name}UntilFirstDue`,
    };
    const parameters = state.Parameters as Record<string, unknown>;
    out[`${name}UntilFirstDue`] = {
      ...state,
      Comment: `${name} again, on the same record, until its first due time.`,
      Parameters: {
        ...parameters,
        Payload: { ...payloadOf(state), 'timeoutSeconds.$': SECONDS_LEFT, untilFirstDue: true },
      },
      TimeoutSecondsPath: SECONDS_LEFT,
    };
  }
  return out;
}

/** The flow with every wait on a person given its twin for a resumption (before the fault handling is added). */
export function withResumedWaits(flow: Definition): Definition {
  return { ...flow, States: withResumedWaitsIn(flow.States) };
}
