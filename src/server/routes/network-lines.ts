// The walkable street lines of the loaded network, for the web app: it draws its own base map from them when no
// tile server is reachable, and keeps them (service worker cache) for the offline nearest-shelter search.
import type { FastifyPluginAsync } from 'fastify';
import type { Graph } from '../../network/index.ts';
import { HttpProblem } from '../problem.ts';
import { Precompressed } from '../precompressed.ts';

export interface LinesCollection {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; properties: { class: number }; geometry: { type: 'MultiLineString'; coordinates: number[][][] } }>;
  bbox: [number, number, number, number];
}

const PRECISION = 1e5; // 5 decimals: about a metre, plenty for drawing and for an offline estimate

/** Every edge's geometry as lines, one MultiLineString per edge class, optionally only edges touching bbox. */
export function graphToLines(g: Graph, bbox?: [number, number, number, number]): LinesCollection {
  const byClass = new Map<number, number[][][]>();
  const round = (v: number) => Math.round((v / 1e7) * PRECISION) / PRECISION;
  for (let e = 0; e < g.edgeCount; e++) {
    const start = g.geomOffset[e];
    const end = g.geomOffset[e + 1];
    const line: number[][] = [];
    let inside = !bbox;
    for (let i = start; i < end; i++) {
      const lon = round(g.geomLon[i]);
      const lat = round(g.geomLat[i]);
      if (!inside && lon >= bbox![0] && lon <= bbox![2] && lat >= bbox![1] && lat <= bbox![3]) inside = true;
      const prev = line[line.length - 1];
      if (!prev || prev[0] !== lon || prev[1] !== lat) line.push([lon, lat]);
    }
    if (!inside || line.length < 2) continue;
    const cls = g.edgeClass[e];
    const list = byClass.get(cls);
    if (list) list.push(line);
    else byClass.set(cls, [line]);
  }
  return {
    type: 'FeatureCollection',
    bbox: g.meta.bbox,
    features: [...byClass].map(([cls, coordinates]) => ({ type: 'Feature', properties: { class: cls }, geometry: { type: 'MultiLineString', coordinates } })),
  };
}

export interface NetworkLinesRouteOptions {
  /** The network in use now (null when none is imported). */
  graph: () => Graph | null;
}

/** GET /api/network/lines. */
export const networkLinesRoutes: FastifyPluginAsync<NetworkLinesRouteOptions> = async (app, { graph }) => {
  // The whole network's lines, encoded once per network: a phone opening the map gets a buffer copy, not a 1 MB
  // serialisation and brotli on the event loop that the alert streams share.
  let cached: { graph: Graph; doc: Precompressed } | null = null;
  app.get('/api/network/lines', {
    schema: {
      summary: 'Walkable street lines of the loaded network (GeoJSON), for the offline base map and search', tags: ['network'],
      querystring: { type: 'object', additionalProperties: false, properties: { bbox: { type: 'string', pattern: '^-?[\\d.]+,-?[\\d.]+,-?[\\d.]+,-?[\\d.]+$' } } },
      response: { 404: { $ref: 'Problem#' } },
    },
  }, async (request, reply) => {
    const g = graph();
    if (!g) throw new HttpProblem('NO_NETWORK', 'No street network is loaded (import one with `refuge import network`)');
    const q = request.query as { bbox?: string };
    const etag = `"${g.meta.sourceSha256.slice(0, 16)}-${q.bbox ?? 'all'}"`;
    reply.type('application/geo+json; charset=utf-8').header('cache-control', 'no-cache');
    if (q.bbox) {
      const b = q.bbox.split(',').map(Number) as [number, number, number, number];
      if (b[0] > b[2] || b[1] > b[3]) throw new HttpProblem('INVALID_REQUEST', 'bbox must be minLon,minLat,maxLon,maxLat', [{ field: 'querystring.bbox', reason: 'min must not exceed max' }]);
      reply.header('etag', etag);
      return JSON.stringify(graphToLines(g, b));
    }
    if (cached?.graph !== g) cached = { graph: g, doc: new Precompressed(JSON.stringify(graphToLines(g)), etag) };
    return cached.doc.send(request, reply);
  });
};
