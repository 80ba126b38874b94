// Keeps a running server true to its database when another process writes to it: `refuge import shelters`,
// `refuge import regions` or a warden assignment from the CLI reach the map, the nearest-shelter search and the
// alert regions within a second, without a restart.
import type { Capability } from './index.ts';
import type { AppContext } from '../context.ts';
import { SqliteChangeFeed } from '../../store/sqlite/change-feed.ts';
import { SqliteRegionRepository } from '../../store/sqlite/regions.ts';
import { RegionIndex } from '../../geo/index.ts';

declare module '../context.ts' {
  interface AppOptions {
    /** How often to look for other processes' writes (ms); default 1000, 0 turns it off. */
    externalChangePollMs?: number;
  }
}

const timers = new WeakMap<AppContext, { timer: NodeJS.Timeout; running: Promise<void> | null }>();

export async function applyExternalChanges(ctx: AppContext, feed: SqliteChangeFeed): Promise<void> {
  const changes = feed.poll();
  if (!changes) return;
  if (changes.shelters === 'many') await ctx.registry.load();
  else if (changes.shelters.length) await ctx.registry.refresh(changes.shelters);
  if (changes.wardens) await ctx.registry.refreshWardens();
  if (changes.regions && ctx.regions) ctx.regions = new RegionIndex(new SqliteRegionRepository(ctx.store.db).all());
}

export const externalChangesCapability: Capability = {
  name: 'external-changes',
  async start(ctx) {
    const every = ctx.options.externalChangePollMs ?? 1000;
    if (every <= 0) return;
    const feed = new SqliteChangeFeed(ctx.store.db);
    const state = { timer: null as unknown as NodeJS.Timeout, running: null as Promise<void> | null };
    state.timer = setInterval(() => {
      if (state.running) return; // a long reload is still going: the next tick looks again
      state.running = applyExternalChanges(ctx, feed)
        .catch((err) => console.error(JSON.stringify({ level: 'error', msg: 'applying changes made by another process failed', err: String(err) })))
        .finally(() => { state.running = null; });
    }, every);
    state.timer.unref();
    timers.set(ctx, state);
  },
  async stop(ctx) {
    const state = timers.get(ctx);
    if (!state) return;
    clearInterval(state.timer);
    await state.running;
    timers.delete(ctx);
  },
};
