import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { aCaseRecord, CASE_NOW } from '../support/caseRecord.js';
import { taskSatisfied } from '../../functions/domain/taskAnswers.js';
import {
  ENDED_BY_ROUTE,
  releasingRoutes,
  TASK_CLOCKS,
  TASK_DUE,
  TASK_NAMES,
  TASK_ROUTES,
  TASKS,
  tasksReleasedBy,
  TRACK_TASKS,
  type TaskClock,
  type TaskDue,
  type TaskName,
} from '../../functions/domain/tasks.js';
import { apiHandler, json } from '../../functions/http/api.js';
import * as inputs from '../../functions/routeInputs.js';
import { type RouteName, routes } from '../../functions/routes.js';
import { clockPlaceholder, settingSubstitutions } from '../../statemachines/bindings.js';
import { disclosureDefinition } from '../../statemachines/disclosure.js';
import { TASK_LABELS } from '../../web/src/format.js';

/**
 * The registry of human tasks (functions/domain/tasks.ts) and the workflow source, walked both ways: every
 * task the workflow waits on has its entry, every entry is waited on, at the due time the entry names; and
 * what each entry says about people (who, through which route and form) holds in the route table and the
 * console.
 */
type State = Record<string, unknown> & { Type: string };

function allStates(states: Record<string, State>, out: [string, State][] = []): [string, State][] {
  for (const [name, s] of Object.entries(states)) {
    out.push([name, s]);
    for (const b of (s.Branches as { States: Record<string, State> }[] | undefined) ?? []) allStates(b.States, out);
    const inner = s.ItemProcessor as { States: Record<string, State> } | undefined;
    if (inner) allStates(inner.States, out);
  }
  return out;
}

const definition = disclosureDefinition();
const states = allStates(definition.States as Record<string, State>);
const payloadOf = (s: State) => (s.Parameters as { Payload?: Record<string, unknown> } | undefined)?.Payload;
/**
 * Each workflow wait on a task: the task it names and the path its timeout is read from (not a resumed wait's twin,
 * which waits out the seconds left of the same wait: statemachines/resumedWaits.ts).
 */
const waits = states.flatMap(([name, s]) => {
  const task = payloadOf(s)?.task;
  return typeof task === 'string' && !payloadOf(s)?.untilFirstDue
    ? [{ name, task, due: s.TimeoutSecondsPath as string }]
    : [];
});
const escalated = states.flatMap(([, s]) => {
  const task = (s.Parameters as Record<string, unknown> | undefined)?.task;
  return typeof task === 'string' ? [task] : [];
});
const duePath = (task: TaskName) => {
  const due: TaskDue = TASK_DUE[task];
  return 'clock' in due ? `$.settings.tasks.${due.clock}` : due.path;
};

