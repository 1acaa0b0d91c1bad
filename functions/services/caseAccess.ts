import { enforce, maySeeCase } from '../domain/access.js';
import type { User } from '../domain/users.js';
import { getCase, mustLoadCase, type CaseBundle } from '../adapters/cases.js';
import { notFound } from '../domain/errors.js';
import type { CaseRecord } from '../domain/records.js';

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
