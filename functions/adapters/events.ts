import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { eventBus } from './clients/eventbridge.js';
import { env } from './env.js';

export const EVENT_SOURCE = 'police.right-to-know';

/** Case events out to force systems on EventBridge; a failed entry is an error, never dropped silently. */
export async function publish(detailType: string, detail: Record<string, unknown>): Promise<void> {
  const out = await eventBus().send(
    new PutEventsCommand({
      Entries: [{ EventBusName: env('EVENT_BUS_NAME'), Source: EVENT_SOURCE, DetailType: detailType, Detail: JSON.stringify(detail) }],
    }),
  );
  if (out.FailedEntryCount) throw new Error(`event ${detailType} was not accepted: ${out.Entries?.[0]?.ErrorCode ?? 'unknown'}`);
}
