import type * as z from 'zod/mini';
import * as table from './routes.js';
import type { Route, RouteName, routes } from './routes.js';
import {
  ClosureInput,
  PrisonContactConfirmedInput,
  ProtectionOrderInput,
  ReferralInput,
  SpoNotificationInput,
  VictimUpdateInput,
} from './schemas/afterIdentification.js';
import {
  ArrestInput,
  CaseInput,
  ClosureProposalInput,
  ContactVerificationInput,
  DecisionInput,
  DisclosureProposalInput,
  FaultRetryInput,
  HandoverInput,
  IdentificationInput,
  LocalTokenInput,
  NotifyReceipt,
  OwnerTransferInput,
  ReturnInput,
  VictimChoiceInput,
  VictimContact,
} from './schemas/api.js';
import {
  CasesQuery,
  PageQuery,
  PathApproval,
  PathCaseId,
  PathFault,
  PathRequest,
  RequestsQuery,
} from './schemas/paths.js';
import { IspChoiceInput } from './schemas/requests.js';

/**
 * What each route takes (its path parameters, query string and body), as zod
 * schemas: the route table (routes.ts) says where a route is and who may call
 * it; this says what it parses. One export a route, named as the route, with
 * the route's own entry of the table: a handler imports its own
 * (`apiHandler(inputs.getCase, ...)`), so its bundle carries that route and
 * its schemas only, not the table. The schema modules are declared
 * free of side effects (package.json `sideEffects`), so a bundle leaves out
 * every one it does not use. The OpenAPI document and the tests read them all
 * through `routesWithInputs()`.
 */
export interface RouteInput<N extends RouteName = RouteName> {
  route: N;
  /** The route's entry of routes.ts (its export, not the table: a bundle carries no other route). */
  entry: (typeof routes)[N];
  params?: z.ZodMiniType;
  /** The query string's parameters (a list's page, scope and status); a route without one ignores its query string. */
  query?: z.ZodMiniType;
  body?: z.ZodMiniType;
}

