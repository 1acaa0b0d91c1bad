import type { Role } from './domain/users.js';

/**
 * The HTTP route table: the one place routes are named, with who may call
 * them. The CDK app builds API Gateway routes from it, the local server
 * serves it, the OpenAPI document is made from it; each handler lives at
 * functions/handlers/api/<name>.ts. Each route is an export of its own,
 * gathered in `routes`: routeInputs.ts takes each handler's route from its
 * export, so a handler's bundle carries its own route, not the whole table
 * with every route's summary. What each route parses (path, query, body) is
 * in routeInputs.ts, a route an export, so that a handler's bundle carries
 * its own route's schemas only; this table carries none.
 */
export interface Route {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  /** Who may call it: roles, 'any' signed-in role, or 'public' (no token). */
  access: readonly Role[] | 'any' | 'public';
  summary: string;
  /** Content types a body may be sent as. */
  accepts?: readonly string[];
  /** Served by the local stack only; never part of the deployed API. */
  localOnly?: boolean;
}

const JSON_BODY = ['application/json'] as const;

export const health = {
  method: 'GET',
  path: '/health',
  access: 'public',
  summary: 'Liveness',
} as const satisfies Route;
export const openapi = {
  method: 'GET',
  path: '/openapi.json',
  access: 'public',
  summary: 'This API as OpenAPI 3.1',
} as const satisfies Route;
export const openCase = {
  method: 'POST',
  path: '/cases',
  access: ['investigator'],
  summary: 'Open a case and start its workflow',
  accepts: JSON_BODY,
} as const satisfies Route;
export const listCases = {
  method: 'GET',
  path: '/cases',
  access: 'any',
  summary: "Cases of the caller's force (or the caller's own), newest first, a page at a time",
} as const satisfies Route;
export const getCase = {
  method: 'GET',
  path: '/cases/{caseId}',
  access: 'any',
  summary: 'One case',
} as const satisfies Route;
export const listApprovals = {
  method: 'GET',
  path: '/approvals',
  access: ['supervisor'],
  summary: 'Approvals the caller may decide, overdue first then by due time, a page at a time',
} as const satisfies Route;
export const listFaults = {
  method: 'GET',
  path: '/faults',
  access: ['supervisor'],
  summary: 'Workflow steps that failed for good and wait for a supervisor (the dead-letter queue), a page at a time',
} as const satisfies Route;
export const retryFault = {
  method: 'POST',
  path: '/cases/{caseId}/faults/{faultId}/retry',
  access: ['supervisor'],
  summary: 'Run a failed step again',
  accepts: JSON_BODY,
} as const satisfies Route;
export const decideApproval = {
  method: 'POST',
  path: '/approvals/{approvalId}/decision',
  access: ['supervisor'],
  summary: 'Approve or reject at a gate',
  accepts: JSON_BODY,
} as const satisfies Route;
export const listRequests = {
  method: 'GET',
  path: '/cases/{caseId}/requests',
  access: ['spoc', 'investigator'],
  summary: 'Platform and ISP requests',
} as const satisfies Route;
export const listRequestQueue = {
  method: 'GET',
  path: '/requests',
  access: ['spoc'],
  summary: "The SPoC's queue: requests across the force by due time, a page at a time",
} as const satisfies Route;
export const uploadReturn = {
  method: 'POST',
  path: '/cases/{caseId}/requests/{requestId}/return',
  access: ['spoc'],
  summary: 'Upload what a platform or ISP returned (JSON, or CSV for IP logs)',
  accepts: ['application/json', 'text/csv'],
} as const satisfies Route;
export const getRequestDocument = {
  method: 'GET',
  path: '/cases/{caseId}/requests/{requestId}/document.pdf',
  access: ['spoc', 'investigator'],
  summary: "The request document to submit through the provider's portal (PDF)",
} as const satisfies Route;
export const listIpLog = {
  method: 'GET',
  path: '/cases/{caseId}/requests/{requestId}/ip-events',
  access: ['spoc', 'investigator'],
  summary: "Every IP event of a platform's return, each with the ISP look-up made for it, if any",
} as const satisfies Route;
export const chooseIspRequests = {
  method: 'POST',
  path: '/cases/{caseId}/requests/{requestId}/isp-requests',
  access: ['spoc'],
  summary: "Ask for ISP look-ups on chosen rows of a platform's IP log, beyond those made on their own",
  accepts: JSON_BODY,
} as const satisfies Route;
export const proposeIdentification = {
  method: 'POST',
  path: '/cases/{caseId}/identification',
  access: ['investigator'],
  summary: 'Propose the suspect',
  accepts: JSON_BODY,
} as const satisfies Route;
export const recordArrest = {
  method: 'POST',
  path: '/cases/{caseId}/arrest',
  access: ['investigator'],
  summary: 'Record an arrest-track outcome',
  accepts: JSON_BODY,
} as const satisfies Route;
export const recordVictimUpdate = {
  method: 'POST',
  path: '/cases/{caseId}/victim-update',
  access: ['investigator'],
  summary: "Record that the victim was told of an arrest-track outcome (Victims' Code)",
  accepts: JSON_BODY,
} as const satisfies Route;
export const recordProtectionOrder = {
  method: 'POST',
  path: '/cases/{caseId}/protection-order',
  access: ['investigator'],
  summary: 'Record a Stalking Protection Order consideration: decision, reason, and an order made',
  accepts: JSON_BODY,
} as const satisfies Route;
export const recordSpoNotification = {
  method: 'POST',
  path: '/cases/{caseId}/protection-order/notification',
  access: ['investigator'],
  summary: 'Record whether the subject of a full order notified their names and address within 3 days',
  accepts: JSON_BODY,
} as const satisfies Route;
export const confirmPrisonContact = {
  method: 'POST',
  path: '/cases/{caseId}/prison-contact/confirmed',
  access: ['investigator'],
  summary: 'Record that the prison service confirmed the block on contact with the victim',
  accepts: JSON_BODY,
} as const satisfies Route;
export const makeReferral = {
  method: 'POST',
  path: '/cases/{caseId}/referrals',
  access: ['investigator'],
  summary: 'Refer the victim to a support service, with their consent',
  accepts: JSON_BODY,
} as const satisfies Route;
export const closeCase = {
  method: 'POST',
  path: '/cases/{caseId}/close',
  access: ['investigator'],
  summary: 'Decide to close the case, with the reason',
  accepts: JSON_BODY,
} as const satisfies Route;
export const proposeClosure = {
  method: 'POST',
  path: '/cases/{caseId}/closure-proposal',
  access: ['investigator'],
  summary:
    'Propose closing the case without a suspect, before identification is approved (decided at the closure gate)',
  accepts: JSON_BODY,
} as const satisfies Route;
export const proposeDisclosure = {
  method: 'POST',
  path: '/cases/{caseId}/disclosure-proposal',
  access: ['investigator'],
  summary: 'Propose disclose or delay (while delayed, disclose ends the delay at once)',
  accepts: JSON_BODY,
} as const satisfies Route;
export const updateContact = {
  method: 'PUT',
  path: '/cases/{caseId}/victim/contact',
  access: ['investigator'],
  summary: "Change the victim's contact details (a changed phone or address loses its verification)",
  accepts: JSON_BODY,
} as const satisfies Route;
export const verifyContact = {
  method: 'POST',
  path: '/cases/{caseId}/contact-verification',
  access: ['investigator'],
  summary: "Record the victim's phone or address verified safe with them, or unsafe (never used)",
  accepts: JSON_BODY,
} as const satisfies Route;
export const recordVictimChoice = {
  method: 'POST',
  path: '/cases/{caseId}/victim-choice',
  access: ['investigator'],
  summary:
    "Record the victim's choice: told or not (a decline sends nothing naming anyone), by which channel, with a support worker present or not",
  accepts: JSON_BODY,
} as const satisfies Route;
export const recordHandover = {
  method: 'POST',
  path: '/cases/{caseId}/disclosure/delivered',
  access: ['investigator'],
  summary: 'Record an in-person handover of the letter',
  accepts: JSON_BODY,
} as const satisfies Route;
export const transferOwner = {
  method: 'POST',
  path: '/cases/{caseId}/owner',
  access: ['investigator', 'supervisor'],
  summary: 'Hand the case to another investigator of the force, saying why (the owner, or a sergeant or above)',
  accepts: JSON_BODY,
} as const satisfies Route;
export const getLetter = {
  method: 'GET',
  path: '/cases/{caseId}/disclosure/letter.pdf',
  access: ['investigator', 'supervisor'],
  summary: 'The disclosure letter (PDF)',
} as const satisfies Route;
export const getAudit = {
  method: 'GET',
  path: '/cases/{caseId}/audit',
  access: ['auditor', 'supervisor'],
  summary: 'Audit entries, oldest first, a page at a time',
} as const satisfies Route;
export const getTimeline = {
  method: 'GET',
  path: '/cases/{caseId}/timeline',
  access: 'any',
  summary: "The case's timeline: its trail in sentences, newest first, a page at a time",
} as const satisfies Route;
export const getViews = {
  method: 'GET',
  path: '/cases/{caseId}/views',
  access: 'any',
  summary: 'Who viewed the case',
} as const satisfies Route;
export const verifyAudit = {
  method: 'GET',
  path: '/cases/{caseId}/audit/verify',
  access: ['auditor', 'supervisor'],
  summary: "Recompute the case's audit chain",
} as const satisfies Route;
export const getStats = {
  method: 'GET',
  path: '/stats',
  access: ['auditor', 'supervisor'],
  summary: 'Anonymised aggregates',
} as const satisfies Route;
export const notifyCallback = {
  method: 'POST',
  path: '/callbacks/notify',
  access: 'public',
  summary: 'GOV.UK Notify delivery receipts (bearer secret)',
  accepts: JSON_BODY,
} as const satisfies Route;
export const localToken = {
  method: 'POST',
  path: '/local/token',
  access: 'public',
  summary: 'A token for a seeded user (local stack only)',
  accepts: JSON_BODY,
  localOnly: true,
} as const satisfies Route;

