import { createRequire } from 'node:module';
import { sha256 } from '../domain/audit.js';
import type { IpEvent, NormalisedReturn } from '../domain/records.js';

/**
 * Node's zlib, loaded the first time a log is packed or read: a return whose
 * events all stay on its record has no log, and importing zlib with the
 * module cost the cold start of each handler that may read one some 5
 * million instructions (issue 18, npm run bench), used or not.
 */
const zlib = () => createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib');

/**
 * A platform's whole IP log, kept on its request compressed: 5,000 rows of
 * JSON would pass a DynamoDB item's 400 KB; compressed they are a fraction.
 */
export const packIpLog = (events: readonly IpEvent[]): Uint8Array =>
  zlib().gzipSync(JSON.stringify(events), { level: 9 });

/** Every IP event of a return: the whole log where one was kept, else the events on the record. */
export function ipLogOf(returned: NormalisedReturn): IpEvent[] {
  return returned.ipLog
    ? (JSON.parse(zlib().gunzipSync(returned.ipLog).toString('utf8')) as IpEvent[])
    : returned.ipEvents;
}

/** The return as the audit trail digests it: the compressed log by its hash. */
export const returnForDigest = (returned: NormalisedReturn) =>
  returned.ipLog ? { ...returned, ipLog: sha256(returned.ipLog) } : returned;
