import { SFNClient } from '@aws-sdk/client-sfn';

let sfn: SFNClient | undefined;
export const stepFunctions = () => (sfn ??= new SFNClient({}));
