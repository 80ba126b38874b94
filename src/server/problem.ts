// Errors as RFC 9457 problem documents with a stable `code`, and the field that is wrong where there is one. The one
// error handler: codes, statuses and titles come from the error table (error-codes.ts); domain errors are mapped by
// domain-problems.ts; Fastify's own errors keep the status Fastify gives them.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isStoreUnavailable } from '../store/store.ts';
import { HttpProblem } from './problem-type.ts';
import { domainProblem } from './domain-problems.ts';

export { HttpProblem, type FieldError } from './problem-type.ts';

export function toProblem(err: unknown): HttpProblem {
  if (err instanceof HttpProblem) return err;
  const domain = domainProblem(err);
  if (domain) return domain;
  const fe = err as FastifyError & { validation?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown>; keyword: string }>; validationContext?: string };
  if (fe.validation) {
    const errors = fe.validation.map((v) => {
      const extra = v.keyword === 'required' ? String(v.params?.missingProperty) : v.keyword === 'additionalProperties' ? String(v.params?.additionalProperty) : '';
      const path = [fe.validationContext, ...v.instancePath.split('/').filter(Boolean), extra].filter(Boolean).join('.');
      return { field: path, reason: v.keyword === 'additionalProperties' ? 'is not a known field' : v.message ?? v.keyword };
    });
    return new HttpProblem('INVALID_REQUEST', `Invalid ${errors[0]?.field ?? 'request'}: ${errors[0]?.reason ?? ''}`, errors);
  }
  if (isStoreUnavailable(err)) {
    return new HttpProblem('STORE_UNAVAILABLE', 'The database cannot be reached right now: nothing was saved or sent. Try again in a few seconds.', [], { retryAfter: 5 });
  }
  const status = typeof fe.statusCode === 'number' && fe.statusCode >= 400 ? fe.statusCode : 500;
  if (status === 500) return new HttpProblem('INTERNAL', 'Something went wrong on the server; it has been logged');
  return HttpProblem.framework(status, fe.code ?? 'HTTP_' + status, fe.message);
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
      title: p.title,
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
