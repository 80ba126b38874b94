// Keeps a running server true to its store when another process writes to it: another `refuge serve` sharing
// PostgreSQL, `refuge import shelters|regions` or a warden assignment from the CLI reach the map, the nearest-shelter
// search and the alert regions within a second or two, without a restart. The store's change feed says what changed
// (SQLite: a poll of PRAGMA data_version; PostgreSQL: LISTEN/NOTIFY).
import type { Capability } from './capability.ts';
import type { AppContext } from '../context.ts';
import type { StoreChanges } from '../../store/store.ts';
import { RegionIndex } from '../../geo/index.ts';

const unsubscribers = new WeakMap<AppContext, () => Promise<void>>();

export async function applyExternalChanges(ctx: AppContext, changes: StoreChanges): Promise<void> {
  if (changes.shelters === 'many') await ctx.registry.load();
  else if (changes.shelters.length) await ctx.registry.refresh(changes.shelters);
  if (changes.wardens) await ctx.registry.refreshWardens();
  if (changes.regions && ctx.regions) ctx.regions = new RegionIndex(await ctx.store.regions.all());
}

export const externalChangesCapability: Capability = {
  name: 'external-changes',
  async start(ctx) {
    if (ctx.options.followExternalChanges === false || ctx.options.externalChangePollMs === 0) return;
    const unsubscribe = await ctx.store.changes.subscribe((changes) =>
      applyExternalChanges(ctx, changes).catch((err) => console.error(JSON.stringify({ level: 'error', msg: 'applying changes made by another process failed', err: String(err) }))));
    unsubscribers.set(ctx, unsubscribe);
  },
  async stop(ctx) {
    const unsubscribe = unsubscribers.get(ctx);
    unsubscribers.delete(ctx);
    await unsubscribe?.();
  },
};
