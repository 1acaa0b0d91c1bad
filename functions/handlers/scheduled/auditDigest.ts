import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '#powertools';
import { dailyDigest } from '../../domain/audit.js';
import { sealConsultations } from '../../domain/consultations.js';
import { headsSince, previousDigest, putDigest } from '../../adapters/auditDigests.js';
import { consultationsBetween } from '../../adapters/consultations.js';

/**
 * Daily (EventBridge schedule; locally a timer of the stack): the heads that
 * moved since the previous digest's day began, hashed with that digest into
 * the day's. A chain that did not move is held by the digest that last saw
 * it, which this one links to; the first digest holds every head. Beside
 * the heads, the consultation log's records since the previous digest's seal
 * ended, up to a little before now (domain/consultations.ts), sealed by one
 * hash: views are not chain entries, and this is what keeps them
 * tamper-evident.
 */
/**
 * The digest seals the consultations recorded up to this long before it runs: a view whose put is still on its way
 * (an API request lives at most 30 s in API Gateway) falls in the next digest, not between two. A margin of the
 * machinery, not a rule of the process (so not in the policy module).
 */
const SEAL_LAG_MS = 120_000;

export const handler = middy<unknown, { day: string; chains: number; digest: string }, Error, Context>({
  timeoutEarlyInMillis: 0,
}).handler(async (_event, context) => {
  logger.addContext(context);
  const day = new Date().toISOString().slice(0, 10);
  const previous = await previousDigest(day);
  const heads = await headsSince(previous?.day);
  const from = previous?.consultations?.to ?? '';
  // Never before `from` (a clock behind the previous digest's): an empty range, and the next digest starts there.
  const to = [new Date(Date.now() - SEAL_LAG_MS).toISOString(), from].sort()[1]!;
  const seal = sealConsultations(from, to, await consultationsBetween(from, to));
  const d = dailyDigest(day, heads, previous?.digest, seal);
  await putDigest(d);
  logger.info('audit digest written', { day, chains: heads.length, consultations: seal.count });
  return { day, chains: heads.length, digest: d.digest };
});
