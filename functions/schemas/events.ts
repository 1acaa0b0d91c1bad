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
  crimeReference: z.string().min(1).max(24),
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

export const PrisonContactBlockV1 = z.strictObject({
  schemaVersion: z.literal('1'),
  ...header,
  offender: identity,
  /** Whom the offender must not contact: the victim's name and the contact details on file. */
  victim: z.strictObject({
    name: z.string().min(1).max(200),
    phone: z.string().max(16).optional(),
    postalAddress: z
      .strictObject({ lines: z.array(z.string().max(100)).min(1).max(6), postcode: z.string().max(10) })
      .optional(),
  }),
  sentence: z.strictObject({ outcome: z.enum(ARREST_OUTCOMES).extract(['custodial_sentence']), at: isoDateTime }),
  requestedAt: isoDateTime,
});

export const EVENTS = {
  ArrestTasking: { version: '1', schema: ArrestTaskingV1 },
  PrisonContactBlock: { version: '1', schema: PrisonContactBlockV1 },
} as const;
export type EventName = keyof typeof EVENTS;
export type EventDetail<N extends EventName> = z.infer<(typeof EVENTS)[N]['schema']>;
