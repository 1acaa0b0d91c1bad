/**
 * semver's `satisfies` for the ranges jsonwebtoken asks about, in place of
 * semver in a bundle (infra/constructs/bundling.ts): the Notify client signs
 * its requests with jsonwebtoken, which asks at load whether Node's version
 * is at least 15.7.0, 16.9.0, or `^6.12.0 || >=8.0.0`. semver itself is
 * about 20 kB and compiles some forty regular expressions at load (about
 * 30 ms of a cold start). Ranges here are `||` alternatives of one
 * comparator each, `>=X.Y.Z` or `^X.Y.Z`; any other range throws, saying
 * why. As semver without `includePrerelease`, a prerelease version (a
 * nightly Node) satisfies none of them.
 */

import { NotBundled } from './notBundled.js';

type Version = readonly [number, number, number];

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const COMPARATOR = /^(>=|\^)(\d+)\.(\d+)\.(\d+)$/;

const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

function comparator(text: string, range: string): (v: Version) => boolean {
  const m = COMPARATOR.exec(text.trim());
  if (!m) throw new NotBundled(`semver range "${range}" is not bundled (functions/adapters/semverSatisfies.ts)`);
  const base: Version = [Number(m[2]), Number(m[3]), Number(m[4])];
  if (m[1] === '>=') return (v) => compare(v, base) >= 0;
  // ^X.Y.Z: at least X.Y.Z, below the next change of its first non-zero part.
  const upper: Version = base[0] > 0 ? [base[0] + 1, 0, 0] : base[1] > 0 ? [0, base[1] + 1, 0] : [0, 0, base[2] + 1];
  return (v) => compare(v, base) >= 0 && compare(v, upper) < 0;
}

export function satisfies(version: string, range: string): boolean {
  const alternatives = range.split('||').map((part) => comparator(part, range));
  const m = VERSION.exec(version.trim());
  if (!m || m[4]) return false;
  const v: Version = [Number(m[1]), Number(m[2]), Number(m[3])];
  return alternatives.some((test) => test(v));
}

export default { satisfies };