export const health = { route: 'health', entry: table.health } as const;
export const openapi = { route: 'openapi', entry: table.openapi } as const;
export const openCase = { route: 'openCase', entry: table.openCase, body: CaseInput } as const;
export const listCases = { route: 'listCases', entry: table.listCases, query: CasesQuery } as const;
export const getCase = { route: 'getCase', entry: table.getCase, params: PathCaseId } as const;
export const listApprovals = { route: 'listApprovals', entry: table.listApprovals, query: PageQuery } as const;
export const listFaults = { route: 'listFaults', entry: table.listFaults, query: PageQuery } as const;
export const retryFault = {
  route: 'retryFault',
  entry: table.retryFault,
  params: PathFault,
  body: FaultRetryInput,
} as const;
export const decideApproval = {
  route: 'decideApproval',
  entry: table.decideApproval,
  params: PathApproval,
  body: DecisionInput,
} as const;
export const listRequests = { route: 'listRequests', entry: table.listRequests, params: PathCaseId } as const;
export const listRequestQueue = {
  route: 'listRequestQueue',
  entry: table.listRequestQueue,
  query: RequestsQuery,
} as const;
export const uploadReturn = {
  route: 'uploadReturn',
  entry: table.uploadReturn,
  params: PathRequest,
  body: ReturnInput,
} as const;
export const getRequestDocument = {
  route: 'getRequestDocument',
  entry: table.getRequestDocument,
  params: PathRequest,
} as const;
export const listIpLog = { route: 'listIpLog', entry: table.listIpLog, params: PathRequest } as const;
export const chooseIspRequests = {
  route: 'chooseIspRequests',
  entry: table.chooseIspRequests,
  params: PathRequest,
  body: IspChoiceInput,
} as const;
export const proposeIdentification = {
  route: 'proposeIdentification',
  entry: table.proposeIdentification,
  params: PathCaseId,
  body: IdentificationInput,
} as const;
export const recordArrest = {
  route: 'recordArrest',
  entry: table.recordArrest,
  params: PathCaseId,
  body: ArrestInput,
} as const;
export const recordVictimUpdate = {
  route: 'recordVictimUpdate',
  entry: table.recordVictimUpdate,
  params: PathCaseId,
  body: VictimUpdateInput,
} as const;
export const recordProtectionOrder = {
  route: 'recordProtectionOrder',
  entry: table.recordProtectionOrder,
  params: PathCaseId,
  body: ProtectionOrderInput,
} as const;
export const recordSpoNotification = {
  route: 'recordSpoNotification',
  entry: table.recordSpoNotification,
  params: PathCaseId,
  body: SpoNotificationInput,
} as const;
export const confirmPrisonContact = {
  route: 'confirmPrisonContact',
  entry: table.confirmPrisonContact,
  params: PathCaseId,
  body: PrisonContactConfirmedInput,
} as const;
export const makeReferral = {
  route: 'makeReferral',
  entry: table.makeReferral,
  params: PathCaseId,
  body: ReferralInput,
} as const;
export const closeCase = {
  route: 'closeCase',
  entry: table.closeCase,
  params: PathCaseId,
  body: ClosureInput,
} as const;
export const proposeClosure = {
  route: 'proposeClosure',
  entry: table.proposeClosure,
  params: PathCaseId,
  body: ClosureProposalInput,
} as const;
export const proposeDisclosure = {
  route: 'proposeDisclosure',
  entry: table.proposeDisclosure,
  params: PathCaseId,
  body: DisclosureProposalInput,
} as const;
export const updateContact = {
  route: 'updateContact',
  entry: table.updateContact,
  params: PathCaseId,
  body: VictimContact,
} as const;
export const verifyContact = {
  route: 'verifyContact',
  entry: table.verifyContact,
  params: PathCaseId,
  body: ContactVerificationInput,
} as const;
export const recordVictimChoice = {
  route: 'recordVictimChoice',
  entry: table.recordVictimChoice,
  params: PathCaseId,
  body: VictimChoiceInput,
} as const;
export const recordHandover = {
  route: 'recordHandover',
  entry: table.recordHandover,
  params: PathCaseId,
  body: HandoverInput,
} as const;
export const transferOwner = {
  route: 'transferOwner',
  entry: table.transferOwner,
  params: PathCaseId,
  body: OwnerTransferInput,
} as const;
export const getLetter = { route: 'getLetter', entry: table.getLetter, params: PathCaseId } as const;
export const getAudit = { route: 'getAudit', entry: table.getAudit, params: PathCaseId, query: PageQuery } as const;
export const getTimeline = {
  route: 'getTimeline',
  entry: table.getTimeline,
  params: PathCaseId,
  query: PageQuery,
} as const;
export const getViews = { route: 'getViews', entry: table.getViews, params: PathCaseId, query: PageQuery } as const;
export const verifyAudit = { route: 'verifyAudit', entry: table.verifyAudit, params: PathCaseId } as const;
export const getStats = { route: 'getStats', entry: table.getStats } as const;
export const notifyCallback = { route: 'notifyCallback', entry: table.notifyCallback, body: NotifyReceipt } as const;
export const localToken = { route: 'localToken', entry: table.localToken, body: LocalTokenInput } as const;

/** Every route's input, by route name: the compiler holds it to every route of routes.ts, each under its own name. */
export const routeInputs = {
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
} as const satisfies { [N in RouteName]: RouteInput<N> };

/** Every route of routes.ts with what it takes. */
export function routesWithInputs(): [RouteName, Route & Omit<RouteInput, 'route' | 'entry'>][] {
  return table.routeEntries.map(([name, route]) => {
    const { entry: _entry, route: _name, ...parses } = routeInputs[name] as RouteInput;
    return [name, { ...route, ...parses }];
  });
}
