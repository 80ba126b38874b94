// Every error code the API answers with, and its HTTP status and title: one table, as Fastify keeps one for its own
// errors (FST_ERR_*, which pass through with the status Fastify gives them). A row is (source, code, status, title):
// `http` are the edge's own codes (thrown as HttpProblem), the others the codes of each domain's errors, which the
// one error handler (problem.ts) maps through this table. The `satisfies` clause makes the compiler refuse a domain
// code without a row. Two codes mean different things in two domains and keep their statuses there (USER_NOT_FOUND:
// an account looked up, 404, or a user named in a unit member's input, 400; ACCOUNT_INACTIVE: an API token's owner
// at sign-in, 401, or an account acted on, 403). The title is the status's, as problem documents have always had it.
import type { AccountErrorCode } from '../accounts/accounts.ts';
import type { RegistryError } from '../registry/index.ts';
import type { ReportError } from '../reports/index.ts';
import type { UnitErrorCode } from '../units/index.ts';
import type { StockErrorCode } from '../stock/index.ts';
import type { CapErrorCode } from '../alerts/index.ts';

/** The title of each status, the `title` member of a problem document. */
export const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad request', 401: 'Not signed in', 403: 'Forbidden', 404: 'Not found', 409: 'Conflict', 413: 'Too large',
  415: 'Unsupported media type', 422: 'Unprocessable content', 428: 'Precondition required', 429: 'Too many requests', 500: 'Internal error',
  503: 'Service unavailable',
};

export function titleOf(status: number): string {
  return STATUS_TITLES[status] ?? 'Error';
}

export interface ErrorRow {
  status: number;
  title: string;
}

const row = (status: number): ErrorRow => ({ status, title: titleOf(status) });

/** CAP parse errors as the API names them: CAP_ and the code in capitals (CAP_NOT_WELL_FORMED). */
type Snake<S extends string> = S extends `${infer A}-${infer B}` ? `${A}_${Snake<B>}` : S;
export type CapProblemCode = `CAP_${Uppercase<Snake<CapErrorCode>>}`;

