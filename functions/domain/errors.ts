/**
 * Errors named for what happened. Each class names a domain fact (`AlreadyDecided`, `ApprovalExpired`,
 * `WrongStage`, ...) and belongs to a family that says how a caller should take it; http/problem.ts maps each
 * family to its answer (status, type, title), in one place. A workflow step's failure keeps its name, which the
 * ASL's retriers and catches and the supervisors' fault queue tell apart. Names are written out, not taken from
 * the class, so that minified bundles keep them. Messages are shown to users: they name the rule, never
 * personal data.
 */
export type FieldError = { path: string; message: string };

export type ErrorFamily =
  | 'Invalid'
  | 'NotAuthenticated'
  | 'NotAllowed'
  | 'NotFound'
  | 'Conflict'
  | 'Gone'
  | 'TooLarge'
  | 'UnsupportedMediaType';

export abstract class DomainError extends Error {
  abstract override readonly name: string;
  abstract readonly kind: ErrorFamily;
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
    /** For a refusal: why, as a code for the audit trail (see domain/access.ts RefusalCode); for a busy case, BUSY. */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The input breaks a rule: every invalid field listed. */
export class InvalidInput extends DomainError {
  override readonly name = 'InvalidInput';
  readonly kind = 'Invalid';
}
/** No valid credentials came with the request. */
export class NotAuthenticated extends DomainError {
  override readonly name = 'NotAuthenticated';
  readonly kind = 'NotAuthenticated';
}
/** An access rule refused the caller (domain/access.ts); `code` says which. */
export class Refused extends DomainError {
  override readonly name = 'Refused';
  readonly kind = 'NotAllowed';
}
/** The case is not the caller's to act on: another officer owns it. */
export class NotYourCase extends DomainError {
  override readonly name = 'NotYourCase';
  readonly kind = 'NotAllowed';
}
/** A second person must do this: the caller opened the case or proposed what is decided. */
export class TwoPersonRule extends DomainError {
  override readonly name = 'TwoPersonRule';
  readonly kind = 'NotAllowed';
}
/** The record does not exist, or the caller may not know it does. */
export class NoSuchRecord extends DomainError {
  override readonly name = 'NoSuchRecord';
  readonly kind = 'NotFound';
}
/** The case is at a stage where this cannot be done (a closed case among them). */
export class WrongStage extends DomainError {
  override readonly name = 'WrongStage';
  readonly kind = 'Conflict';
}
/** The approval, consideration, fault or record was already decided, answered or recorded. */
export class AlreadyDecided extends DomainError {
  override readonly name = 'AlreadyDecided';
  readonly kind = 'Conflict';
}
/** Nothing of this kind is awaited on the case (no outcome, update, handover or return is owed). */
export class NothingAwaited extends DomainError {
  override readonly name = 'NothingAwaited';
  readonly kind = 'Conflict';
}
/** What is recorded must follow what came before, and does not (an outcome after the track ended, a close with tasks open). */
export class OutOfOrder extends DomainError {
  override readonly name = 'OutOfOrder';
  readonly kind = 'Conflict';
}
/** An open case with the same crime reference exists in the force. */
export class DuplicateCase extends DomainError {
  override readonly name = 'DuplicateCase';
  readonly kind = 'Conflict';
}
/** The case changed under this request (others wrote it meanwhile); another try may go through. */
export class ChangedMeanwhile extends DomainError {
  override readonly name = 'ChangedMeanwhile';
  readonly kind = 'Conflict';
}
/** The channel was recorded unsafe: it is used again only once its details change and are verified. */
export class ChannelUnsafe extends DomainError {
  override readonly name = 'ChannelUnsafe';
  readonly kind = 'Conflict';
}
/** The communications data authorisation has expired: nothing is requested until gate 1 renews it. */
export class AuthorisationExpired extends DomainError {
  override readonly name = 'AuthorisationExpired';
  readonly kind = 'Conflict';
  constructor(
    message = 'the communications data authorisation has expired: no request may be sent until it is renewed',
  ) {
    super(message);
  }
}
/** The approval was withdrawn before it was decided (the victim declined, a closure was proposed). */
export class ApprovalWithdrawn extends DomainError {
  override readonly name = 'ApprovalWithdrawn';
  readonly kind = 'Conflict';
}
/** The approval passed its due time and was escalated to a higher rank. */
export class ApprovalExpired extends DomainError {
  override readonly name = 'ApprovalExpired';
  readonly kind = 'Gone';
  constructor(message = 'this approval passed its due time and was escalated to a higher rank') {
    super(message);
  }
}
/** The body is over the size a route takes. */
export class BodyTooLarge extends DomainError {
  override readonly name = 'BodyTooLarge';
  readonly kind = 'TooLarge';
}
/** The body comes in a content type the route does not take. */
export class UnsupportedMediaType extends DomainError {
  override readonly name = 'UnsupportedMediaType';
  readonly kind = 'UnsupportedMediaType';
}

export const invalid = (message: string, errors: FieldError[] = []) => new InvalidInput(message, errors);
export const notFound = (message: string) => new NoSuchRecord(message);

/**
 * A workflow step met a case that breaks what its place in the flow guarantees (a disclosure to send with none
 * approved): a defect, parked for a supervisor under this name rather than a bare `Error`.
 */
export class FlowInvariantBroken extends Error {
  override readonly name = 'FlowInvariantBroken';
}
