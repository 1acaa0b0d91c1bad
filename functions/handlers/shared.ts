import { randomUUID } from 'node:crypto';
import { enforce, maySeeCase } from '../domain/access.js';
import { canonical, type AuditEntry } from '../domain/audit.js';
import type { User } from '../domain/users.js';
import { appendAudit } from '../adapters/audit.js';
import { completeTask, getCase, mustLoadCase, type CaseBundle } from '../adapters/cases.js';
import { notFound } from '../domain/errors.js';
import type { CaseRecord } from '../domain/records.js';
import { signal } from '../adapters/workflow.js';
import { taskSatisfied } from '../domain/cases.js';
import type { TaskName } from '../domain/stages.js';

export const newId = () => randomUUID();

/** The case item alone (no other records of the case), if the caller may see it: 404 if there is none, 403 if it is another force's. */
export async function seeableCase(caseId: string, user: User): Promise<CaseRecord> {
  const kase = await getCase(caseId);
  if (!kase) throw notFound('no such case');
  enforce(maySeeCase(user, kase.force));
  return kase;
}

/** Load a case the caller may see: 404 if there is none, 403 if it is another force's. */
export async function visibleCase(caseId: string, user: User): Promise<CaseBundle> {
  const bundle = await mustLoadCase(caseId);
  enforce(maySeeCase(user, bundle.kase.force));
  return bundle;
}

/**
 * Append to the case's audit chain: who, what, when, the ids involved, and a
 * keyed digest of the data, never the data. A workflow step, which may run more
 * than once for one event, passes `once`: `true` when the action and its ids
 * name the event, or a key of its own when they do not; the entry is then
 * appended at most once, and a step that runs again asserts it again, so a
 * crash between the step's write and its entry loses nothing.
 */
export async function audit(
  caseId: string,
  actor: User | 'workflow' | 'notify',
  action: string,
  ids: Record<string, string> = {},
  /** A keyed digest of the data the entry concerns: made by auditData (handlers/auditData.ts), which holds the key. */
  dataDigest?: string,
  at = new Date().toISOString(),
  once?: true | string,
): Promise<AuditEntry> {
  const key = once === true ? `${action}|${canonical(ids)}` : once;
  return appendAudit(
    {
      caseId,
      at,
      actor: typeof actor === 'string' ? actor : actor.sub,
      action,
      ids,
      ...(dataDigest !== undefined ? { dataDigest } : {}),
    },
    key,
  );
}

/** A human step is on record: mark its task done and let the workflow go on (ordered after the record, so a retry completes it). */
export async function completeStep(
  caseId: string,
  key: string,
  result: Record<string, unknown>,
  now: string,
): Promise<void> {
  const done = await completeTask(caseId, key, result, now);
  await signal(done?.taskToken, result);
}

/** A record that may settle waits of these kinds: each open one it satisfies is completed with what it is answered. */
export async function releaseSatisfiedWaits(caseId: string, kinds: readonly TaskName[], now: string): Promise<void> {
  const b = await mustLoadCase(caseId);
  for (const t of b.tasks)
    if (t.status === 'open' && kinds.includes(t.task)) {
      const answer = taskSatisfied(b, t.task, t.requestId, now);
      if (answer) await completeStep(caseId, t.key, answer, now);
    }
}

/** Something the arrest track waits on is on record: its wait looks again now rather than at its next due time. */
export const nudgeArrestTrack = (caseId: string, now: string) =>
  completeStep(caseId, 'ARREST_TRACK', { changed: true }, now);
