// Public face of the geo capability: regions and point -> region lookup.
export { RegionIndex } from './region-index.ts';
export { importRegionSource } from './import-source.ts';
export {
  parseRegionsGeoJson,
  regionsFromGeoJson,
  RegionImportError,
  NAME_FIELD_CANDIDATES,
  CODE_FIELD_CANDIDATES,
  WARNING_TIME_FIELD_CANDIDATES,
  PARENT_FIELD_CANDIDATES,
  type Region,
  type RegionFieldOptions,
  type RegionImportResult,
  type SkippedFeature,
  type MultiPolygonCoordinates,
} from './regions.ts';
export { pointInPolygon, pointInRing } from './point-in-polygon.ts';
export type { RegionRepository, RegionImportOutcome } from './ports.ts';
export { RegionCodeConflictError } from './ports.ts';
