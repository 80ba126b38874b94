// The stock capability's running services (built by capabilities/stock.ts), as its routes use them.
import type { StockReports, StockService } from '../../stock/index.ts';

export interface StockServices {
  service: StockService;
  reports: StockReports;
}
