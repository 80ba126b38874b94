// The stock capability: depots, items and the stock ledger over the SQLite store, and their HTTP routes.
// Issues to a shelter are checked against the registry; issues to a unit keep the unit's id as given (no foreign
// key: units are a separate capability, see docs/stock.md).
import type { Capability } from './index.ts';
import { StockReports, StockService } from '../../stock/index.ts';
import { SqliteStockRepository } from '../../store/sqlite/stock.ts';
import { stockRoutes } from '../routes/stock.ts';
import { depotRoutes } from '../routes/depots.ts';

export const stockCapability: Capability = {
  name: 'stock',
  async start(ctx) {
    const service = new StockService(new SqliteStockRepository(ctx.store.db), {
      shelterExists: (id) => { const s = ctx.registry.get(id); return !!s && !s.decommissionedAt; },
    });
    ctx.stock = { service, reports: new StockReports(service.repo, () => service.today()) };
  },
  async routes(app, ctx) {
    await depotRoutes(app, ctx);
    await stockRoutes(app, ctx);
  },
};
