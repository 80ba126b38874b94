// A CAP document that cannot be accepted or emitted; `code` says why, `element` says where.

export type CapErrorCode =
  | 'too-large' // over MAX_CAP_BYTES
  | 'doctype' // a DOCTYPE declaration (DTDs and entities are never processed)
  | 'entity' // an entity declaration or a reference other than the five predefined ones
  | 'not-well-formed' // not XML
  | 'not-cap' // root is not a CAP <alert>
  | 'unsupported-version' // a CAP namespace other than 1.1 / 1.2
  | 'schema' // fails the OASIS XSD
  | 'invalid-value'; // schema-valid but unusable (e.g. a malformed polygon), or not emittable

export class CapError extends Error {
  readonly code: CapErrorCode;
  /** Local name of the offending element, when known (e.g. "scope", "polygon"). */
  readonly element: string | null;
  readonly line: number | null;

  constructor(code: CapErrorCode, message: string, element: string | null = null, line: number | null = null) {
    super(message);
    this.name = 'CapError';
    this.code = code;
    this.element = element;
    this.line = line;
  }
}
