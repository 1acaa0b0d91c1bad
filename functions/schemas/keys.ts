import * as z from 'zod/mini';
import './english.js';
import { RANKS } from '../domain/ranks.js';
import { STAGES } from '../domain/stages.js';
import { TASK_NAMES } from '../domain/tasks.js';
import { GATES } from '../domain/gates.js';

/**
 * The smallest building blocks: identifiers, whole numbers and the names of
 * stages, ranks, gates and tasks. A module of their own so that what parses
 * only these (a route's path, a workflow step's input) carries none of the
 * text, date and address checks of common.ts.
 */
export const id = z.string().check(z.maxLength(64), z.regex(/^[A-Za-z0-9_-]{6,64}$/, 'must be an identifier'));
/** A whole number from `min` to `max`. */
export const integer = (min: number, max: number) => z.number().check(z.int(), z.gte(min), z.lte(max));
// Built in pure calls (the annotations): a bundle that parses none of these names leaves them and their lists out.
export const stage = /* @__PURE__ */ z.enum(STAGES);
export const rank = /* @__PURE__ */ z.enum(RANKS);
export const gate = /* @__PURE__ */ z.enum(GATES);
export const taskName = /* @__PURE__ */ z.enum(TASK_NAMES as [string, ...string[]]);
