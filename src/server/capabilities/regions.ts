// Regions and the CAP signing key: loads the regions into the in-memory RegionIndex (ctx.regions, which the alert
// capability reads on every use) and makes sure the signing key exists so its public half can be published.
import type { Capability } from './capability.ts';
import type { AppContext } from '../context.ts';
import { RegionIndex, importRegionSource, type Region, type RegionImportOutcome } from '../../geo/index.ts';
import { loadOrCreateSigningKey } from '../../alerts/signing/index.ts';
import { regionRoutes } from '../routes/regions.ts';

export function regionIndexOf(ctx: AppContext): RegionIndex {
  if (!ctx.regions) throw new Error('the regions capability has not started');
  return ctx.regions;
}

export function signingPublicKeyOf(ctx: AppContext): { keyId: string; publicKeyPem: string } {
  if (!ctx.signingPublicKey) throw new Error('the regions capability has not started');
  return ctx.signingPublicKey;
}

/** Stores a source's regions and swaps in a new index built from the whole table. */
export async function reloadRegions(ctx: AppContext, source: string, regions: Region[]): Promise<RegionImportOutcome> {
  const outcome = await importRegionSource(ctx.store.regions, source, regions);
  ctx.regions = new RegionIndex(await ctx.store.regions.all());
  return outcome;
}

export const regionsCapability: Capability = {
  name: 'regions',
  async start(ctx) {
    ctx.regions = new RegionIndex(await ctx.store.regions.all());
    const key = loadOrCreateSigningKey(ctx.paths.signingKeyDir);
    ctx.signingPublicKey = { keyId: key.keyId, publicKeyPem: key.publicKeyPem };
  },
  async routes(app, ctx) {
    await app.register(regionRoutes, {
      regionIndex: () => regionIndexOf(ctx),
      reload: (source, regions) => reloadRegions(ctx, source, regions),
      signingPublicKey: signingPublicKeyOf(ctx),
    });
  },
};
