import {
  advanceTrack,
  blockPublished,
  trackWaitSeconds,
  unpublishedBlocks,
  updatesToSend,
  type TrackClock,
} from '../../domain/arrestTrack.js';
import { prisonContactBlockEvents } from '../../domain/caseEvents.js';
import { PlanArrestTrackEvent } from '../../schemas/workflow.js';
import { mustLoadCase, mutateCase } from '../../adapters/cases.js';
import { publish } from '../../adapters/events.js';
import { workflowHandler } from '../../http/workflow.js';
import { audit } from '../shared.js';

/**
 * The arrest track moves on from what is on record: each new outcome opens
 * what it calls for, a remand in custody or a custodial sentence asks the
 * prison service to block contact (recorded, then published: a retry publishes again with the same
 * eventId), and the workflow learns how long it may wait before something
 * falls due, and whether the track is done.
 */
export const handler = workflowHandler(
  'planArrestTrack',
  PlanArrestTrackEvent,
  async ({ caseId, daySeconds, arrestOutcomeSeconds }, now) => {
    const clock: TrackClock = { now, daySeconds, arrestOutcomeSeconds };
    let { kase } = await mustLoadCase(caseId);
    const probe = advanceTrack(kase, clock);
    if (!kase.arrestTrack || probe.opened.length || (probe.ended && !kase.arrestTrack.endedAt)) {
      let advanced = probe;
      const wasEnded = !!kase.arrestTrack?.endedAt;
      kase = await mutateCase(
        caseId,
        (k) => {
          advanced = advanceTrack(k, clock);
          return advanced.kase;
        },
        now,
      );
      for (const o of advanced.opened)
        await audit(
          caseId,
          'workflow',
          `task.${o.task}.opened`,
          { arrestIndex: String(o.arrestIndex), ...(o.done ? { done: 'true' } : {}) },
          undefined,
          now,
          true,
        );
      if (advanced.ended && !wasEnded) await audit(caseId, 'workflow', 'arrest.track_ended', {}, undefined, now, true);
    }
    for (const block of unpublishedBlocks(kase)) {
      for (const detail of prisonContactBlockEvents(kase, block)) await publish('PrisonContactBlock', detail);
      kase = await mutateCase(caseId, (k) => blockPublished(k, block.eventId, now), now);
      await audit(
        caseId,
        'workflow',
        'prison_contact.block_requested',
        { eventId: block.eventId, arrestIndex: String(block.arrestIndex) },
        undefined,
        now,
        true,
      );
    }
    return {
      done: !!kase.arrestTrack?.endedAt,
      waitSeconds: trackWaitSeconds(kase, clock),
      victimUpdates: updatesToSend(kase).length,
    };
  },
);
