// The street network capability: OSM extract -> walking graph -> nearest reachable shelters, labels, routes.
export { DEFAULT_FOOT_PROFILE, EDGE_CLASS, classifyWay, type FootProfile } from './profile.ts';
export { readOsmExtract, PbfFormatError } from './pbf-reader.ts';
export { buildGraph, assembleGraph, islandReport, EmptyNetworkError, type Graph, type GraphMeta } from './graph.ts';
export { saveGraph, loadGraph, readGraphHeader, GraphFileError } from './graph-file.ts';
export { buildNetworkFromPbf, importNetwork, isNetworkCurrent, networkFileFor, sha256File, type ImportReport, type BuildOptions } from './import.ts';
export { EdgeSnapper, type Snap } from './snap.ts';
export { ShelterRouter, straightLineNearest, DEFAULT_K, MAX_K, type NearestOptions, type NearestResult, type NearestItem, type LatLon, type LineString, type RouterOptions, type PreparedRouter } from './router.ts';
export { CoverageLabels } from './labels.ts';
export { buildNetworkInWorker, prepareRouterInWorker } from './build-worker.ts';
export { gridGraph, type GridOptions } from './generate.ts';
export { placesFileFor, readPlacesFile, readPlacesAndReport, savePlacesFile, PlacesFileError, PLACES_FILE_VERSION, type PlacesFile } from './places-file.ts';
export {
  readPlacesFromPbf, readPlacesInWorker, streetPlacesFromPbf, type PlacesRead, type PlacesReport, type StreetPlace, type HouseNumber,
} from './street-names.ts';
