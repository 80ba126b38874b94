// The reports capability: residents report shelters as locked, closed or missing; staff decide.
import { started, type Capability } from './capability.ts';
import { ReportService } from '../../reports/index.ts';
import { reportRoutes } from '../routes/reports.ts';

export const reportsCapability: Capability = {
  name: 'reports',
  async start(ctx) {
    ctx.reports = new ReportService(ctx.store.reports, ctx.registry);
  },
  async routes(app, ctx) {
    await app.register(reportRoutes, { reports: started(ctx.reports, 'the reports capability'), registry: ctx.registry });
  },
};
