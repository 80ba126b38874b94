// The problem an answer reports: a code of the error table (error-codes.ts) with its status and title, the message,
// the fields that are wrong, and extra members (retryAfter, the rows of an import ...).
import { ERROR_CODES, errorRow, titleOf, type ErrorRow, type ErrorSource, type HttpErrorCode } from './error-codes.ts';

export interface FieldError {
  field: string;
  reason: string;
}

export class HttpProblem extends Error {
  readonly code: string;
  readonly status: number;
  readonly title: string;

  /** One of the edge's own codes; its status and title come from the table. */
  constructor(code: HttpErrorCode, message: string, readonly errors: FieldError[] = [], readonly extra: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    const row: ErrorRow = ERROR_CODES.http[code];
    this.status = row.status;
    this.title = row.title;
  }

  /**
   * A domain's code, through its row. A code without one (a test catches that) answers `fallback` rather than hide
   * what went wrong behind a 500.
   */
  static from(source: ErrorSource, code: string, message: string, errors: FieldError[] = [], extra: Record<string, unknown> = {}, fallback = 500): HttpProblem {
    return HttpProblem.withRow(errorRow(source, code) ?? { status: fallback, title: titleOf(fallback) }, code, message, errors, extra);
  }

  /** Fastify's own errors (FST_ERR_*, and HTTP_<status>), which keep the status Fastify gives them. */
  static framework(status: number, code: string, message: string): HttpProblem {
    return HttpProblem.withRow({ status, title: titleOf(status) }, code, message, [], {});
  }

  private static withRow(row: ErrorRow, code: string, message: string, errors: FieldError[], extra: Record<string, unknown>): HttpProblem {
    const p = new HttpProblem('INTERNAL', message, errors, extra);
    return Object.assign(p, { code, status: row.status, title: row.title });
  }
}
