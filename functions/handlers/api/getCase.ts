import { viewOnceKey } from '../../domain/audit.js';
import { policy } from '../../domain/policy.js';
import { caseView } from '../../domain/views.js';
import { caseIdentifiers, suspectNames } from '../../domain/correlation.js';
import { readAudit } from '../../adapters/audit.js';
import { casesHolding, type CaseBundle } from '../../adapters/cases.js';

/** Other cases of the force that share a suspect or an identifier with this one (through the identifier index): each case shows the other. */
async function duplicateTargets(b: CaseBundle) {
  const mine = caseIdentifiers(b.requests, suspectNames(b.kase));
  const shared = new Map<string, { crimeReference: string; kinds: Set<string> }>();
  for (const identifier of mine)
    for (const other of await casesHolding(b.kase.force, identifier))
      if (other.caseId !== b.kase.caseId) {
        const entry = shared.get(other.caseId) ?? { crimeReference: other.crimeReference, kinds: new Set<string>() };
        shared.set(other.caseId, entry);
        entry.kinds.add(identifier.split(':')[0]!);
      }
  return [...shared].map(([caseId, { crimeReference, kinds }]) => ({
    caseId,
    crimeReference,
    shared: [...kinds].sort(),
  }));
}
import { apiHandler, json } from '../../http/api.js';
import { audit, visibleCase } from '../shared.js';

export const handler = apiHandler('getCase', async ({ user, params, now }) => {
  const bundle = await visibleCase(params.caseId, user);
  // Viewing a case's sensitive data is itself logged (Data Protection Act 2018 s.62): once per person per window.
  await audit(
    params.caseId,
    user,
    'case.viewed',
    {},
    undefined,
    now,
    viewOnceKey(user.sub, now, policy.viewRecordWindowSeconds),
  );
  const trail = await readAudit(params.caseId);
  return json(200, { ...caseView(bundle, trail, user, now), duplicateTargets: await duplicateTargets(bundle) });
});
