// Errors as RFC 9457 problem documents with a stable `code`, and the field that is wrong where there is one.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError } from '../registry/index.ts';
import { AccountError } from '../accounts/index.ts';
import { isStoreUnavailable } from '../store/store.ts';

export interface FieldError {
  field: string;
  reason: string;
}

export class HttpProblem extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly errors: FieldError[] = [], readonly extra: Record<string, unknown> = {}) {
    super(message);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad request', 401: 'Not signed in', 403: 'Forbidden', 404: 'Not found', 409: 'Conflict', 413: 'Too large',
  415: 'Unsupported media type', 422: 'Unprocessable content', 428: 'Precondition required', 429: 'Too many requests', 500: 'Internal error',
  503: 'Service unavailable',
};

const REGISTRY_STATUS: Record<RegistryError['code'], number> = { SHELTER_NOT_FOUND: 404, VERSION_CONFLICT: 409, INVALID_SHELTER: 400, DECOMMISSIONED: 409 };

export function toProblem(err: unknown): HttpProblem {
  if (err instanceof HttpProblem) return err;
  if (err instanceof RegistryError) return new HttpProblem(REGISTRY_STATUS[err.code], err.code, err.message, err.problems);
  if (err instanceof AccountError) return new HttpProblem(err.status, err.code, err.message, err.field ? [{ field: err.field, reason: err.message }] : []);
  const fe = err as FastifyError & { validation?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown>; keyword: string }>; validationContext?: string };
  if (fe.validation) {
    const errors = fe.validation.map((v) => {
      const extra = v.keyword === 'required' ? String(v.params?.missingProperty) : v.keyword === 'additionalProperties' ? String(v.params?.additionalProperty) : '';
      const path = [fe.validationContext, ...v.instancePath.split('/').filter(Boolean), extra].filter(Boolean).join('.');
      return { field: path, reason: v.keyword === 'additionalProperties' ? 'is not a known field' : v.message ?? v.keyword };
    });
    return new HttpProblem(400, 'INVALID_REQUEST', `Invalid ${errors[0]?.field ?? 'request'}: ${errors[0]?.reason ?? ''}`, errors);
  }
  if (isStoreUnavailable(err)) {
    return new HttpProblem(503, 'STORE_UNAVAILABLE', 'The database cannot be reached right now: nothing was saved or sent. Try again in a few seconds.', [], { retryAfter: 5 });
  }
  const status = typeof fe.statusCode === 'number' && fe.statusCode >= 400 ? fe.statusCode : 500;
  if (status === 500) return new HttpProblem(500, 'INTERNAL', 'Something went wrong on the server; it has been logged');
  return new HttpProblem(status, fe.code ?? 'HTTP_' + status, fe.message);
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const p = toProblem(err);
  if (p.status >= 500) request.log.error({ err }, 'request failed');
  // Every 429 says when to come back (a client that is not told retries at once).
  if ((p.status === 429 || p.status === 503) && !reply.hasHeader('retry-after')) {
    const wait = Number(p.extra.retryAfter);
    reply.header('retry-after', String(Number.isFinite(wait) && wait > 0 ? Math.ceil(wait) : 60));
  }
  return reply
    .code(p.status)
    .type('application/problem+json')
    .send({
      type: `urn:refuge:problem:${p.code.toLowerCase().replace(/_/g, '-')}`,
      title: TITLES[p.status] ?? 'Error',
      status: p.status,
      detail: p.message,
      code: p.code,
      instance: request.url,
      ...(p.errors.length ? { field: p.errors[0].field, errors: p.errors } : {}),
      ...p.extra,
    });
}

export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem document',
  properties: {
    type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
    code: { type: 'string' }, instance: { type: 'string' }, field: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, reason: { type: 'string' } } } },
  },
  additionalProperties: true,
} as const;
