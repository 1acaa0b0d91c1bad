import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { traced } from '#powertools';

let events: EventBridgeClient | undefined;
export const eventBus = () => (events ??= traced(new EventBridgeClient({})));
