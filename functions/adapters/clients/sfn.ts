import { SFNClient } from '@aws-sdk/client-sfn';
import { tracer } from '#powertools';

let sfn: SFNClient | undefined;
export const stepFunctions = () => (sfn ??= tracer.captureAWSv3Client(new SFNClient({})));
