import type { Gate } from './gates.js';
import { atLeast, type Rank } from './ranks.js';
import { hasRole, type Role, type User } from './users.js';
import { Refused, NotYourCase, TwoPersonRule } from './errors.js';

/**
 * Why a request was refused, as a code: it goes to the audit trail with the
 * refusal (the reason shown to the user is for people; the code is for
 * counting and never carries personal data).
 */
export type RefusalCode = 'role' | 'other_force' | 'rank' | 'own_case' | 'own_proposal' | 'two_person' | 'not_owner';

/** Each question answered once: allowed, or refused with the reason shown to the user. */
export type Verdict = { allowed: true } | { allowed: false; code: RefusalCode; reason: string };

const allow: Verdict = { allowed: true };
const refuse = (code: RefusalCode, reason: string): Verdict => ({ allowed: false, code, reason });

/** Which error a refusal is, by its code: each carries the code (NotAllowed, 403). */
const REFUSALS: Record<RefusalCode, typeof Refused | typeof NotYourCase | typeof TwoPersonRule> = {
  role: Refused,
  rank: Refused,
  other_force: Refused,
  not_owner: NotYourCase,
  own_case: TwoPersonRule,
  own_proposal: TwoPersonRule,
  two_person: TwoPersonRule,
};

/** A refusal becomes its named error, carrying its code. */
export function enforce(verdict: Verdict): void {
  if (!verdict.allowed) throw new REFUSALS[verdict.code](verdict.reason, [], verdict.code);
}

export function mayUseRoute(user: User, roles: readonly Role[] | 'any'): Verdict {
  if (roles === 'any') return allow;
  if (roles.some((r) => hasRole(user, r))) return allow;
  return refuse('role', `this needs the role ${roles.join(' or ')}`);
}

export function maySeeCase(user: User, caseForce: string): Verdict {
  return user.force === caseForce ? allow : refuse('other_force', 'the case belongs to another force');
}

/** What a platform or ISP returned is uploaded by a single point of contact (SPoC), who handles communications data. */
export function mayUploadReturn(user: User): Verdict {
  return hasRole(user, 'spoc') ? allow : refuse('role', 'only a SPoC uploads what a platform or ISP returned');
}

/** A suspect, or a disclose-or-delay decision, is proposed by an investigator and decided by someone else. */
export function mayPropose(user: User): Verdict {
  return hasRole(user, 'investigator') ? allow : refuse('role', 'only an investigator proposes');
}

/** Auditors check the trail and SPoCs handle requests: neither needs the victim's contact details (data minimisation). */
export function maySeeVictimContact(user: User): boolean {
  return user.groups.some((g) => g === 'investigator' || g === 'supervisor');
}

export interface GateDecisionContext {
  gate: Gate;
  requiredRank: Rank;
  caseForce: string;
  caseCreatedBy: string;
  proposedBy?: string;
  /** Who decided the other gate whose decider must be a different person (gates 2 and 3). */
  otherDeciders: string[];
}

export function mayDecideGate(user: User, ctx: GateDecisionContext): Verdict {
  if (!hasRole(user, 'supervisor')) return refuse('role', 'only a supervisor decides a gate');
  const seen = maySeeCase(user, ctx.caseForce);
  if (!seen.allowed) return seen;
  if (!atLeast(user.rank, ctx.requiredRank))
    return refuse('rank', `this gate needs the rank ${ctx.requiredRank} or above`);
  if (user.sub === ctx.caseCreatedBy) return refuse('own_case', 'no one decides a gate on a case they created');
  if (ctx.proposedBy !== undefined && user.sub === ctx.proposedBy)
    return refuse('own_proposal', 'no one approves what they proposed');
  if (ctx.otherDeciders.includes(user.sub))
    return refuse('two_person', 'identification and disclosure must be decided by two different people');
  return allow;
}

/** The gates whose deciders must differ: the same person may not both identify and approve disclosure. */
export const SEPARATED_GATES: Partial<Record<Gate, Gate>> = {
  identification: 'disclosure',
  disclosure: 'identification',
};

/**
 * A case is handed on by its owner, or by a supervisor of the force of
 * sergeant rank or above (docs/api.md, the case owner).
 */
export function mayTransferCase(user: User, ctx: { caseForce: string; owner: string }): Verdict {
  const seen = maySeeCase(user, ctx.caseForce);
  if (!seen.allowed) return seen;
  if (user.sub === ctx.owner) return allow;
  if (hasRole(user, 'supervisor'))
    return atLeast(user.rank, 'sergeant')
      ? allow
      : refuse('rank', 'a supervisor transfers a case from the rank sergeant or above');
  return refuse('not_owner', "only the case's owner or a supervisor of sergeant rank or above transfers a case");
}

/** A step that failed for good is run again by a supervisor of the force at the fault's rank or above. */
export function mayRetryFault(user: User, ctx: { caseForce: string; requiredRank: Rank }): Verdict {
  if (!hasRole(user, 'supervisor')) return refuse('role', 'only a supervisor runs a failed step again');
  const seen = maySeeCase(user, ctx.caseForce);
  if (!seen.allowed) return seen;
  if (!atLeast(user.rank, ctx.requiredRank))
    return refuse('rank', `this fault has gone to the rank ${ctx.requiredRank} or above`);
  return allow;
}
