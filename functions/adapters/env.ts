import { Misconfigured } from './failures.js';

/** Settings a function reads from its environment; a missing one is a deployment error, said plainly at first use. */
export function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Misconfigured(`environment variable ${name} is not set`);
  return value;
}

export const tables = {
  get cases() {
    return env('CASES_TABLE');
  },
  get audit() {
    return env('AUDIT_TABLE');
  },
  get consultations() {
    return env('CONSULTATIONS_TABLE');
  },
  get idempotency() {
    return env('IDEMPOTENCY_TABLE');
  },
};
