/** Instants are ISO 8601 strings in UTC throughout. */
export const addSeconds = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

/** A deadline reached this very moment is missed. */
export const isOverdue = (dueAt: string, now: string) => Date.parse(dueAt) <= Date.parse(now);
