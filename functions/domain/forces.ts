import { policy } from './policy.js';
import { invalid } from './errors.js';

/** What a letter and an SMS say about the force: its name and the number a victim calls (101 is the UK police non-emergency number). */
export interface ForceProfile {
  name: string;
  phone: string;
  /** Stricter than the default (policy.crimeReferencePattern), when the force's own crime references have a fixed form. */
  crimeReference?: { pattern: RegExp; example: string };
}

export const FORCES: Record<string, ForceProfile> = {
  LOCAL: { name: 'Local Constabulary', phone: '101' },
};

export const forceProfile = (force: string): ForceProfile => FORCES[force] ?? { name: `${force} Police`, phone: '101' };

/**
 * A crime reference the force's own pattern refuses is a 400 naming
 * `crimeReference` (the default pattern and the SMS word rule are in the
 * request schema, which every force shares).
 */
export function checkCrimeReference(reference: string, profile: ForceProfile): void {
  const own = profile.crimeReference;
  if (own && !own.pattern.test(reference))
    throw invalid('the crime reference is not in the form this force uses', [
      { path: 'crimeReference', message: `must be in the form this force uses, e.g. ${own.example}` },
    ]);
  if (!policy.crimeReferencePattern.test(reference))
    throw invalid('the crime reference is not in the form references take', [
      { path: 'crimeReference', message: 'must be 3 to 30 capitals, digits, / and -' },
    ]);
}
