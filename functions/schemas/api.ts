import * as z from 'zod';
import { e164, gate, id, isoDate, isoDateTime, postalAddress, rank, rationale, stage, text } from './common.js';
import { VictimInformed } from './afterIdentification.js';
import { forbiddenSmsWord } from '../domain/messages.js';
import { policy } from '../domain/policy.js';

export const OFFENCES = [
  'stalking_s2a',
  'stalking_fear_violence_s4a',
  'harassment_s2',
  'malicious_communications',
] as const;
export const PLATFORMS = [
  'meta',
  'instagram',
  'whatsapp',
  'google',
  'youtube',
  'x',
  'snap',
  'tiktok',
  'microsoft',
  'discord',
  'other',
] as const;
export const CHANNELS = ['letter', 'sms', 'in_person'] as const;
export const DELAY_GROUNDS = [
  'prejudice_investigation',
  'risk_to_suspect_or_others',
  'identification_unsafe',
  'victim_safety_plan_pending',
  'other',
] as const;
/** The three first outcomes (docs/api.md); then what the case records as it goes on (domain/arrestTrack.ts says which may follow which). */
export const ARREST_OUTCOMES = [
  'arrested',
  'voluntary_interview',
  'not_located',
  'bail',
  'released_under_investigation',
  'charged',
  'remanded_in_custody',
  'no_further_action',
  'convicted',
  'acquitted',
  'custodial_sentence',
  'community_sentence',
  'released_from_custody',
] as const;
export const POINT_KINDS = ['ip_resolution', 'email', 'phone', 'installation_address', 'other'] as const;

export const Account = z.strictObject({
  platform: z.enum(PLATFORMS),
  handle: text(100),
  platformUserId: text(100).optional(),
  url: z
    .url({ protocol: /^https$/ })
    .max(500)
    .optional(),
});

export const CaseInput = z.strictObject({
  crimeReference: z
    .string()
    .min(3)
    .max(30)
    .regex(
      policy.crimeReferencePattern,
      'must be 3 to 30 capitals, digits, / and -, starting with a capital or digit, e.g. LOCAL/26/000123',
    )
    // SMS quote the reference: one that names the offence would put it on the victim's phone.
    .refine(
      (r) => !forbiddenSmsWord(r),
      'must not hold a word an SMS may never carry (such as one naming the offence)',
    ),
  offence: z.enum(OFFENCES),
  summary: text(4000),
  victim: z.strictObject({
    name: text(200),
    dateOfBirth: isoDate.optional(),
    enhancedRights: z.boolean(),
    contact: z.strictObject({
      preferredChannel: z.enum(CHANNELS),
      phone: e164.optional(),
      postalAddress: postalAddress.optional(),
      safeTimes: text(200).optional(),
    }),
  }),
  risk: z.strictObject({
    four: z.strictObject({
      fixated: z.boolean(),
      obsessive: z.boolean(),
      unwanted: z.boolean(),
      repeated: z.boolean(),
    }),
    sdashYes: z.number().int().min(0).max(11),
  }),
  accounts: z.array(Account).min(1).max(20),
});
export type CaseInput = z.infer<typeof CaseInput>;

export const Authorisation = z.strictObject({
  route: z.enum(['ocda', 'urgent_dso']),
  reference: text(100),
  dataType: z.enum(['entity', 'events']),
  expiresAt: isoDateTime,
});
export type Authorisation = z.infer<typeof Authorisation>;

export const DecisionInput = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  rationale,
  authorisation: Authorisation.optional(),
});
export type DecisionInput = z.infer<typeof DecisionInput>;

export const IpEventInput = z.strictObject({
  ip: z.union([z.ipv4().max(15), z.ipv6().max(45)]),
  port: z.number().int().min(0).max(65535).optional(),
  at: text(40),
  timeZone: text(64).optional(),
  kind: z.enum(['login', 'registration', 'activity']).default('login'),
});

export const ReturnInput = z.strictObject({
  receivedAt: isoDateTime,
  subscriber: z
    .strictObject({
      name: text(200).optional(),
      emails: z.array(z.email().max(254)).max(50).default([]),
      phones: z.array(text(32)).max(50).default([]),
      createdAt: text(40).optional(),
    })
    .optional(),
  ipEvents: z.array(IpEventInput).max(5000).default([]),
  installationAddress: postalAddress.optional(),
  /** Some ISPs answer with the billing address: kept, and flagged, never taken for the installation address. */
  billingAddress: postalAddress.optional(),
});
export type ReturnInput = z.infer<typeof ReturnInput>;

export const Point = z.strictObject({ requestId: id, kind: z.enum(POINT_KINDS), detail: text(500) });
export type Point = z.infer<typeof Point>;

export const IdentificationInput = z.strictObject({
  candidateId: id.optional(),
  suspect: z.strictObject({
    name: text(200),
    aliases: z.array(text(200)).max(20).default([]),
    dateOfBirth: isoDate.optional(),
  }),
  points: z.array(Point).min(1).max(50),
  rationale,
});
export type IdentificationInput = z.infer<typeof IdentificationInput>;

export const ArrestInput = z.strictObject({
  outcome: z.enum(ARREST_OUTCOMES),
  at: isoDateTime,
  /** The investigator has already told the victim of this outcome: the update is recorded as done, and no SMS goes. */
  victimInformed: VictimInformed.optional(),
});
export type ArrestInput = z.infer<typeof ArrestInput>;

