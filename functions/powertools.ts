import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Built once, imported by every handler as `#powertools`. Log lines carry ids
 * only: never a name, phone, address, date of birth or task token.
 */
export const logger = new Logger({ serviceName: 'right-to-know' });
