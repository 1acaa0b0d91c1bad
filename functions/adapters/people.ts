import { isRank } from '../domain/ranks.js';
import { ROLES, type Role, type User } from '../domain/users.js';
import { AdminListGroupsForUserCommand, ListUsersCommand, type PoolUser, userPool } from './clients/cognito.js';
import { env } from './env.js';

/**
 * The force's people, for a question the caller's token cannot answer: who
 * another person is (their name, force, roles and rank), e.g. whether a case's
 * new owner is an investigator of its force. In AWS the directory is the
 * Cognito user pool the tokens come from (USER_POOL_ID: ListUsers by `sub`,
 * then the user's groups); the local stack has no user pool and hands its
 * seeded users over in LOCAL_PEOPLE (local/stack.ts), as a JSON list of the
 * same shape. A disabled user is nobody.
 */
export async function findPerson(sub: string): Promise<User | undefined> {
  const local = process.env.LOCAL_PEOPLE;
  if (local) return (JSON.parse(local) as User[]).find((p) => p.sub === sub);
  return fromUserPool(env('USER_POOL_ID'), sub);
}

async function fromUserPool(poolId: string, sub: string): Promise<User | undefined> {
  // The sub's pattern (schemas/api.ts `sub`) holds no quote or backslash: it cannot break out of the filter.
  const { Users } = await userPool().send(
    new ListUsersCommand({ UserPoolId: poolId, Filter: `sub = "${sub}"`, Limit: 1 }),
  );
  const found = Users?.[0];
  if (!found?.Username || found.Enabled === false) return undefined;
  const { Groups } = await userPool().send(
    new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: found.Username, Limit: 60 }),
  );
  return personFromPool(sub, found, Groups ?? []);
}

/** A pool's user and their groups as the product's User; nobody when disabled or of no force. */
export function personFromPool(sub: string, found: PoolUser, groups: { GroupName?: string }[]): User | undefined {
  if (found.Enabled === false) return undefined;
  const attribute = (name: string) => found.Attributes?.find((a) => a.Name === name)?.Value;
  const force = attribute('custom:force');
  if (!force) return undefined;
  const rank = attribute('custom:rank');
  return {
    sub,
    name: attribute('name') ?? sub,
    force,
    groups: groups.map((g) => g.GroupName).filter((g): g is Role => (ROLES as readonly string[]).includes(g ?? '')),
    rank: isRank(rank) ? rank : undefined,
  };
}
