import * as z from 'zod/mini';
import type { ARREST_OUTCOMES } from './api.js';
import { fourRiskAnswers, id, integer, isoDate, isoDateTime } from './common.js';

/** From `min` to `max` characters. */
const chars = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));

/**
 * The events this service puts on EventBridge for force systems (source
 * `police.right-to-know`, the event's `detail-type` its name below). Each
 * detail carries `schemaVersion`: a consumer reads the versions it knows and
 * sets aside the rest. A change that a consumer could misread (a field
 * removed, renamed or given a new meaning) is a new version; a new optional
 * field is not. docs/events.md describes them for consumers; the publisher
 * checks every detail against these schemas before it goes out.
 */
export const EVENT_SOURCE = 'police.right-to-know';

/*
 * Each event's schema is built the first time a detail is checked against it (`z.lazy`), not when a function that
 * publishes is loaded: some 90 zod schemas, about 2 ms of CPU at every cold start of the workflow steps that publish
 * (npm run bench, issue 18). So their parts are functions, called inside the lazy schemas, not constants.
 */
const identity = () =>
  z.strictObject({
    name: chars(1, 200),
    aliases: z.array(chars(1, 200)).check(z.maxLength(20)),
    dateOfBirth: z.optional(isoDate),
  });

const header = () => ({
  /** Stable for one happening: a retried publication repeats it, and consumers drop the duplicate. */
  eventId: chars(1, 200),
  caseId: id,
  crimeReference: chars(3, 30),
  force: chars(1, 32),
});

export const ArrestTaskingV1 = z.lazy(() =>
  z.strictObject({
    schemaVersion: z.literal('1'),
    ...header(),
    suspect: identity(),
    risk: z.strictObject({
      four: fourRiskAnswers(),
      sdashYes: integer(0, 11),
      enhancedRights: z.boolean(),
    }),
    raisedAt: isoDateTime,
  }),
);

/** Some of the arrest outcomes (docs/api.md). */
const outcomes = <const O extends (typeof ARREST_OUTCOMES)[number]>(...some: [O, ...O[]]) => z.enum(some);

/** Whom the offender must not contact: the victim's name and the contact details on file. */
const blockedVictim = () =>
  z.strictObject({
    name: chars(1, 200),
    phone: z.optional(z.string().check(z.maxLength(16))),
    postalAddress: z.optional(
      z.strictObject({
        lines: z.array(z.string().check(z.maxLength(100))).check(z.minLength(1), z.maxLength(6)),
        postcode: z.string().check(z.maxLength(10)),
      }),
    ),
  });

/** Custodial sentences only; published alongside version 2 for a notice period (docs/events.md). */
export const PrisonContactBlockV1 = z.lazy(() =>
  z.strictObject({
    schemaVersion: z.literal('1'),
    ...header(),
    offender: identity(),
    victim: blockedVictim(),
    sentence: z.strictObject({ outcome: outcomes('custodial_sentence'), at: isoDateTime }),
    requestedAt: isoDateTime,
  }),
);

/** Remand in custody or a custodial sentence: `custody` says which, and when. */
export const PrisonContactBlockV2 = z.lazy(() =>
  z.strictObject({
    schemaVersion: z.literal('2'),
    ...header(),
    offender: identity(),
    victim: blockedVictim(),
    custody: z.strictObject({
      outcome: outcomes('remanded_in_custody', 'custodial_sentence'),
      at: isoDateTime,
    }),
    requestedAt: isoDateTime,
  }),
);

/** Each event's schema by version, newest first; the first is the current one. */
export const EVENTS = {
  ArrestTasking: { '1': ArrestTaskingV1 },
  PrisonContactBlock: { '2': PrisonContactBlockV2, '1': PrisonContactBlockV1 },
} as const;
export type EventName = keyof typeof EVENTS;
export type EventDetail<N extends EventName> = z.infer<(typeof EVENTS)[N][keyof (typeof EVENTS)[N]]>;

/** The schema for an event of this name and version, if there is one. */
export const eventSchema = (name: string, version: unknown): z.ZodMiniType | undefined =>
  (EVENTS as Record<string, Record<string, z.ZodMiniType>>)[name]?.[String(version)];
