import { mayRetryFault } from '../domain/access.js';
import { caseRow } from '../domain/caseSummary.js';
import { isOverdue } from '../domain/clock.js';
import { mayDecideQueued } from '../domain/gateDecisions.js';
import { type FaultRecord, faultView } from '../domain/faults.js';
import type { Rank } from '../domain/ranks.js';
import type { ApprovalRecord, CaseRecord, RequestRecord } from '../domain/records.js';
import type { User } from '../domain/users.js';
import { approvalView, requestView } from '../domain/views.js';
import { INDEX_DEFINITIONS, INDEXES, type IndexName, positionIn } from './casesTable.js';
import { tables } from './env.js';
import { type Page, type PageRequest, queryPage } from './pages.js';

/**
 * The lists people see, each one Query on the index built for it
 * (adapters/cases.ts INDEX_DEFINITIONS), a page at a time; each row made from
 * what the index projects, never from a second read.
 */

/** GET /cases: one Query on the index of the scope and status asked for, newest first. */
export function listCasesPage(
  user: Pick<User, 'force' | 'sub'>,
  filter: { scope: 'force' | 'mine'; status: 'all' | 'open' | 'closed' },
  page: PageRequest,
  now: string,
) {
  const owner = filter.scope === 'mine' ? `#${user.sub}` : '';
  const status = filter.status === 'all' ? '' : `#${filter.status}`;
  const index: IndexName =
    filter.scope === 'mine'
      ? filter.status === 'all'
        ? 'casesByOwner'
        : 'casesByOwnerStatus'
      : filter.status === 'all'
        ? 'casesByForce'
        : 'casesByForceStatus';
  const { pk } = INDEX_DEFINITIONS[index];
  return queryPage(
    {
      TableName: tables.cases,
      IndexName: index,
      KeyConditionExpression: '#k = :k',
      ExpressionAttributeNames: { '#k': pk },
      ExpressionAttributeValues: { ':k': `${user.force}${owner}${status}` },
      ScanIndexForward: false,
    },
    positionIn(index),
    page,
    (item) => caseRow(item as unknown as CaseRecord, now),
  );
}

/**
 * GET /approvals: the force's pending approvals in queue order, kept to those
 * this supervisor may decide by the same rule a decision meets, judged on what
 * each approval carries: no read of a case per row. Rank, own case, own
 * proposal and the two-person rule are not key conditions, so the Query goes
 * on past what the caller may not decide until the page is full.
 */
export function listApprovalsPage(user: User, page: PageRequest, now: string) {
  return queryPage(
    {
      TableName: tables.cases,
      IndexName: INDEXES.pendingApprovals,
      KeyConditionExpression: 'gsi2pk = :p',
      ExpressionAttributeValues: { ':p': `PENDING#${user.force}` },
    },
    positionIn('pendingApprovals'),
    page,
    (item) => {
      const a = item as unknown as ApprovalRecord;
      return {
        ...approvalView(a),
        ...(a.crimeReference ? { crimeReference: a.crimeReference } : {}),
        ...(a.closureReason ? { closureReason: a.closureReason } : {}),
        overdue: a.overdue || isOverdue(a.dueAt, now),
      };
    },
    (item) => mayDecideQueued(user, item as unknown as ApprovalRecord).allowed,
  );
}

/** A row of the force's request lists: the request as its case shows it, and which case. */
const requestRow = (item: Record<string, unknown>) => {
  const r = item as unknown as RequestRecord & { viewFlags?: string[] };
  return {
    ...requestView({ ...r, flags: r.viewFlags ?? [], returned: undefined }),
    caseId: r.caseId,
    crimeReference: r.crimeReference,
  };
};

/** GET /requests: the force's requests by due time, those awaiting a return or all. */
export function listRequestsPage(
  force: string,
  status: 'awaiting_return' | 'all',
  page: PageRequest,
): Promise<Page<ReturnType<typeof requestRow>>> {
  const index: IndexName = status === 'all' ? 'requestsByForce' : 'requestsAwaiting';
  return queryPage(
    {
      TableName: tables.cases,
      IndexName: index,
      KeyConditionExpression: '#k = :f',
      ExpressionAttributeNames: { '#k': INDEX_DEFINITIONS[index].pk },
      ExpressionAttributeValues: { ':f': force },
    },
    positionIn(index),
    page,
    requestRow,
  );
}

/** GET /faults: the force's open faults in queue order, those the caller's rank may run again. */
export function listFaultsPage(user: User, page: PageRequest, now: string) {
  return queryPage(
    {
      TableName: tables.cases,
      IndexName: INDEXES.faultQueue,
      KeyConditionExpression: 'queueFaults = :f',
      ExpressionAttributeValues: { ':f': user.force },
    },
    positionIn('faultQueue'),
    page,
    (item) => {
      const f = item as unknown as FaultRecord & { stage?: string; crimeReference?: string };
      return {
        ...faultView(f, now),
        ...(f.stage ? { stage: f.stage } : {}),
        ...(f.crimeReference ? { crimeReference: f.crimeReference } : {}),
      };
    },
    (item) => mayRetryFault(user, { caseForce: String(item.force), requiredRank: item.requiredRank as Rank }).allowed,
  );
}