/** Every route by name: the table the CDK app, the local server and the OpenAPI document read. */
export const routes = {
  health,
  openapi,
  openCase,
  listCases,
  getCase,
  listApprovals,
  listFaults,
  retryFault,
  decideApproval,
  listRequests,
  listRequestQueue,
  uploadReturn,
  getRequestDocument,
  listIpLog,
  chooseIspRequests,
  proposeIdentification,
  recordArrest,
  recordVictimUpdate,
  recordProtectionOrder,
  recordSpoNotification,
  confirmPrisonContact,
  makeReferral,
  closeCase,
  proposeClosure,
  proposeDisclosure,
  updateContact,
  verifyContact,
  recordVictimChoice,
  recordHandover,
  transferOwner,
  getLetter,
  getAudit,
  getTimeline,
  getViews,
  verifyAudit,
  getStats,
  notifyCallback,
  localToken,
} as const satisfies Record<string, Route>;

export type RouteName = keyof typeof routes;
// Pure: a handler's bundle, which reads its own route only, leaves the table out.
export const routeEntries = /* @__PURE__ */ Object.entries(routes) as [RouteName, Route][];
export const deployedRoutes = /* @__PURE__ */ routeEntries.filter(([, r]) => !('localOnly' in r && r.localOnly));

/** Match a concrete request to a route; the methods allowed on the path when only the method is wrong. */
export function matchRoute(
  method: string,
  path: string,
): { name: RouteName; route: Route; params: Record<string, string> } | { allowed: string[] } | undefined {
  const allowed: string[] = [];
  for (const [name, route] of routeEntries) {
    const names: string[] = [];
    const source = route.path.replace(/\./g, '\\.').replace(/\{(\w+)\}/g, (_m, n: string) => {
      names.push(n);
      return '([^/]+)';
    });
    const m = path.match(new RegExp(`^${source}$`));
    if (!m) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    return { name, route, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
  }
  return allowed.length ? { allowed } : undefined;
}
