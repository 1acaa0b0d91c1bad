import { caseView } from '../../domain/views.js';
import { PathCaseId } from '../../schemas/api.js';
import { caseIdentifiers, sharedIdentifiers } from '../../domain/correlation.js';
import { readAudit } from '../../adapters/audit.js';
import { listCases, loadCase, type CaseBundle } from '../../adapters/cases.js';

/** Other cases of the force that share a suspect or an identifier with this one: each case shows the other. */
async function duplicateTargets(b: CaseBundle) {
  const suspects = (k: CaseBundle['kase']) => (k.identification ? [k.identification.suspect.name, ...k.identification.suspect.aliases] : []);
  const mine = caseIdentifiers(b.requests, suspects(b.kase));
  if (mine.size === 0) return [];
  const out = [];
  for (const other of await listCases(b.kase.force)) {
    if (other.caseId === b.kase.caseId) continue;
    const them = await loadCase(other.caseId);
    const shared = them ? sharedIdentifiers(mine, caseIdentifiers(them.requests, suspects(them.kase))) : [];
    if (shared.length) out.push({ caseId: other.caseId, crimeReference: other.crimeReference, shared });
  }
  return out;
}
import { apiHandler, json } from '../../http/api.js';
import { audit, visibleCase } from '../shared.js';

export const handler = apiHandler('getCase', async ({ user, params, now }) => {
  const bundle = await visibleCase(params.caseId, user);
  // Viewing a case's sensitive data is itself logged (Data Protection Act 2018 s.62).
  await audit(params.caseId, user, 'case.viewed', {}, undefined, now);
  const trail = await readAudit(params.caseId);
  return json(200, { ...caseView(bundle, trail, user, now), duplicateTargets: await duplicateTargets(bundle) });
});
