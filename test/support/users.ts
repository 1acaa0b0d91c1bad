import type { Rank } from '../../functions/domain/ranks.js';
import type { Role, User } from '../../functions/domain/users.js';

/** A user as the authorizer hands one over, for the domain's unit tests. */
export const user = (sub: string, name: string, groups: Role[], rank?: Rank, force = 'LOCAL'): User => ({
  sub,
  name,
  groups,
  ...(rank ? { rank } : {}),
  force,
});
