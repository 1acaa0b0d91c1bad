import * as z from 'zod/mini';
import { _isoDate, _isoDateTime } from 'zod/v4/core';
import './english.js';
export { gate, id, integer, rank, stage, taskName } from './keys.js';
import { policy } from '../domain/policy.js';

/**
 * Text is well-formed Unicode. A lone surrogate is valid in a JavaScript
 * string but has no UTF-8 encoding: what is stored, hashed into the audit
 * trail or printed on a letter would differ from what was sent.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = (s: string) => !LONE_SURROGATE.test(s);
const NOT_TEXT = 'must be text (well-formed Unicode)';

// Read here, not inside a schema: esbuild keeps a definition that reads a property (it might run a getter), and with
// it every schema it uses, in each bundle that imports this module (infra/constructs/bundling.ts, markSchemaCallsPure).
const { min: RATIONALE_MIN, max: RATIONALE_MAX } = policy.rationaleLength;

/** Bounded text: every string the API takes has a ceiling. */
export const text = (max: number, min = 1) =>
  z.string().check(z.trim(), z.minLength(min), z.maxLength(max), z.refine(wellFormed, NOT_TEXT));
/*
 * z.iso.datetime and z.iso.date as zod/mini builds them (the kind and its constructor): `z.iso` is a namespace inside
 * the namespace, which a bundle carries whole wherever one of its members is used (the four ISO kinds, their
 * patterns: about 1.3 kB).
 */
export const isoDateTime = _isoDateTime(z.ZodMiniISODateTime, { offset: true }).check(z.maxLength(40));
export const isoDate = _isoDate(z.ZodMiniISODate).check(z.maxLength(10));
export const rationale = z
  .string()
  .check(
    z.trim(),
    z.minLength(RATIONALE_MIN, `must be at least ${RATIONALE_MIN} characters`),
    z.maxLength(RATIONALE_MAX, `must be at most ${RATIONALE_MAX} characters`),
    z.refine(wellFormed, NOT_TEXT),
  );
// The contact parts of the bodies, built on first parse as api.ts's bodies are (see there).
export const e164 = z.lazy(() =>
  z
    .string()
    .check(z.maxLength(16), z.regex(/^\+[1-9]\d{7,14}$/, 'must be a phone number in E.164 form, e.g. +447700900123')),
);
export const ukPostcode = z.lazy(() =>
  z
    .string()
    .check(
      z.trim(),
      z.maxLength(10),
      z.regex(
        /^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})$/i,
        'must be a UK postcode, e.g. LS1 1AA',
      ),
    ),
);
export const postalAddress = z.lazy(() =>
  z.strictObject({
    lines: z.array(text(100)).check(z.minLength(1), z.maxLength(6)),
    postcode: ukPostcode,
  }),
);

/**
 * The four risk questions of stalking (fixated, obsessive, unwanted, repeated: FOUR), each answered yes or no: as
 * the case takes them, and as an arrest tasking carries them. A function, so that a schema built on first use
 * (functions/schemas/events.ts) builds it then too.
 */
export const fourRiskAnswers = () =>
  z.strictObject({
    fixated: z.boolean(),
    obsessive: z.boolean(),
    unwanted: z.boolean(),
    repeated: z.boolean(),
  });
