import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { satisfies } from '../../functions/adapters/semverSatisfies.js';

// semver itself (jsonwebtoken's dependency, which ships no types here), to check the two agree.
const semver = createRequire(import.meta.url)('semver') as { satisfies: (v: string, r: string) => boolean };

describe("semver's satisfies for jsonwebtoken's ranges (in place of semver in a bundle)", () => {
  const ranges = ['>=15.7.0', '>=16.9.0', '^6.12.0 || >=8.0.0', '^0.4.2', '^0.0.3', '>=1.2.3||^0.9.0'];
  const versions = [
    process.version,
    'v6.11.9',
    'v6.12.0',
    'v6.99.1',
    'v7.0.0',
    'v7.10.1',
    'v8.0.0',
    'v15.6.9',
    'v15.7.0',
    'v16.8.99',
    'v16.9.0',
    'v16.10.0',
    'v20.20.2',
    'v22.0.0',
    '0.4.1',
    '0.4.2',
    '0.4.99',
    '0.5.0',
    '0.0.3',
    '0.0.4',
    'v23.0.0-nightly20240101',
    'v22.1.0+build.5',
    'not a version',
    '',
  ];

  it('answers as semver does', () => {
    for (const range of ranges)
      for (const version of versions)
        expect(satisfies(version, range), `${version} ${range}`).toBe(semver.satisfies(version, range));
  });

  it('fails loudly on a range it does not read', () => {
    for (const range of ['~1.2.3', '1.x', '>=1.2.3 <2.0.0', '<4.0.0', '*', ''])
      expect(() => satisfies('v20.0.0', range), range).toThrow(/is not bundled/);
  });
});
