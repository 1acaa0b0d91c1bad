import type * as z from 'zod/mini';
import { routeEntries, type Route, type RouteName } from './routes.js';
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
 * it; this says what it parses. One export a route, named as the route: a
 * handler imports its own (`apiHandler(inputs.getCase, ...)`), so its bundle
 * carries the schemas of that route only. The schema modules are declared
 * free of side effects (package.json `sideEffects`), so a bundle leaves out
 * every one it does not use. The OpenAPI document and the tests read them all
 * through `routesWithInputs()`.
 */
export interface RouteInput<N extends RouteName = RouteName> {
  route: N;
  params?: z.ZodMiniType;
  /** The query string's parameters (a list's page, scope and status); a route without one ignores its query string. */
  query?: z.ZodMiniType;
  body?: z.ZodMiniType;
}

export const health = { route: 'health' } as const;
export const openapi = { route: 'openapi' } as const;
export const openCase = { route: 'openCase', body: CaseInput } as const;
export const listCases = { route: 'listCases', query: CasesQuery } as const;
export const getCase = { route: 'getCase', params: PathCaseId } as const;
export const listApprovals = { route: 'listApprovals', query: PageQuery } as const;
export const listFaults = { route: 'listFaults', query: PageQuery } as const;
export const retryFault = { route: 'retryFault', params: PathFault, body: FaultRetryInput } as const;
export const decideApproval = { route: 'decideApproval', params: PathApproval, body: DecisionInput } as const;
export const listRequests = { route: 'listRequests', params: PathCaseId } as const;
export const listRequestQueue = { route: 'listRequestQueue', query: RequestsQuery } as const;
export const uploadReturn = { route: 'uploadReturn', params: PathRequest, body: ReturnInput } as const;
export const getRequestDocument = { route: 'getRequestDocument', params: PathRequest } as const;
export const listIpLog = { route: 'listIpLog', params: PathRequest } as const;
export const chooseIspRequests = { route: 'chooseIspRequests', params: PathRequest, body: IspChoiceInput } as const;
export const proposeIdentification = {
  route: 'proposeIdentification',
  params: PathCaseId,
  body: IdentificationInput,
} as const;
export const recordArrest = { route: 'recordArrest', params: PathCaseId, body: ArrestInput } as const;
export const recordVictimUpdate = { route: 'recordVictimUpdate', params: PathCaseId, body: VictimUpdateInput } as const;
export const recordProtectionOrder = {
  route: 'recordProtectionOrder',
  params: PathCaseId,
  body: ProtectionOrderInput,
} as const;
export const recordSpoNotification = {
  route: 'recordSpoNotification',
  params: PathCaseId,
  body: SpoNotificationInput,
} as const;
export const confirmPrisonContact = {
  route: 'confirmPrisonContact',
  params: PathCaseId,
  body: PrisonContactConfirmedInput,
} as const;
export const makeReferral = { route: 'makeReferral', params: PathCaseId, body: ReferralInput } as const;
export const closeCase = { route: 'closeCase', params: PathCaseId, body: ClosureInput } as const;
export const proposeClosure = { route: 'proposeClosure', params: PathCaseId, body: ClosureProposalInput } as const;
export const proposeDisclosure = {
  route: 'proposeDisclosure',
  params: PathCaseId,
  body: DisclosureProposalInput,
} as const;
export const updateContact = { route: 'updateContact', params: PathCaseId, body: VictimContact } as const;
export const verifyContact = { route: 'verifyContact', params: PathCaseId, body: ContactVerificationInput } as const;
export const recordVictimChoice = { route: 'recordVictimChoice', params: PathCaseId, body: VictimChoiceInput } as const;
export const recordHandover = { route: 'recordHandover', params: PathCaseId, body: HandoverInput } as const;
export const transferOwner = { route: 'transferOwner', params: PathCaseId, body: OwnerTransferInput } as const;
export const getLetter = { route: 'getLetter', params: PathCaseId } as const;
export const getAudit = { route: 'getAudit', params: PathCaseId, query: PageQuery } as const;
export const getTimeline = { route: 'getTimeline', params: PathCaseId, query: PageQuery } as const;
export const getViews = { route: 'getViews', params: PathCaseId, query: PageQuery } as const;
export const verifyAudit = { route: 'verifyAudit', params: PathCaseId } as const;
export const getStats = { route: 'getStats' } as const;
export const notifyCallback = { route: 'notifyCallback', body: NotifyReceipt } as const;
export const localToken = { route: 'localToken', body: LocalTokenInput } as const;

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
export function routesWithInputs(): [RouteName, Route & Omit<RouteInput, 'route'>][] {
  return routeEntries.map(([name, route]) => [name, { ...route, ...(routeInputs[name] as RouteInput) }]);
}
