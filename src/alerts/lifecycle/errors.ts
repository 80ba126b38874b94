// Errors the lifecycle raises; the HTTP layer maps `kind` to a status code and `field` into the problem document.

export type LifecycleErrorKind = 'invalid' | 'forbidden' | 'not-found' | 'conflict';

export class LifecycleError extends Error {
  readonly kind: LifecycleErrorKind;
  /** The input field or rule at fault, e.g. "expires" or "two-person-rule". */
  readonly field: string | null;
  /** A specific problem code for the HTTP answer (e.g. IMPORT_SENDER_RESERVED); otherwise derived from `kind`. */
  readonly code: string | null;
  constructor(kind: LifecycleErrorKind, message: string, field: string | null = null, code: string | null = null) {
    super(message);
    this.name = 'LifecycleError';
    this.kind = kind;
    this.field = field;
    this.code = code;
  }
}

export const invalid = (field: string, message: string) => new LifecycleError('invalid', `${field}: ${message}`, field);
