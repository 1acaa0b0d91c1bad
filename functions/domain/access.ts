import type { Gate } from './gates.js';
import { atLeast, type Rank } from './ranks.js';
import { hasRole, type Role, type User } from './users.js';

/** Each question answered once: allowed, or refused with the reason shown to the user. */
export type Verdict = { allowed: true } | { allowed: false; reason: string };

const allow: Verdict = { allowed: true };
const refuse = (reason: string): Verdict => ({ allowed: false, reason });

export function mayUseRoute(user: User, roles: readonly Role[] | 'any'): Verdict {
  if (roles === 'any') return allow;
  if (roles.some((r) => hasRole(user, r))) return allow;
  return refuse(`this needs the role ${roles.join(' or ')}`);
}

export function maySeeCase(user: User, caseForce: string): Verdict {
  return user.force === caseForce ? allow : refuse('the case belongs to another force');
}

/** Auditors check the trail; they never need the victim's contact details. */
export function maySeeVictimContact(user: User): boolean {
  return user.groups.some((g) => g === 'investigator' || g === 'supervisor' || g === 'spoc');
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
  if (!hasRole(user, 'supervisor')) return refuse('only a supervisor decides a gate');
  const seen = maySeeCase(user, ctx.caseForce);
  if (!seen.allowed) return seen;
  if (!atLeast(user.rank, ctx.requiredRank)) return refuse(`this gate needs the rank ${ctx.requiredRank} or above`);
  if (user.sub === ctx.caseCreatedBy) return refuse('no one decides a gate on a case they created');
  if (ctx.proposedBy !== undefined && user.sub === ctx.proposedBy) return refuse('no one approves what they proposed');
  if (ctx.otherDeciders.includes(user.sub))
    return refuse('identification and disclosure must be decided by two different people');
  return allow;
}

/** The gates whose deciders must differ: the same person may not both identify and approve disclosure. */
export const SEPARATED_GATES: Partial<Record<Gate, Gate>> = { identification: 'disclosure', disclosure: 'identification' };
