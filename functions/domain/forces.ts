/** What a letter and an SMS say about the force: its name and the number a victim calls (101 is the UK police non-emergency number). */
export interface ForceProfile {
  name: string;
  phone: string;
}

export const FORCES: Record<string, ForceProfile> = {
  LOCAL: { name: 'Local Constabulary', phone: '101' },
};

export const forceProfile = (force: string): ForceProfile => FORCES[force] ?? { name: `${force} Police`, phone: '101' };
