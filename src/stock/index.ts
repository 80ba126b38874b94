// Depots and stock: the public face of the capability.
export * from './model.ts';
export * from './errors.ts';
export * from './ports.ts';
export * from './ledger.ts';
export { StockService, movementView, transferView, countView, showQuantity, type StockLookups } from './service.ts';
export { StockReports, reportToCsv, type Report } from './reports.ts';
export { importCatalogue, importOpeningBalances, catalogueToCsv, openingBalancesToCsv, StockImportRejected, ImportFileError, type ImportProblem } from './import.ts';
