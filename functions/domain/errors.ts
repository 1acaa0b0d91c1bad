/**
 * Errors are values with a type; http/problem.ts maps each kind to a status.
 * Messages are shown to users: they name the rule, never personal data.
 */
export type FieldError = { path: string; message: string };

export class DomainError extends Error {
  constructor(
    readonly kind:
      | 'Invalid'
      | 'NotAuthenticated'
      | 'NotAllowed'
      | 'NotFound'
      | 'Conflict'
      | 'Gone'
      | 'TooLarge'
      | 'UnsupportedMediaType',
    message: string,
    readonly errors: FieldError[] = [],
    /** For a refusal: why, as a code for the audit trail (see domain/access.ts RefusalCode). */
    readonly code?: string,
  ) {
    super(message);
    this.name = kind;
  }
}

export const invalid = (message: string, errors: FieldError[] = []) => new DomainError('Invalid', message, errors);
export const notAllowed = (message: string, code?: string) => new DomainError('NotAllowed', message, [], code);
export const notFound = (message: string) => new DomainError('NotFound', message);
export const conflict = (message: string) => new DomainError('Conflict', message);
export const gone = (message: string) => new DomainError('Gone', message);
