import { SFNClient } from '@aws-sdk/client-sfn';
import { traced } from '#powertools';

let sfn: SFNClient | undefined;
export const stepFunctions = () => (sfn ??= traced(new SFNClient({})));
