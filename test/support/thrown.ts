import { DomainError } from '../../functions/domain/errors.js';

/** The DomainError a call throws; fails if it throws nothing or something else. */
export function thrownBy(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}
