import * as z from 'zod';
import { RANKS } from '../domain/ranks.js';
import { STAGES, TASK_NAMES } from '../domain/stages.js';
import { GATES } from '../domain/gates.js';
import { policy } from '../domain/policy.js';

/**
 * Text is well-formed Unicode. A lone surrogate is valid in a JavaScript
 * string but has no UTF-8 encoding: what is stored, hashed into the audit
 * trail or printed on a letter would differ from what was sent.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = (s: string) => !LONE_SURROGATE.test(s);
const NOT_TEXT = 'must be text (well-formed Unicode)';

/** Bounded text: every string the API takes has a ceiling. */
export const text = (max: number, min = 1) => z.string().trim().min(min).max(max).refine(wellFormed, NOT_TEXT);
export const id = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9_-]{6,64}$/, 'must be an identifier');
export const isoDateTime = z.iso.datetime({ offset: true }).max(40);
export const isoDate = z.iso.date().max(10);
export const rationale = z
  .string()
  .trim()
  .min(policy.rationaleLength.min, `must be at least ${policy.rationaleLength.min} characters`)
  .max(policy.rationaleLength.max, `must be at most ${policy.rationaleLength.max} characters`)
  .refine(wellFormed, NOT_TEXT);
export const e164 = z
  .string()
  .max(16)
  .regex(/^\+[1-9]\d{7,14}$/, 'must be a phone number in E.164 form, e.g. +447700900123');
export const ukPostcode = z
  .string()
  .trim()
  .max(10)
  .regex(/^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})$/i, 'must be a UK postcode, e.g. LS1 1AA');
export const postalAddress = z.strictObject({
  lines: z.array(text(100)).min(1).max(6),
  postcode: ukPostcode,
});

export const stage = z.enum(STAGES);
export const rank = z.enum(RANKS);
export const gate = z.enum(GATES);
export const taskName = z.enum(TASK_NAMES as [string, ...string[]]);
