/**
 * What an adapter meets that no retry cures, each named for what is wrong (a workflow step's failure keeps its
 * name on the supervisors' fault queue, and in the logs). Names are written out so that minified bundles keep them.
 */

/** The deployment lacks something the function needs: an environment variable, a secret, or a secret too short. */
export class Misconfigured extends Error {
  override readonly name = 'Misconfigured';
}
/** A stored task token is not in the sealed form, or does not open with the key. */
export class SealedTokenUnreadable extends Error {
  override readonly name = 'SealedTokenUnreadable';
}
/** An event was not published: no schema of its version, or EventBridge refused the entry. */
export class EventRejected extends Error {
  override readonly name = 'EventRejected';
}
/** The letter font file is not a WOFF this reader can convert. */
export class FontUnreadable extends Error {
  override readonly name = 'FontUnreadable';
}
/** A daily digest S3 listed cannot be read: under Object Lock a digest does not go away, so the store is not as written. */
export class DigestUnreadable extends Error {
  override readonly name = 'DigestUnreadable';
}
