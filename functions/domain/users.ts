import { isRank, type Rank } from './ranks.js';

export const ROLES = ['investigator', 'spoc', 'supervisor', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  sub: string;
  name: string;
  groups: Role[];
  rank?: Rank;
  force: string;
}

export type Claims = Record<string, unknown>;

/**
 * API Gateway's JWT authorizer hands array claims over as "[a b]"; a token
 * verified locally has a real array. Accept both, keep only known roles.
 */
function parseGroups(raw: unknown): Role[] {
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.replace(/^\[|\]$/g, '').split(/[\s,]+/) : [];
  return list.filter((g): g is Role => (ROLES as readonly string[]).includes(g));
}

export function userFromClaims(claims: Claims): User | undefined {
  const sub = claims.sub;
  const force = claims['custom:force'];
  if (typeof sub !== 'string' || sub === '' || typeof force !== 'string' || force === '') return undefined;
  const rank = claims['custom:rank'];
  return {
    sub,
    name: typeof claims.name === 'string' ? claims.name : sub,
    groups: parseGroups(claims['cognito:groups']),
    rank: isRank(rank) ? rank : undefined,
    force,
  };
}

export function hasRole(user: User, role: Role): boolean {
  return user.groups.includes(role);
}

/** What a record keeps of the user who made it: their id and name. */
export const person = (u: User) => ({ sub: u.sub, name: u.name });
