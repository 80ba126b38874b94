// The audit capability: staff read the audit log of a record (the log itself is written by the store).
import type { Capability } from './capability.ts';
import { auditRoutes } from '../routes/audit.ts';

export const auditCapability: Capability = {
  name: 'audit',
  async routes(app, ctx) {
    await app.register(auditRoutes, { audit: ctx.store.audit });
  },
};
