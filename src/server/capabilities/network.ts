// The network capability: the street network service (services/network.ts) built at start from the graph file
// shared by every process, and the nearest-shelter and street-line routes.
import type { Capability } from './capability.ts';
import type { AppContext } from '../context.ts';
import { NetworkService } from '../../app/services/network.ts';
import { nearestRoutes } from '../routes/nearest.ts';
import { networkLinesRoutes } from '../routes/network-lines.ts';
import { placesRoutes } from '../routes/places.ts';

export { NetworkService } from '../../app/services/network.ts';

export function networkOf(ctx: AppContext): NetworkService {
  if (!ctx.network) throw new Error('the network capability has not started');
  return ctx.network;
}

export const networkCapability: Capability = {
  name: 'network',
  async start(ctx) {
    const service = new NetworkService({ registry: ctx.registry, networkFile: ctx.paths.networkFile });
    ctx.network = service;
    service.loadFromFile();
    void service.checkSource();
  },
  async routes(app, ctx) {
    const network = networkOf(ctx);
    await app.register(nearestRoutes, { network, registry: ctx.registry, reports: ctx.reports });
    await app.register(networkLinesRoutes, { graph: () => network.graph });
    await app.register(placesRoutes, { registry: ctx.registry, graph: () => network.graph, networkFile: ctx.paths.networkFile, regions: () => ctx.regions ?? null });
  },
  async stop(ctx) {
    await ctx.network?.settle();
    ctx.network?.stop();
  },
};

/** Demo step: the bundled Copenhagen extract (data/demo/kbh.osm.pbf), imported once and reused afterwards. */
export async function loadDemoNetwork(ctx: AppContext, log: (msg: string) => void, demoDir: string): Promise<void> {
  const report = await networkOf(ctx).importFile(`${demoDir}/kbh.osm.pbf`);
  if (report.rebuilt) log(`demo: built the Copenhagen walking network (${report.nodes} nodes, ${report.edges} edges) and its address search (${report.places.streets} streets, ${report.places.houses} house numbers) from kbh.osm.pbf`);
  if (report.places.error) log(`demo: the address search reads kbh.osm.pbf instead: ${report.places.error}`);
}