export const ERROR_CODES = {
  http: {
    // Requests
    INVALID_REQUEST: row(400), INVALID_IF_MATCH: row(400), IF_MATCH_REQUIRED: row(428), UNSUPPORTED_MEDIA_TYPE: row(415),
    NOT_FOUND: row(404), RATE_LIMITED: row(429), INTERNAL: row(500), STORE_UNAVAILABLE: row(503),
    // Who is calling
    NOT_SIGNED_IN: row(401), INVALID_TOKEN: row(401), ACCOUNT_INACTIVE: row(401), BAD_CREDENTIALS: row(401), TOO_MANY_ATTEMPTS: row(429),
    ROLE_NOT_ALLOWED: row(403), CROSS_SITE: row(403), METRICS_NOT_ALLOWED: row(403), ACCOUNT_PENDING: row(403),
    PASSWORD_CHANGE_REQUIRED: row(403), INVALID_PASSWORD: row(400), USER_NOT_FOUND: row(404),
    // Shelters, wardens, reports
    SHELTER_NOT_FOUND: row(404), PHOTO_NOT_FOUND: row(404), PHOTO_TOO_LARGE: row(413), TOO_MANY_PHOTOS: row(409), NOT_A_WARDEN: row(400), NOT_ASSIGNED: row(404), NOT_YOUR_SHELTER: row(403),
    IMPORT_FAILED: row(400), IMPORT_REJECTED: row(422), BAD_FILE: row(400),
    // Regions, network, planning
    INVALID_REGIONS: row(400), REGION_CODE_CONFLICT: row(409), UNKNOWN_REGION: row(400), NO_REGIONS: row(400), NO_NETWORK: row(404),
    NO_POPULATION: row(409), JOB_NOT_FOUND: row(404), NO_PLAN: row(404), OUTSIDE_PLAN: row(404), PLAN_FAILED: row(422), PLANNING_BUSY: row(429), JOB_NOT_QUEUED: row(409),
    // Alerts and push
    ALERT_NOT_FOUND: row(404), ALERT_NOT_DELIVERED: row(404), CAP_NOT_ISSUED: row(404), INVALID_SUBSCRIPTION: row(400),
    // Units and stock
    NOT_A_MEMBER: row(404), DEPOT_NOT_FOUND: row(404), MOVEMENT_NOT_FOUND: row(404), TRANSFER_NOT_FOUND: row(404), COUNT_NOT_FOUND: row(404),
  },
  registry: { SHELTER_NOT_FOUND: row(404), VERSION_CONFLICT: row(409), INVALID_SHELTER: row(400), DECOMMISSIONED: row(409) },
  accounts: {
    INVALID_USER: row(400), INVALID_PASSWORD: row(400), INVALID_EXPIRY: row(400), USER_EXISTS: row(409), USER_NOT_FOUND: row(404), TOKEN_NOT_FOUND: row(404),
    WRONG_PASSWORD: row(403), TOKEN_FOR_OTHER_USER: row(403), NOT_ADMIN: row(403), NOT_ON_YOURSELF: row(403), SECOND_ADMIN_REQUIRED: row(403),
    ACCOUNT_INACTIVE: row(403), NOT_PENDING: row(409), OWNER_PASSWORD_NOT_SET: row(409), ACCOUNT_CHANGED: row(409), FRESH_SIGN_IN_REQUIRED: row(403),
  },
  reports: { INVALID_REPORT: row(400), SHELTER_NOT_FOUND: row(404), REPORT_NOT_FOUND: row(404), ALREADY_RESOLVED: row(409), TOO_MANY_REPORTS: row(429) },
  units: {
    INVALID_INPUT: row(400), UNIT_NOT_FOUND: row(404), MEMBER_NOT_FOUND: row(404), CALLUP_NOT_FOUND: row(404), REGION_NOT_FOUND: row(404), USER_NOT_FOUND: row(400),
    NOT_CALLED_UP: row(400), CALLUP_ENDED: row(409), DEADLINE_PASSED: row(409), NOT_YOUR_MEMBER: row(403), LINK_INVALID: row(403), LINK_EXPIRED: row(410),
    NO_MEMBERS: row(400), CHANGE_NOT_FOUND: row(404), CHANGE_DECIDED: row(409), SAME_PERSON: row(403), CONFLICT: row(409),
  },
  stock: {
    INVALID_DEPOT: row(400), INVALID_ITEM: row(400), INVALID_MOVEMENT: row(400), INVALID_QUANTITY: row(400),
    DEPOT_NOT_FOUND: row(404), ITEM_NOT_FOUND: row(404), MOVEMENT_NOT_FOUND: row(404), TRANSFER_NOT_FOUND: row(404), COUNT_NOT_FOUND: row(404),
    SHELTER_NOT_FOUND: row(404), UNIT_NOT_FOUND: row(404),
    // The ledger refuses (stock/errors.ts CONFLICT_CODES); a lot that does not exist is one of those, not a missing record.
    DUPLICATE: row(409), INSUFFICIENT_STOCK: row(409), LOT_EXPIRED: row(409), LOT_NOT_FOUND: row(409), LOT_EXPIRY_MISMATCH: row(409),
    ALREADY_REVERSED: row(409), NOT_REVERSIBLE: row(409), TRANSFER_NOT_IN_TRANSIT: row(409), COUNT_NOT_OPEN: row(409),
  },
  /** The alert lifecycle: a code of its own, or ALERT_ and its kind (invalid, forbidden, not-found, conflict). */
  alerts: {
    ALERT_INVALID: row(400), ALERT_FORBIDDEN: row(403), ALERT_NOT_FOUND: row(404), ALERT_CONFLICT: row(409), TWO_PERSON_RULE: row(403),
    IMPORT_SENDER_RESERVED: row(403), IMPORT_FOREIGN_REFERENCE: row(409), CAP_SIGNATURE_INVALID: row(422),
    OUTSIDE_JURISDICTION: row(403),
  },
  cap: {
    CAP_TOO_LARGE: row(413), CAP_DOCTYPE: row(400), CAP_ENTITY: row(400), CAP_NOT_WELL_FORMED: row(400), CAP_NOT_CAP: row(400),
    CAP_UNSUPPORTED_VERSION: row(400), CAP_SCHEMA: row(422), CAP_INVALID_VALUE: row(422),
  },
} as const satisfies {
  http: Record<string, ErrorRow>;
  registry: Record<RegistryError['code'], ErrorRow>;
  accounts: Record<AccountErrorCode, ErrorRow>;
  reports: Record<ReportError['code'], ErrorRow>;
  units: Record<UnitErrorCode, ErrorRow>;
  stock: Record<StockErrorCode, ErrorRow>;
  alerts: Record<string, ErrorRow>;
  cap: Record<CapProblemCode, ErrorRow>;
};

export type ErrorSource = keyof typeof ERROR_CODES;
/** A code the edge itself answers with (HttpProblem). */
export type HttpErrorCode = keyof typeof ERROR_CODES.http;

/** The row of a code, or null when the table has none (then the caller's fallback applies, and a test fails). */
export function errorRow(source: ErrorSource, code: string): ErrorRow | null {
  return (ERROR_CODES[source] as Record<string, ErrorRow>)[code] ?? null;
}