describe('the registry of human tasks', () => {
  test('names every task the workflow waits on, and the workflow waits on every task it names', () => {
    expect([...new Set(waits.map((w) => w.task))].sort()).toEqual([...TASK_NAMES].sort());
  });

  test('a task escalated when overdue is one of the registry', () => {
    expect(escalated.length).toBeGreaterThan(0);
    for (const task of escalated) expect(TASK_NAMES, task).toContain(task);
  });

  test("each task is waited on until the due time its entry names (a return's second wait runs on after its chase)", () => {
    for (const task of TASK_NAMES) {
      const dues = waits.filter((w) => w.task === task).map((w) => w.due);
      expect(dues, task).toContain(duePath(task));
      for (const due of dues) expect(due === duePath(task) || task === 'REQUEST_RETURN', `${task}: ${due}`).toBe(true);
    }
  });

  test('every policy clock a task runs on is loaded into the settings and bound at deployment', () => {
    const loaded = (definition.States.LoadSettings as unknown as { Parameters: { tasks: Record<string, string> } })
      .Parameters.tasks;
    const bound = settingSubstitutions();
    for (const clock of Object.keys(TASK_CLOCKS) as TaskClock[]) {
      expect(loaded[`${clock}.$`], clock).toContain(clockPlaceholder(clock));
      expect(Number(bound[clockPlaceholder(clock)]), clock).toBeGreaterThan(0);
    }
  });

  test("a person's task is answered through routes that person may call", () => {
    for (const task of TASK_NAMES) {
      const { role } = TASKS[task];
      const { answeredBy } = TASK_ROUTES[task];
      expect(answeredBy.length, task).toBeGreaterThan(0);
      if (role === 'workflow') continue;
      for (const route of releasingRoutes(task)) expect(routes[route].access, `${task} by ${route}`).toContain(role);
    }
    for (const [task, { answeredBy }] of Object.entries(TRACK_TASKS))
      for (const route of answeredBy) expect(routes[route].access, `${task} by ${route}`).toContain('investigator');
  });

  test("the arrest track's wait is released by every route that answers one of its tasks, and by no other", () => {
    const trackRoutes = new Set(Object.values(TRACK_TASKS).flatMap((t) => t.answeredBy));
    expect(new Set(TASK_ROUTES.ARREST_TRACK.answeredBy)).toEqual(trackRoutes);
  });

  test("a decline or a closure proposed releases the waits it ends, a choice also the declined branch's and the closing's", () => {
    for (const task of TASK_NAMES) {
      const endedBy = TASKS[task].endedBy;
      if (endedBy) expect(tasksReleasedBy(ENDED_BY_ROUTE[endedBy]), task).toContain(task);
    }
    expect(tasksReleasedBy('recordVictimChoice').sort()).toEqual(
      [...TASK_NAMES.filter((t) => TASKS[t].endedBy === 'decline'), 'VICTIM_CHOICE', 'CASE_CLOSURE'].sort(),
    );
    expect(tasksReleasedBy('proposeClosure').sort()).toEqual(['IDENTIFICATION_PROPOSAL', 'IDENTIFICATION_READY']);
  });

  test('every route whose record may end a wait releases it through the one helper, and no other route does', async () => {
    const releasing = new Set<RouteName>(TASK_NAMES.flatMap(releasingRoutes));
    expect(releasing.size).toBeGreaterThan(10);
    const served = (Object.keys(routes) as RouteName[]).filter((r) =>
      existsSync(new URL(`../../functions/handlers/api/${r}.ts`, import.meta.url)),
    );
    for (const route of served) {
      // functions/http/answering.ts marks the handlers it builds with the route they release for.
      const { handler } = (await import(`../../functions/handlers/api/${route}.ts`)) as { handler: object };
      expect((handler as { releases?: string }).releases, route).toBe(releasing.has(route) ? route : undefined);
    }
    for (const route of releasing) expect(served, route).toContain(route);
  });

  test('apiHandler releases nothing, and the type check refuses it a route whose record may end a wait', () => {
    // Were apiHandler to take such a route, this directive would be unused and the type check would fail.
    // @ts-expect-error closeCase answers CASE_CLOSURE: it is served by answeringHandler
    const unreleased = apiHandler(inputs.closeCase, async () => json(202, {}));
    expect(unreleased).not.toHaveProperty('releases');
  });

  test("the case page offers the form of every route that answers an investigator's task", () => {
    const page = readFileSync(new URL('../../web/src/pages/CasePage.tsx', import.meta.url), 'utf8');
    const investigators = [
      ...TASK_NAMES.filter((t) => TASKS[t].role === 'investigator').flatMap((t) => TASK_ROUTES[t].answeredBy),
      ...Object.values(TRACK_TASKS).flatMap((t) => t.answeredBy),
    ];
    for (const route of new Set(investigators)) expect(page, route).toContain(`offers('${route}')`);
  });

  test('the console has words for every task it can show', () => {
    for (const task of [...TASK_NAMES, ...Object.keys(TRACK_TASKS)]) expect(TASK_LABELS[task], task).toBeTruthy();
  });

  test('what satisfies a task is worked out for every task, and nothing is satisfied on a fresh case', () => {
    const b = { kase: aCaseRecord(), approvals: [], requests: [] };
    for (const task of TASK_NAMES)
      if (TASKS[task].role !== 'workflow') expect(taskSatisfied(b, task, 'req-1', CASE_NOW), task).toBeUndefined();
  });
});
