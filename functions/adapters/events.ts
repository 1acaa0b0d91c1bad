import { EVENT_SOURCE, eventSchema, type EventDetail, type EventName } from '../schemas/events.js';
import { eventBus, PutEventsCommand } from './clients/eventbridge.js';
import { env } from './env.js';
import { EventRejected } from './failures.js';

/**
 * Case events out to force systems on EventBridge. What goes out is what
 * docs/events.md promises: a detail that does not match its schema is a bug
 * here and is never sent; a failed entry is an error, never dropped silently.
 */
export async function publish<N extends EventName>(name: N, detail: EventDetail<N>): Promise<void> {
  const version = (detail as { schemaVersion: string }).schemaVersion;
  const schema = eventSchema(name, version);
  if (!schema) throw new EventRejected(`event ${name} has no schema version ${version}`);
  const checked = schema.parse(detail);
  const out = await eventBus().send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: env('EVENT_BUS_NAME'),
          Source: EVENT_SOURCE,
          DetailType: name,
          Detail: JSON.stringify(checked),
        },
      ],
    }),
  );
  if (out.FailedEntryCount)
    throw new EventRejected(`event ${name} was not accepted: ${out.Entries?.[0]?.ErrorCode ?? 'unknown'}`);
}
