export * from './shelter.ts';
export * from './ports.ts';
export * from './errors.ts';
export * from './validate.ts';
export * from './occupancy.ts';
export { ShelterRegistry, type ShelterQuery, type ShelterPage } from './registry.ts';
export type { BBox } from './spatial.ts';
export * from './export.ts';
