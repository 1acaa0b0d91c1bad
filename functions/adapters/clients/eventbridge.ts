import { Command, jsonClient } from './awsJson.js';

/**
 * EventBridge, as the product calls it (functions/adapters/events.ts): its
 * one operation PutEvents, a signed POST of its JSON 1.1 protocol
 * (functions/adapters/clients/awsJson.ts) rather than the SDK's client, which
 * with the multi-region signer it brings weighed about 19 kB in each
 * workflow step that publishes a case event. The command keeps the SDK's
 * name and the fields used, and a refusal its name.
 */
export class PutEventsCommand extends Command<
  { Entries: { EventBusName: string; Source: string; DetailType: string; Detail: string }[] },
  { FailedEntryCount?: number; Entries?: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[] }
> {
  constructor(input: PutEventsCommand['input']) {
    super('PutEvents', input);
  }
}

const client = jsonClient({
  signingName: 'events',
  envId: 'EVENTBRIDGE',
  traceName: 'EventBridge',
  host: (region) => `events.${region}.amazonaws.com`,
  version: '1.1',
  targetPrefix: 'AWSEvents',
});
export const eventBus = () => client;