export const DisclosureProposalInput = z
  .strictObject({
    action: z.enum(['disclose', 'delay']),
    ground: z.enum(DELAY_GROUNDS).optional(),
    reviewInDays: z.number().int().min(1).max(28).optional(),
    rationale,
  })
  .superRefine((v, ctx) => {
    if (v.action === 'delay' && v.ground === undefined)
      ctx.addIssue({ code: 'custom', path: ['ground'], message: 'a delay needs a ground' });
    if (v.action === 'delay' && v.reviewInDays === undefined)
      ctx.addIssue({ code: 'custom', path: ['reviewInDays'], message: 'a delay needs a review date (1 to 28 days)' });
    if (v.action === 'disclose' && (v.ground !== undefined || v.reviewInDays !== undefined))
      ctx.addIssue({ code: 'custom', path: ['action'], message: 'ground and reviewInDays belong to a delay only' });
  });
export type DisclosureProposalInput = z.infer<typeof DisclosureProposalInput>;

export const ContactVerificationInput = z.strictObject({
  channel: z.enum(['sms', 'letter']),
  verified: z.literal(true),
  note: text(1000),
});
export type ContactVerificationInput = z.infer<typeof ContactVerificationInput>;

/** docs/api.md, the victim's contact and choices: told or not, by which channel, with a support worker present or not. */
export const VictimChoiceInput = z.strictObject({
  choice: z.enum(['wants_to_know', 'declines']),
  channel: z.enum(CHANNELS).optional(),
  supportPresent: z.boolean().optional(),
  note: text(1000),
});
export type VictimChoiceInput = z.infer<typeof VictimChoiceInput>;

export const HandoverInput = z.strictObject({ at: isoDateTime, note: text(1000) });
export type HandoverInput = z.infer<typeof HandoverInput>;

/** A person's user id (a Cognito `sub`): letters, digits and `._@-`, nothing a directory filter could read as syntax. */
export const sub = z
  .string()
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/, "must be a person's user id (sub)");

/** docs/api.md, the case owner: the case handed to another investigator of the force, saying why. */
export const OwnerTransferInput = z.strictObject({ owner: sub, reason: rationale });
export type OwnerTransferInput = z.infer<typeof OwnerTransferInput>;

/**
 * GOV.UK Notify's delivery receipt (callbacks documentation). The one body not
 * strict: Notify adds fields to its callbacks without notice, and a receipt
 * refused for a new field would be retried and then lost. Unknown fields are
 * dropped, not stored; every field read here is bounded, and the route is
 * closed to all but the holder of the callback bearer token.
 */
export const NotifyReceipt = z.object({
  id: z.string().max(100),
  reference: z.string().max(200).nullable().optional(),
  to: z.string().max(500).optional(),
  status: z.string().max(50),
  created_at: z.string().max(50).optional(),
  completed_at: z.string().max(50).nullable().optional(),
  sent_at: z.string().max(50).nullable().optional(),
  notification_type: z.enum(['sms', 'letter', 'email']).optional(),
});
export type NotifyReceipt = z.infer<typeof NotifyReceipt>;

export const LocalTokenInput = z.strictObject({ username: text(64) });

export const PathCaseId = z.strictObject({ caseId: id });
export const PathApproval = z.strictObject({ approvalId: id });
export const PathRequest = z.strictObject({ caseId: id, requestId: id });
export const PathFault = z.strictObject({ caseId: id, faultId: id });

/** A supervisor asks for a failed step again, saying why it should now pass. */
export const FaultRetryInput = z.strictObject({ rationale });

// Shapes the API returns: documented in the OpenAPI document.
export const OpenTask = z.object({ task: z.string(), dueAt: isoDateTime, overdue: z.boolean() });
export const CaseCreated = z.object({ caseId: id, stage });
export const CaseSummary = z.object({
  caseId: id,
  crimeReference: z.string(),
  stage,
  openTasks: z.array(OpenTask),
  nextDeadline: isoDateTime.nullable(),
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
export const Accepted = z.object({ status: z.literal('accepted') }).passthrough();
export const AuditVerification = z.object({
  valid: z.boolean(),
  entries: z.number().int(),
  head: z.string(),
  firstBadSeq: z.number().int().optional(),
});

/** Every list is a page (docs/api.md, "Lists are pages"): `limit` 1..200, default 50, and the opaque cursor of the page before. */
const pageLimit = z
  .string()
  .max(4)
  .regex(/^\d+$/, `must be a whole number from 1 to ${policy.pageLimit.max}`)
  .transform(Number)
  .pipe(z.number().int().min(1).max(policy.pageLimit.max))
  .default(policy.pageLimit.default)
  .describe(`items a page: 1 to ${policy.pageLimit.max}, ${policy.pageLimit.default} unless given`);
export const PageQuery = z.strictObject({
  limit: pageLimit,
  cursor: z
    .string()
    .max(2000)
    .regex(/^[A-Za-z0-9._-]+$/, 'is not a cursor this API gave')
    .optional(),
});
export const CasesQuery = PageQuery.extend({
  scope: z.enum(['force', 'mine']).default('force'),
  status: z.enum(['all', 'open', 'closed']).default('all'),
});
export const RequestsQuery = PageQuery.extend({
  status: z.enum(['awaiting_return', 'all']).default('awaiting_return'),
});
