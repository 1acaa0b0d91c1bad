import type { ConsoleConfig } from './config.js';
import { clearSession, getSession } from './auth/session.js';

/** The one way the console talks to the outside: the HTTP API of API.md, with the signed-in user's bearer token. */
export interface FieldError {
  path: string;
  message: string;
}
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title);
  }
}

let base = '';
let onUnauthenticated: () => void = () => undefined;

export function configureApi(config: ConsoleConfig, unauthenticated: () => void): void {
  base = config.apiUrl;
  onUnauthenticated = unauthenticated;
}

export async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  const token = getSession()?.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = contentType;
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const type = res.headers.get('content-type') ?? '';
  const parsed: unknown = type.includes('json') ? await res.json() : undefined;
  if (!res.ok) {
    if (res.status === 401) {
      clearSession();
      onUnauthenticated();
    }
    const problem = (parsed as Problem | undefined) ?? { title: res.statusText || 'Request failed', status: res.status };
    throw new ApiError(res.status, problem);
  }
  return parsed as T;
}

export const get = <T>(path: string) => request<T>('GET', path);
export const post = <T>(path: string, body: unknown, contentType?: string) => request<T>('POST', path, body, contentType);

/** A file the API serves (the letter): fetched with the token, handed to the browser as a download, never put in a URL. */
export async function download(path: string, filename: string): Promise<void> {
  const token = getSession()?.token;
  const res = await fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    const problem = (res.headers.get('content-type') ?? '').includes('json') ? ((await res.json()) as Problem) : { title: 'Download failed', status: res.status };
    throw new ApiError(res.status, problem);
  }
  saveBlob(await res.blob(), filename);
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// Shapes read from the API (API.md, functions/domain/views.ts).
export interface OpenTask {
  task: string;
  dueAt: string;
  overdue: boolean;
}
export interface CaseSummary {
  caseId: string;
  crimeReference: string;
  stage: string;
  openTasks: OpenTask[];
  nextDeadline: string | null;
  createdBy: string;
}
export interface ApprovalSummary {
  approvalId: string;
  caseId: string;
  gate: string;
  requiredRank: string;
  requestedBy: string;
  dueAt: string;
  overdue: boolean;
}
export interface RequestView {
  requestId: string;
  kind: 'platform_preservation' | 'platform_disclosure' | 'isp_resolution';
  target: string;
  accountHandle?: string;
  ip?: string;
  eventAt?: string;
  port?: number;
  status: string;
  dueAt: string;
  tipOffRisk: boolean;
  createdAt: string;
  chasedAt?: string;
  returnedAt?: string;
  flags?: string[];
}
export interface CandidatePoint {
  requestId: string;
  kind: string;
  detail: string;
}
export interface Candidate {
  candidateId: string;
  name: string;
  points: CandidatePoint[];
  contradictions: CandidatePoint[];
}
export interface TimelineEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  ids?: Record<string, string>;
}
export interface ApprovalView {
  approvalId: string;
  gate: string;
  requiredRank: string;
  status: string;
  requestedBy: string;
  proposedBy?: string;
  dueAt: string;
  overdue: boolean;
  createdAt: string;
}
export interface CaseView {
  caseId: string;
  crimeReference: string;
  offence: string;
  summary: string;
  stage: string;
  createdBy: string;
  createdAt: string;
  version: number;
  victim: {
    name?: string;
    dateOfBirth?: string;
    enhancedRights: boolean;
    contact: { preferredChannel: string; phone?: string; postalAddress?: { lines: string[]; postcode: string }; safeTimes?: string };
  };
  risk: { four: Record<string, boolean>; sdashYes: number };
  accounts: { platform: string; handle: string; platformUserId?: string; url?: string; accountId: string }[];
  openTasks: OpenTask[];
  nextDeadline: string | null;
  requests: RequestView[];
  approvals: ApprovalView[];
  decisions: { approvalId: string; gate: string; decision: string; rationale?: string; decidedBy?: string; decidedAt?: string }[];
  authorisation?: { route: string; reference: string; dataType: string; expiresAt: string };
  identification?: {
    proposalId: string;
    candidateId?: string;
    suspect: { name: string; aliases: string[]; dateOfBirth?: string };
    points: CandidatePoint[];
    rationale: string;
    proposedBy: { sub: string; name: string };
    proposedAt: string;
    status: string;
  };
  disclosureProposal?: { action: string; ground?: string; reviewInDays?: number; rationale: string; proposedBy: { sub: string; name: string }; proposedAt: string; status: string };
  delays: { ground: string; reviewInDays: number; approvedAt: string; reviewAt: string }[];
  disclosure?: { version: number; approvedAt: string; channel: string; letterSha256?: string; sentAt?: string; handedOverAt?: string };
  arrests: { outcome: string; at: string; recordedAt: string }[];
  contactVerified: { sms: boolean; letter: boolean };
  notifications: { reference: string; purpose: string; channel: string; status: string; at: string }[];
  candidates: Candidate[];
  tipOffWarning: boolean;
  timeline: TimelineEntry[];
}
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  ids?: Record<string, string>;
  detail?: unknown;
  hash?: string;
}
export interface AuditVerification {
  valid: boolean;
  entries: number;
  head: string;
  firstBadSeq?: number;
}
export interface Summary {
  count: number;
  medianHours?: number;
  p90Hours?: number;
}
export interface Stats {
  generatedAt: string;
  cases: number;
  byStage: Record<string, number>;
  timeToIdentification: Summary;
  timeToDisclosure: Summary;
  delaysByGround: Record<string, number>;
  overdueGates?: Record<string, number>;
}
