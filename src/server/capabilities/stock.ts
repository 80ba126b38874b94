// The stock capability: depots, items and the stock ledger over the store, and their HTTP routes.
// Issues to a shelter are checked against the registry. Issues to a unit are checked against the units capability
// when it runs in this server (ctx.units); without it the unit's id is kept as given. There is no foreign key either
// way: units are a separate capability (docs/stock.md).
import { started, type Capability } from './capability.ts';
import { StockReports, StockService } from '../../stock/index.ts';
import { stockRoutes } from '../routes/stock.ts';
import { depotRoutes } from '../routes/depots.ts';

export const stockCapability: Capability = {
  name: 'stock',
  async start(ctx) {
    const service = new StockService(ctx.store.stock, {
      shelterExists: (id) => { const s = ctx.registry.get(id); return !!s && !s.decommissionedAt; },
      unitExists: async (id) => {
        if (!ctx.units) return true;
        try {
          await ctx.units.units.unit(id);
          return true;
        } catch (e) {
          if ((e as { code?: string }).code === 'UNIT_NOT_FOUND') return false;
          throw e;
        }
      },
    });
    ctx.stock = { service, reports: new StockReports(service.repo, () => service.today()) };
  },
  async routes(app, ctx) {
    const stock = started(ctx.stock, 'the stock capability');
    await app.register(depotRoutes, { stock });
    await app.register(stockRoutes, { stock });
  },
};
