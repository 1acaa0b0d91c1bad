import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '#powertools';
import { dailyDigest } from '../../domain/audit.js';
import { headsOf, listDigests, putDigest, scanChains } from '../../adapters/auditDigests.js';

/** Daily (EventBridge schedule; locally a timer of the stack): the heads of every chain, hashed into the day's digest. */
export const handler = middy<unknown, { day: string; chains: number; digest: string }, Error, Context>({
  timeoutEarlyInMillis: 0,
}).handler(async (_event, context) => {
  logger.addContext(context);
  const day = new Date().toISOString().slice(0, 10);
  const earlier = (await listDigests()).filter((d) => d.day < day);
  const heads = [...headsOf(await scanChains()).values()];
  const d = dailyDigest(day, heads, earlier.at(-1)?.digest);
  await putDigest(d);
  logger.info('audit digest written', { day, chains: heads.length });
  return { day, chains: heads.length, digest: d.digest };
});
