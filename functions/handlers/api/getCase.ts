import { consultation } from '../../domain/consultations.js';
import { caseView } from '../../domain/views.js';
import { caseIdentifiers, duplicateTargets, suspectNames } from '../../domain/correlation.js';
import { timelinePage } from '../../adapters/auditPages.js';
import { recordConsultation } from '../../adapters/consultations.js';
import { casesHolding, type CaseBundle } from '../../adapters/case.js';
import { pageRequest } from '../../adapters/pages.js';
import { policy } from '../../domain/policy.js';
import { timelineEntry } from '../../domain/timeline.js';
import { apiHandler, json } from '../../http/api.js';
import { header } from '../../http/route.js';
import { entityTag, matches, notModified, tagged } from '../../http/etag.js';
import { seeableCaseAndHead, visibleCase } from '../../services/caseAccess.js';
import LRUCache from '../../adapters/clients/endpointLru.js';
import * as inputs from '../../routeInputs.js';

/**
 * Other cases of the force that share a suspect or an identifier with this one (through the identifier index): each
 * case shows the other. One bounded Query per identifier, all at once: at most policy.duplicateCasesPerIdentifier
 * other cases each, however many hold it.
 */
async function sharing(b: CaseBundle) {
  const perIdentifier = policy.duplicateCasesPerIdentifier;
  const holders = await Promise.all(
    [...caseIdentifiers(b.requests, suspectNames(b.kase))].map(async (identifier) => ({
      identifier,
      cases: await casesHolding(b.kase.force, identifier, perIdentifier + 1), // the case itself may be one
    })),
  );
  return duplicateTargets(b.kase.caseId, holders, perIdentifier);
}

/** The case's tag: its version and the number of its chain's last entry, for this caller. */
const caseTag = (caseId: string, version: number, chain: number, user: Parameters<typeof entityTag>[1], now: string) =>
  entityTag(['getCase', caseId, version, chain], user, now);

/**
 * What of a case's answer its version covers (the case with its items, and the trail's newest entries), as this
 * process last read it, by case: what a full read would read again while the case's version and its chain's newest
 * entry stand, for policy.listTagSeconds from when it was read. Every write to a case's items moves its version
 * (adapters/case.ts keepSummary) and every finished append its chain's head, so a read again that finds both as
 * kept (one call, the read a 304 makes) is built from what was kept; what the answer shows beyond the version (other
 * cases sharing an identifier, overdue flags worked out at the time of reading), the caller's right to see the case
 * and the view's record are made afresh on every read. Bounded: the case read least recently forgotten first (a
 * thousand cases: a force's people polling the cases they work on).
 */
interface Kept {
  version: number;
  chain: number;
  /** When what was kept is read afresh at the latest (ms): policy.listTagSeconds after it was read. */
  until: number;
  bundle: CaseBundle;
  timeline: Awaited<ReturnType<typeof newestEntries>>;
}
const kept = new LRUCache<string, Kept>(1000);

/** The trail's newest entries, as the case answer carries them (the cursor pages on through GET /cases/{caseId}/timeline). */
const newestEntries = (caseId: string, force: string) =>
  timelinePage(
    caseId,
    pageRequest('getTimeline', force, { limit: policy.caseTimelineEntries }, { caseId }),
    timelineEntry,
  );

export const handler = apiHandler(inputs.getCase, async ({ user, params, event, now }) => {
  const { caseId } = params;
  const view = consultation(caseId, user.sub, now, policy.viewRecordWindowSeconds);
  // A conditional read (the console's refresh), or a read of a case this process keeps, first asks the version: the
  // case item and its chain's head, in one call, and the caller's right to see the case on it. Nothing changed since
  // the caller's copy is a 304, with no view recorded (nothing was shown). The head moves once an append has finished
  // (entry, marker, head): an append still under way shows at the next read; one whose appender stopped before the
  // head shows once the next append to the case finishes it, or within policy.listTagSeconds, whichever is first.
  const held = kept.get(caseId);
  let seen: Awaited<ReturnType<typeof seeableCaseAndHead>> | undefined;
  if (held || header(event, 'if-none-match') !== undefined) {
    seen = await seeableCaseAndHead(caseId, user);
    const current = caseTag(caseId, seen.kase.version, seen.headSeq, user, now);
    if (matches(event, current)) return notModified(current);
  }
  const unchanged =
    held && seen && held.version === seen.kase.version && held.chain === seen.headSeq && Date.parse(now) < held.until;
  // Otherwise the case with its items, and the trail's newest entries, read at once: the caller's right to see the
  // case is checked on it before anything is recorded or shown.
  const { bundle, timeline } = unchanged
    ? held
    : await Promise.all([visibleCase(caseId, user), newestEntries(caseId, user.force)]).then(([b, t]) => ({
        bundle: b,
        timeline: t,
      }));
  const chain = timeline.items[0]?.seq ?? 0;
  // What is kept stands for its own policy.listTagSeconds, not to the turn of a span: the cases a force's people
  // poll are not all read afresh at the same moment. (Reading a kept case made it the newest in the cache's order.)
  if (!unchanged)
    kept.set(caseId, {
      version: bundle.kase.version,
      chain,
      until: Date.parse(now) + policy.listTagSeconds * 1000,
      bundle,
      timeline,
    });
  // Viewing a case's sensitive data is itself logged (Data Protection Act 2018 s.62), before it is shown: once per
  // person per window, as one conditional put to the consultation log (adapters/consultations.ts), not an entry of
  // the case's chain; a view this process has recorded in the window costs nothing.
  const [, duplicateTargets] = await Promise.all([recordConsultation(view), sharing(bundle)]);
  const tag = caseTag(caseId, bundle.kase.version, chain, user, now);
  return tagged(json(200, { ...caseView(bundle, timeline, user, now), duplicateTargets }), tag);
});
