export { readTable, openTable, ImportFileError, type RawTable, type RawRow, type ImportInput, type TableSource } from './read.ts';
export { prepareImport, prepareImportFrom, type PreparedImport, type ImportRecord, type RowProblem } from './prepare.ts';
export { mapColumns, IMPORT_FIELDS, type ImportField } from './columns.ts';
export { detectSwap } from './coordinates.ts';
export { importShelters, summaryLine, ImportRejected, type ImportOptions, type ImportSummary } from './run.ts';
