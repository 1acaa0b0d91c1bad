import type { Rank } from '../../functions/domain/ranks.js';
import type { Role, User } from '../../functions/domain/users.js';
import { localSub, SEEDED_USERS } from '../../local/auth.js';

/** A user as the authorizer hands one over, for the domain's unit tests. */
export const user = (sub: string, name: string, groups: Role[], rank?: Rank, force = 'LOCAL'): User => ({
  sub,
  name,
  groups,
  ...(rank ? { rank } : {}),
  force,
});

/** A seeded local user (local/auth.ts) as the authorizer hands them over: for calling adapters and steps as them. */
export function seededUser(username: string): User {
  const u = SEEDED_USERS.find((s) => s.username === username);
  if (!u) throw new Error(`no seeded user ${username}`);
  return { sub: localSub(u.username), name: u.name, groups: [...u.groups], rank: u.rank, force: u.force };
}
