import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

let events: EventBridgeClient | undefined;
export const eventBus = () => (events ??= new EventBridgeClient({}));
