import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '#powertools';
import { dailyDigest } from '../../domain/audit.js';
import { headsSince, previousDigest, putDigest } from '../../adapters/auditDigests.js';

/**
 * Daily (EventBridge schedule; locally a timer of the stack): the heads that
 * moved since the previous digest's day began, hashed with that digest into
 * the day's. A chain that did not move is held by the digest that last saw
 * it, which this one links to; the first digest holds every head.
 */
export const handler = middy<unknown, { day: string; chains: number; digest: string }, Error, Context>({
  timeoutEarlyInMillis: 0,
}).handler(async (_event, context) => {
  logger.addContext(context);
  const day = new Date().toISOString().slice(0, 10);
  const previous = await previousDigest(day);
  const heads = await headsSince(previous?.day);
  const d = dailyDigest(day, heads, previous?.digest);
  await putDigest(d);
  logger.info('audit digest written', { day, chains: heads.length });
  return { day, chains: heads.length, digest: d.digest };
});
