import { enforce, maySeeCase } from '../domain/access.js';
import type { User } from '../domain/users.js';
import { caseAndChainHead, getCase, mustLoadCase, type CaseBundle } from '../adapters/case.js';
import { notFound } from '../domain/errors.js';
import type { CaseRecord } from '../domain/records.js';

/** A case the caller may see: 404 if there is none, 403 if it is another force's. */
function mustSee(kase: CaseRecord | undefined, user: User): CaseRecord {
  if (!kase) throw notFound('no such case');
  enforce(maySeeCase(user, kase.force));
  return kase;
}

/** The case item alone (no other records of the case), if the caller may see it: 404 if there is none, 403 if it is another force's. */
export async function seeableCase(caseId: string, user: User): Promise<CaseRecord> {
  return mustSee(await getCase(caseId), user);
}

/** The case item and its chain's head, in one read (adapters/case.ts caseAndChainHead), if the caller may see it. */
export async function seeableCaseAndHead(caseId: string, user: User): Promise<{ kase: CaseRecord; headSeq: number }> {
  const { kase, headSeq } = await caseAndChainHead(caseId);
  return { kase: mustSee(kase, user), headSeq };
}

/** Load a case the caller may see: 404 if there is none, 403 if it is another force's. */
export async function visibleCase(caseId: string, user: User): Promise<CaseBundle> {
  const bundle = await mustLoadCase(caseId);
  enforce(maySeeCase(user, bundle.kase.force));
  return bundle;
}
