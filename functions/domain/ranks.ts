export const RANKS = ['constable', 'sergeant', 'inspector', 'chief_inspector', 'superintendent'] as const;
export type Rank = (typeof RANKS)[number];

export function rankIndex(rank: Rank): number {
  return RANKS.indexOf(rank);
}

export function atLeast(rank: Rank | undefined, minimum: Rank): boolean {
  return rank !== undefined && rankIndex(rank) >= rankIndex(minimum);
}

/** One rank up, or undefined at the top: a superintendent's approval stays and shows overdue. */
export function rankAbove(rank: Rank): Rank | undefined {
  return RANKS[rankIndex(rank) + 1];
}

export function isRank(value: unknown): value is Rank {
  return typeof value === 'string' && (RANKS as readonly string[]).includes(value);
}
