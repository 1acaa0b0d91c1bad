import { forceProfile } from './forces.js';
import type { CaseRecord, OwnerTransferRecord, Person } from './records.js';
import { isFinal } from './stages.js';
import { hasRole, type User } from './users.js';
import { WrongStage, AlreadyDecided, invalid } from './errors.js';

/**
 * The case owner (docs/api.md, the case owner): the officer the case's tasks, letters
 * and SMS name. The opener at first; each transfer is kept on the case, oldest
 * first, and the last one names the owner.
 */
export const ownerOf = (kase: Pick<CaseRecord, 'createdBy' | 'ownerTransfers'>): Person =>
  kase.ownerTransfers?.at(-1)?.to ?? kase.createdBy;

/** The officer a letter, an SMS or a referral names for the victim to contact: the owner, at the force's number. */
export function caseOfficer(kase: Pick<CaseRecord, 'createdBy' | 'ownerTransfers' | 'force'>) {
  const force = forceProfile(kase.force);
  return { name: ownerOf(kase).name, phone: force.phone, force: force.name };
}

/** A new owner is an investigator of the case's force, as the force's directory knows them (adapters/people.ts). */
export function checkNewOwner(found: User | undefined, force: string): Person {
  if (!found || found.force !== force || !hasRole(found, 'investigator'))
    throw invalid('a case is owned by an investigator of its force', [
      { path: 'owner', message: 'not an investigator of this force' },
    ]);
  return { sub: found.sub, name: found.name };
}

/** The transfer this request repeats (the same person, new owner and reason: its first answer lost), if any. */
export function repeatedTransfer(
  kase: Pick<CaseRecord, 'ownerTransfers'>,
  by: string,
  input: { owner: string; reason: string },
): OwnerTransferRecord | undefined {
  const last = kase.ownerTransfers?.at(-1);
  return last && last.by.sub === by && last.to.sub === input.owner && last.reason === input.reason ? last : undefined;
}

/** Hand the case on: refused once it is closed or rejected, and to the officer who already owns it. */
export function transferOwner(kase: CaseRecord, t: Omit<OwnerTransferRecord, 'from'>): CaseRecord {
  if (isFinal(kase.stage)) throw new WrongStage(`the case is ${kase.stage}: its owner no longer changes`);
  const from = ownerOf(kase);
  if (from.sub === t.to.sub) throw new AlreadyDecided('the case already belongs to this officer');
  return { ...kase, owner: t.to.sub, ownerTransfers: [...(kase.ownerTransfers ?? []), { ...t, from }] };
}

/** Who owns a case (a `sub`): the opener until ownership is handed on (domain/ownership.ts transferOwner). */
export const caseOwner = (kase: Pick<CaseRecord, 'owner' | 'createdBy'>) => kase.owner ?? kase.createdBy.sub;
