import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { tracer } from '#powertools';

let events: EventBridgeClient | undefined;
export const eventBus = () => (events ??= tracer.captureAWSv3Client(new EventBridgeClient({})));
