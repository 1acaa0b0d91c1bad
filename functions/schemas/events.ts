import * as z from 'zod';
import { ARREST_OUTCOMES } from './api.js';
import { id, isoDate, isoDateTime } from './common.js';

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

const identity = z.strictObject({
  name: z.string().min(1).max(200),
  aliases: z.array(z.string().min(1).max(200)).max(20),
  dateOfBirth: isoDate.optional(),
});

const header = {
  /** Stable for one happening: a retried publication repeats it, and consumers drop the duplicate. */
  eventId: z.string().min(1).max(200),
  caseId: id,
  crimeReference: z.string().min(3).max(30),
  force: z.string().min(1).max(32),
};

export const ArrestTaskingV1 = z.strictObject({
  schemaVersion: z.literal('1'),
  ...header,
  suspect: identity,
  risk: z.strictObject({
    four: z.strictObject({
      fixated: z.boolean(),
      obsessive: z.boolean(),
      unwanted: z.boolean(),
      repeated: z.boolean(),
    }),
    sdashYes: z.number().int().min(0).max(11),
    enhancedRights: z.boolean(),
  }),
  raisedAt: isoDateTime,
});

/** Whom the offender must not contact: the victim's name and the contact details on file. */
const blockedVictim = z.strictObject({
  name: z.string().min(1).max(200),
  phone: z.string().max(16).optional(),
  postalAddress: z
    .strictObject({ lines: z.array(z.string().max(100)).min(1).max(6), postcode: z.string().max(10) })
    .optional(),
});

/** Custodial sentences only; published alongside version 2 for a notice period (docs/events.md). */
export const PrisonContactBlockV1 = z.strictObject({
  schemaVersion: z.literal('1'),
  ...header,
  offender: identity,
  victim: blockedVictim,
  sentence: z.strictObject({ outcome: z.enum(ARREST_OUTCOMES).extract(['custodial_sentence']), at: isoDateTime }),
  requestedAt: isoDateTime,
});

/** Remand in custody or a custodial sentence: `custody` says which, and when. */
export const PrisonContactBlockV2 = z.strictObject({
  schemaVersion: z.literal('2'),
  ...header,
  offender: identity,
  victim: blockedVictim,
  custody: z.strictObject({
    outcome: z.enum(ARREST_OUTCOMES).extract(['remanded_in_custody', 'custodial_sentence']),
    at: isoDateTime,
  }),
  requestedAt: isoDateTime,
});

/** Each event's schema by version, newest first; the first is the current one. */
export const EVENTS = {
  ArrestTasking: { '1': ArrestTaskingV1 },
  PrisonContactBlock: { '2': PrisonContactBlockV2, '1': PrisonContactBlockV1 },
} as const;
export type EventName = keyof typeof EVENTS;
export type EventDetail<N extends EventName> = z.infer<(typeof EVENTS)[N][keyof (typeof EVENTS)[N]]>;

/** The schema for an event of this name and version, if there is one. */
export const eventSchema = (name: string, version: unknown): z.ZodType | undefined =>
  (EVENTS as Record<string, Record<string, z.ZodType>>)[name]?.[String(version)];
