import type { User } from '../domain/users.js';
import { appendAudit } from '../adapters/audit.js';
import { getApproval } from '../adapters/approval.js';
import { getCase } from '../adapters/case.js';
import type { RouteInput } from '../routeInputs.js';
import type { Route } from '../routes.js';
import type { AuditAction } from '../domain/auditActions.js';

/**
 * The audit chain of refusals that concern no case: the audit table is keyed
 * by caseId, and `FORCE#<force>` is a pseudo-case id of the refused caller's
 * force. No real case can have it (case ids are [A-Za-z0-9_-]{6,64}), so no
 * case route can read it or write to it.
 */
export const forceChainId = (force: string) => `FORCE#${force}`;

/**
 * Write a refusal (403) to the audit trail: who, which route, and the reason
 * code; never the body, never personal data. A refusal on a case that exists
 * (a case route, or a decision on one of its approvals) goes to that case's
 * chain, whichever force the caller is in; anything else (a role refused a
 * route with no case in it, or ids that name no case) to the force's chain.
 * Path ids are kept only when they have the shape the route takes.
 */
export async function recordRefusal(
  user: User,
  route: Route & Pick<RouteInput, 'params'>,
  pathParameters: Record<string, string | undefined>,
  code: string,
  at: string,
): Promise<void> {
  const parsed = route.params?.safeParse(pathParameters);
  const ids: Record<string, string> = parsed?.success ? { ...(parsed.data as Record<string, string>) } : {};
  let caseId: string | undefined;
  if (ids.approvalId) caseId = (await getApproval(ids.approvalId))?.caseId;
  else if (ids.caseId) caseId = (await getCase(ids.caseId))?.caseId;
  await appendAudit({
    caseId: caseId ?? forceChainId(user.force),
    at,
    actor: user.sub,
    action: 'access.refused' satisfies AuditAction,
    ids: { route: `${route.method} ${route.path}`, reason: code, ...ids },
  });
}
