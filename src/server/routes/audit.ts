// The audit log of one record for staff (issue 15): what each change did to which fields, newest first, from the
// hash-chained log the database writes with every change (src/audit, docs/audit.md).
import type { FastifyPluginAsync } from 'fastify';
import { AuditLogError, recordLog, type AuditStore } from '../../audit/index.ts';
import { HttpProblem } from '../problem.ts';

export interface AuditRouteOptions {
  audit: AuditStore;
}

const STAFF = ['admin', 'operator', 'approver'] as const;

export const auditRoutes: FastifyPluginAsync<AuditRouteOptions> = async (app, { audit }) => {
  app.get('/api/audit/:table/:key', {
    config: { roles: STAFF },
    schema: {
      summary: 'The audit log of one record (e.g. shelters and a shelter id): each change with the fields it changed, newest first; page back with before=SEQ',
      tags: ['audit'],
      params: { type: 'object', required: ['table', 'key'], properties: { table: { type: 'string', maxLength: 100 }, key: { type: 'string', maxLength: 1000 } } },
      querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 1000 }, before: { type: 'integer', minimum: 1 } } },
    },
  }, async (request) => {
    const { table, key } = request.params as { table: string; key: string };
    const q = request.query as { limit?: number; before?: number };
    try {
      return { table, key, entries: await recordLog(audit, table, key, { limit: q.limit ?? 100, ...(q.before !== undefined ? { beforeSeq: q.before } : {}) }) };
    } catch (err) {
      if (err instanceof AuditLogError) throw new HttpProblem('INVALID_REQUEST', err.message, [{ field: `params.${err.field}`, reason: err.message }]);
      throw err;
    }
  });
};
