import * as z from 'zod/mini';
import {
  e164,
  fourRiskAnswers,
  gate,
  id,
  integer,
  isoDate,
  isoDateTime,
  postalAddress,
  rank,
  rationale,
  stage,
  text,
} from './common.js';
import { VictimInformed } from './afterIdentification.js';
import {
  OFFENCES,
  PLATFORMS,
  CHANNELS,
  DELAY_GROUNDS,
  ARREST_OUTCOMES,
  POINT_KINDS,
  CLOSURE_REASONS,
} from './vocabulary.js';
import { forbiddenSmsWord } from '../domain/smsWords.js';
import { policy } from '../domain/policy.js';
import { parseSafeTimes, SAFE_TIMES_HELP } from '../domain/safeTimes.js';

export { OFFENCES, PLATFORMS, CHANNELS, DELAY_GROUNDS, ARREST_OUTCOMES, POINT_KINDS } from './vocabulary.js';

// Read here, not inside a schema: esbuild keeps a definition that reads a property (it might run a getter), and with
// it every schema it uses, in each bundle that imports this module (infra/constructs/bundling.ts, markSchemaCallsPure).
const { crimeReferencePattern } = policy;

/*
 * The bodies the routes take, and the parts of them, are built the first time one is parsed (`z.lazy`), not when a
 * handler is loaded: a handler parses its own route's body, and building it at import was some 70 zod schemas of
 * uploadReturn's or openCase's cold start (issue 18, npm run bench). The same schemas: the same issues when parsed,
 * the same JSON Schema in the OpenAPI document (test/unit/input-bounds.test.ts parses each).
 */

export const Account = z.lazy(() =>
  z.strictObject({
    platform: z.enum(PLATFORMS),
    handle: text(100),
    platformUserId: z.optional(text(100)),
    url: z.optional(z.url({ protocol: /^https$/ }).check(z.maxLength(500))),
  }),
);

/** How the victim is reached: at opening, and as changed since (PUT /cases/{caseId}/victim/contact). */
export const VictimContact = z.lazy(() =>
  z.strictObject({
    preferredChannel: z.enum(CHANNELS),
    phone: z.optional(e164),
    postalAddress: z.optional(postalAddress),
    // Only what the workflow can honour (domain/safeTimes.ts has the grammar): a message waits for the next safe window.
    safeTimes: z.optional(text(200).check(z.refine((t) => parseSafeTimes(t).ok, SAFE_TIMES_HELP))),
  }),
);
export type VictimContact = z.infer<typeof VictimContact>;

export const CaseInput = z.lazy(() =>
  z.strictObject({
    crimeReference: z.string().check(
      z.minLength(3),
      z.maxLength(30),
      z.regex(
        crimeReferencePattern,
        'must be 3 to 30 capitals, digits, / and -, starting with a capital or digit, e.g. LOCAL/26/000123',
      ),
      // SMS quote the reference: one that names the offence would put it on the victim's phone.
      z.refine(
        (r) => !forbiddenSmsWord(r),
        'must not hold a word an SMS may never carry (such as one naming the offence)',
      ),
    ),
    offence: z.enum(OFFENCES),
    summary: text(4000),
    victim: z.strictObject({
      name: text(200),
      dateOfBirth: z.optional(isoDate),
      enhancedRights: z.boolean(),
      contact: VictimContact,
    }),
    risk: z.strictObject({
      four: fourRiskAnswers(),
      sdashYes: integer(0, 11),
    }),
    accounts: z.array(Account).check(z.minLength(1), z.maxLength(20)),
  }),
);
export type CaseInput = z.infer<typeof CaseInput>;

export const Authorisation = z.lazy(() =>
  z.strictObject({
    route: z.enum(['ocda', 'urgent_dso']),
    reference: text(100),
    dataType: z.enum(['entity', 'events']),
    expiresAt: isoDateTime,
  }),
);
export type Authorisation = z.infer<typeof Authorisation>;

export const DecisionInput = z.lazy(() =>
  z.strictObject({
    decision: z.enum(['approve', 'reject']),
    rationale,
    authorisation: z.optional(Authorisation),
  }),
);
export type DecisionInput = z.infer<typeof DecisionInput>;

export const IpEventInput = z.lazy(() =>
  z.strictObject({
    ip: z.union([z.ipv4().check(z.maxLength(15)), z.ipv6().check(z.maxLength(45))]),
    port: z.optional(integer(0, 65535)),
    at: text(40),
    timeZone: z.optional(text(64)),
    kind: z._default(z.enum(['login', 'registration', 'activity']), 'login'),
  }),
);

export const ReturnInput = z.lazy(() =>
  z.strictObject({
    receivedAt: isoDateTime,
    subscriber: z.optional(
      z.strictObject({
        name: z.optional(text(200)),
        emails: z._default(z.array(z.email().check(z.maxLength(254))).check(z.maxLength(50)), []),
        phones: z._default(z.array(text(32)).check(z.maxLength(50)), []),
        createdAt: z.optional(text(40)),
      }),
    ),
    ipEvents: z._default(z.array(IpEventInput).check(z.maxLength(5000)), []),
    installationAddress: z.optional(postalAddress),
    /** Some ISPs answer with the billing address: kept, and flagged, never taken for the installation address. */
    billingAddress: z.optional(postalAddress),
  }),
);
export type ReturnInput = z.infer<typeof ReturnInput>;

export const Point = z.lazy(() => z.strictObject({ requestId: id, kind: z.enum(POINT_KINDS), detail: text(500) }));
export type Point = z.infer<typeof Point>;

