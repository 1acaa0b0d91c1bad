import * as z from 'zod/mini';
import { policy } from '../domain/policy.js';
import { integer, isoDateTime, rationale, text } from './common.js';

/** What the investigator records after identification (docs/process.md, steps 7 and 10): the bodies of those routes. */

export const VICTIM_UPDATE_HOWS = ['phone', 'in_person', 'letter', 'email', 'other'] as const;
export const SPO_KINDS = ['interim', 'full'] as const;
/** How an order is sought: an application to the magistrates, or the court's own powers on conviction or on acquittal. */
export const SPO_POWERS = ['application', 'on_conviction', 'on_acquittal'] as const;
export const SPO_DECISIONS = ['not_sought', 'sought', 'made', 'refused'] as const;
export const SUPPORT_SERVICES = [
  'stalking_advocate',
  'national_helpline',
  'victim_support',
  'local_victim_service',
] as const;
export const CONSENT_HOWS = ['in_person', 'phone', 'written', 'electronic'] as const;
/** What a referral may pass on, by name: the victim's details and enough of the case to help; never the suspect. */
export const SHAREABLE_FIELDS = [
  'victim.name',
  'victim.dateOfBirth',
  'victim.contact.phone',
  'victim.contact.postalAddress',
  'victim.contact.safeTimes',
  'crimeReference',
  'offence',
  'risk',
  'officer',
] as const;

const arrestIndex = integer(0, 999);

// Built on first parse, as api.ts's bodies are (see there).

export const VictimInformed = z.lazy(() => z.strictObject({ how: z.enum(VICTIM_UPDATE_HOWS), at: isoDateTime }));

export const VictimUpdateInput = z.lazy(() =>
  z.strictObject({
    arrestIndex,
    how: z.enum(VICTIM_UPDATE_HOWS),
    at: isoDateTime,
    note: text(1000),
  }),
);
export type VictimUpdateInput = z.infer<typeof VictimUpdateInput>;

const SpoDuration = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('time_limited'), years: integer(1, 99) }),
    z.strictObject({ kind: z.literal('until_further_order') }),
  ]),
);

const SpoOrder = z.lazy(() =>
  z.strictObject({
    conditions: z.array(text(1000)).check(z.minLength(1), z.maxLength(30)),
    duration: z.optional(SpoDuration),
    madeAt: isoDateTime,
    servedAt: isoDateTime,
  }),
);

export const ProtectionOrderInput = z.lazy(() =>
  z
    .strictObject({
      arrestIndex,
      considered: z.enum(SPO_KINDS),
      power: z.enum(SPO_POWERS),
      decision: z.enum(SPO_DECISIONS),
      reason: rationale,
      order: z.optional(SpoOrder),
    })
    .check(
      z.superRefine((v, ctx) => {
        if (v.decision === 'made' && !v.order)
          ctx.addIssue({
            code: 'custom',
            path: ['order'],
            message: 'an order made is recorded with its conditions, service date and (for a full order) duration',
          });
        if (v.decision !== 'made' && v.order)
          ctx.addIssue({ code: 'custom', path: ['order'], message: 'only an order made has conditions' });
        if (!v.order) return;
        if (v.considered === 'full' && !v.order.duration)
          ctx.addIssue({
            code: 'custom',
            path: ['order', 'duration'],
            message: 'a full order is time-limited or until further order',
          });
        if (v.considered === 'interim' && v.order.duration)
          ctx.addIssue({
            code: 'custom',
            path: ['order', 'duration'],
            message: 'an interim order lasts until the application is decided',
          });
        if (v.order.duration?.kind === 'time_limited' && v.order.duration.years < policy.spoMinimumYears)
          ctx.addIssue({
            code: 'custom',
            path: ['order', 'duration', 'years'],
            message: `a time-limited order lasts at least ${policy.spoMinimumYears} years`,
          });
        if (Date.parse(v.order.servedAt) < Date.parse(v.order.madeAt))
          ctx.addIssue({ code: 'custom', path: ['order', 'servedAt'], message: 'an order is served once it is made' });
      }),
    ),
);
export type ProtectionOrderInput = z.infer<typeof ProtectionOrderInput>;

export const SpoNotificationInput = z.lazy(() =>
  z.strictObject({
    arrestIndex,
    notified: z.boolean(),
    at: isoDateTime,
    note: text(1000),
  }),
);
export type SpoNotificationInput = z.infer<typeof SpoNotificationInput>;

export const PrisonContactConfirmedInput = z.lazy(() =>
  z.strictObject({
    arrestIndex: z.optional(arrestIndex),
    at: isoDateTime,
    prisonReference: z.optional(text(100)),
    note: text(1000),
  }),
);
export type PrisonContactConfirmedInput = z.infer<typeof PrisonContactConfirmedInput>;

// Read here, not inside a schema: esbuild keeps a definition that reads a property (it might run a getter), and with
// it every schema it uses, in each bundle that imports this module (infra/constructs/bundling.ts, markSchemaCallsPure).
const SHAREABLE_FIELD_COUNT = SHAREABLE_FIELDS.length;

export const ReferralInput = z.lazy(() =>
  z.strictObject({
    service: z.enum(SUPPORT_SERVICES),
    consent: z.strictObject({ given: z.boolean(), recordedAt: isoDateTime, how: z.enum(CONSENT_HOWS) }),
    shared: z.array(z.enum(SHAREABLE_FIELDS)).check(z.minLength(1), z.maxLength(SHAREABLE_FIELD_COUNT)),
  }),
);
export type ReferralInput = z.infer<typeof ReferralInput>;

export const ClosureInput = z.lazy(() => z.strictObject({ reason: rationale }));
export type ClosureInput = z.infer<typeof ClosureInput>;
