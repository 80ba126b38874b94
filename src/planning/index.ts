// Planning: population, exact capacitated coverage and assignment, "your place", siting and what-if.
export { parsePopulation, PopulationImportError, POPULATION_FIELD_CANDIDATES, type PopulationCell, type ParsedPopulation, type PopulationProblem } from './population.ts';
export { solveAssignment, type AssignmentProblem, type AssignmentSolution } from './assignment.ts';
export { networkSimplex, type FlowNetwork, type FlowResult } from './simplex.ts';
export { computePlan, preparePlan, planShelters, COST_UNITS_PER_SECOND, DEFAULT_DETOUR, type PlanInputs, type PlanOptions, type PlanResult, type WhatIf, type Assignment, type RegionTotals, type Totals } from './plan.ts';
export { computeSiting, type SitingOptions, type SitingResult, type Site, type Candidate } from './siting.ts';
export { registryVersion, staleness, type Staleness } from './versions.ts';
export { runPlanJob, type PlanJob, type JobProgress } from './run.ts';
export type { PopulationRepository, PopulationVersion, PlanRepository, StoredPlan, StoredAssignment } from './ports.ts';
export { ESTIMATE_FORMAT } from './ports.ts';
export { estimateFromBuildings, ringAreaM2, RESIDENTIAL_BUILDINGS, DEFAULT_FLOOR_M2_PER_RESIDENT, type OsmBuilding, type BuildingEstimate } from './building-estimate.ts';
export { readOsmBuildings, PbfFormatError, type OsmBuildings } from './osm-buildings.ts';
