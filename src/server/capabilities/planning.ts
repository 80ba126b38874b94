// The planning capability: the planning service (app/services/planning.ts) and the /api/plan routes.
import type { Capability } from './capability.ts';
import type { AppContext } from '../context.ts';
import { PlanningService } from '../../app/services/planning.ts';
import { planRoutes } from '../routes/plan.ts';

export { PlanningService, NoPopulationError, type Job, type JobRequest } from '../../app/services/planning.ts';

export function planningOf(ctx: AppContext): PlanningService {
  if (!ctx.planning) throw new Error('the planning capability has not started');
  return ctx.planning;
}

export const planningCapability: Capability = {
  name: 'planning',
  async start(ctx) {
    ctx.planning = new PlanningService({ plans: ctx.store.plans, population: ctx.store.population, jobs: ctx.store.planJobs, registry: ctx.registry, networkFile: ctx.paths.networkFile, regions: () => ctx.regions });
    // Fails the jobs a stopped process left running (this one before a restart too) and takes the queued ones.
    await ctx.planning.open();
  },
  async routes(app, ctx) {
    await app.register(planRoutes, {
      planning: planningOf(ctx), plans: ctx.store.plans, population: ctx.store.population, registry: ctx.registry, network: ctx.network, regions: () => ctx.regions,
    });
  },
  async stop(ctx) {
    // The running job finishes; queued ones are given back to the store for another process or the next start.
    await ctx.planning?.close();
  },
};