export const IdentificationInput = z.lazy(() =>
  z.strictObject({
    candidateId: z.optional(id),
    suspect: z.strictObject({
      name: text(200),
      aliases: z._default(z.array(text(200)).check(z.maxLength(20)), []),
      dateOfBirth: z.optional(isoDate),
    }),
    points: z.array(Point).check(z.minLength(1), z.maxLength(50)),
    rationale,
  }),
);
export type IdentificationInput = z.infer<typeof IdentificationInput>;

export const ArrestInput = z.lazy(() =>
  z.strictObject({
    outcome: z.enum(ARREST_OUTCOMES),
    at: isoDateTime,
    /** The investigator has already told the victim of this outcome: the update is recorded as done, and no SMS goes. */
    victimInformed: z.optional(VictimInformed),
  }),
);
export type ArrestInput = z.infer<typeof ArrestInput>;

export const DisclosureProposalInput = z.lazy(() =>
  z
    .strictObject({
      action: z.enum(['disclose', 'delay']),
      ground: z.optional(z.enum(DELAY_GROUNDS)),
      reviewInDays: z.optional(integer(1, 28)),
      rationale,
    })
    .check(
      z.superRefine((v, ctx) => {
        if (v.action === 'delay' && v.ground === undefined)
          ctx.addIssue({ code: 'custom', path: ['ground'], message: 'a delay needs a ground' });
        if (v.action === 'delay' && v.reviewInDays === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['reviewInDays'],
            message: 'a delay needs a review date (1 to 28 days)',
          });
        if (v.action === 'disclose' && (v.ground !== undefined || v.reviewInDays !== undefined))
          ctx.addIssue({ code: 'custom', path: ['action'], message: 'ground and reviewInDays belong to a delay only' });
      }),
    ),
);
export type DisclosureProposalInput = z.infer<typeof DisclosureProposalInput>;

/** docs/api.md, closing without a suspect: why the case should close before anyone is identified. */
export const ClosureProposalInput = z.lazy(() => z.strictObject({ reason: z.enum(CLOSURE_REASONS), rationale }));
export type ClosureProposalInput = z.infer<typeof ClosureProposalInput>;

export const ContactVerificationInput = z.lazy(() =>
  z.strictObject({
    channel: z.enum(['sms', 'letter']),
    /** `false` records the channel unsafe: nothing goes through it until its details change and it is verified again. */
    verified: z.boolean(),
    note: text(1000),
  }),
);
export type ContactVerificationInput = z.infer<typeof ContactVerificationInput>;

/** docs/api.md, the victim's contact and choices: told or not, by which channel, with a support worker present or not. */
export const VictimChoiceInput = z.lazy(() =>
  z.strictObject({
    choice: z.enum(['wants_to_know', 'declines']),
    channel: z.optional(z.enum(CHANNELS)),
    supportPresent: z.optional(z.boolean()),
    note: text(1000),
  }),
);
export type VictimChoiceInput = z.infer<typeof VictimChoiceInput>;

export const HandoverInput = z.lazy(() => z.strictObject({ at: isoDateTime, note: text(1000) }));
export type HandoverInput = z.infer<typeof HandoverInput>;

/** A person's user id (a Cognito `sub`): letters, digits and `._@-`, nothing a directory filter could read as syntax. */
export const sub = z
  .string()
  .check(z.maxLength(128), z.regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/, "must be a person's user id (sub)"));

/** docs/api.md, the case owner: the case handed to another investigator of the force, saying why. */
export const OwnerTransferInput = z.lazy(() => z.strictObject({ owner: sub, reason: rationale }));
export type OwnerTransferInput = z.infer<typeof OwnerTransferInput>;

/** At most `max` characters. */
const upTo = (max: number) => z.string().check(z.maxLength(max));

/**
 * GOV.UK Notify's delivery receipt (callbacks documentation). The one body not
 * strict: Notify adds fields to its callbacks without notice, and a receipt
 * refused for a new field would be retried and then lost. Unknown fields are
 * dropped, not stored; every field read here is bounded, and the route is
 * closed to all but the holder of the callback bearer token.
 */
export const NotifyReceipt = z.lazy(() =>
  z.object({
    id: upTo(100),
    reference: z.optional(z.nullable(upTo(200))),
    to: z.optional(upTo(500)),
    status: upTo(50),
    created_at: z.optional(upTo(50)),
    completed_at: z.optional(z.nullable(upTo(50))),
    sent_at: z.optional(z.nullable(upTo(50))),
    notification_type: z.optional(z.enum(['sms', 'letter', 'email'])),
  }),
);
export type NotifyReceipt = z.infer<typeof NotifyReceipt>;

export const LocalTokenInput = z.lazy(() => z.strictObject({ username: text(64) }));

/** A supervisor asks for a failed step again, saying why it should now pass. */
export const FaultRetryInput = z.lazy(() => z.strictObject({ rationale }));

// Shapes the API returns: documented in the OpenAPI document.
export const OpenTask = z.object({ task: z.string(), dueAt: isoDateTime, overdue: z.boolean() });
export const CaseCreated = z.object({ caseId: id, stage });
export const CaseSummary = z.object({
  caseId: id,
  crimeReference: z.string(),
  stage,
  openTasks: z.array(OpenTask),
  nextDeadline: z.nullable(isoDateTime),
  createdBy: z.string(),
  owner: z.string(),
});
export const ApprovalSummary = z.object({
  approvalId: id,
  caseId: id,
  gate,
  requiredRank: rank,
  requestedBy: z.string(),
  dueAt: isoDateTime,
  overdue: z.boolean(),
});
export const Accepted = z.looseObject({ status: z.literal('accepted') });
export const AuditVerification = z.object({
  valid: z.boolean(),
  entries: z.number().check(z.int()),
  head: z.string(),
  firstBadSeq: z.optional(z.number().check(z.int())),
});
