// The units capability: civil-defence units and members, call-ups with live answers (SSE with replay, Web Push),
// and readiness regimes per region. Builds the services on the SQLite store and registers the routes.
//
// Settings (environment, read here at the edge only):
//   REFUGE_REGIME_NAMES     display names of the levels, e.g. "heightened=Elevated readiness;emergency=State of emergency"
//   REFUGE_REGIME_APPROVAL  levels that need a second person's approval, e.g. "emergency,martial-law" (default: none)
//   REFUGE_PUBLIC_URL       the address members reach this server at (https://refuge.example.org), for personal links;
//                           unset = the address of the request that made them
//   REFUGE_PUSH_ALLOW_PRIVATE / REFUGE_PUSH_CA_FILE apply to call-up pushes as to alert pushes.
import type { Capability } from './capability.ts';
import type { UnitsServices } from '../../app/services/units.ts';
import type { AppContext } from '../context.ts';
import { RegionIndex } from '../../geo/index.ts';
import { CallUpPush, CallUpService, parseRegimeConfig, RegimeService, UnitEventHub, UnitEventRelay, UnitService, type CallUpPushSender, type RegionTree } from '../../units/index.ts';
import type { CallUpRepository } from '../../units/ports.ts';
import { createPushAgent, WebPushSender } from '../../adapters/web-push/index.ts';
import { unitRoutes } from '../routes/units.ts';
import { callupRoutes } from '../routes/callups.ts';
import { callupLinkRoutes } from '../routes/callups-link.ts';
import { regimeRoutes } from '../routes/regimes.ts';

export type { UnitsServices } from '../../app/services/units.ts';

const EMPTY = new RegionIndex([]);

export function unitServices(ctx: AppContext): UnitsServices {
  if (!ctx.units) throw new Error('the units capability has not started');
  return ctx.units;
}

export const unitsCapability: Capability = {
  name: 'units',
  async start(ctx) {
    const cfg = ctx.settings;
    const config = parseRegimeConfig(cfg.regimeNames ?? undefined, cfg.regimeApproval ?? undefined);
    const publicUrl = cfg.publicUrl;
    // Read on every use: a region re-import swaps the index.
    const regions = (): RegionTree => ctx.regions ?? EMPTY;
    const { units: unitRepo, callUps: callupRepo } = ctx.store;
    const units = new UnitService(unitRepo, regions, async (name) => (await ctx.accounts.listUsers()).some((u) => u.name === name && !u.disabledAt));
    const hub = new UnitEventHub();
    // Streams hear events from the log (this process's and every other's sharing the database), in seq order.
    const relay = new UnitEventRelay(callupRepo, hub, { onError: (e) => console.error('units: reading call-up events failed; retried every second', e) });
    await relay.start();
    // Push uses the alert capability's VAPID keys (one identity towards the push services) and its agent when set.
    let push: CallUpPush | null = null;
    let ownSender: WebPushSender | null = null;
    const alerts = ctx.alertDelivery;
    if (alerts) {
      ownSender = new WebPushSender(alerts.vapid, { agent: alerts.pushAgent ?? createPushAgent({ allowPrivate: cfg.pushAllowPrivate }) });
      const sender: CallUpPushSender = { send: (sub, payload, o) => ownSender!.send({ ...sub, regions: [] }, payload, o) };
      push = new CallUpPush(callupRepo, sender, { log: (m, e) => console.error(m, e ?? '') });
    }
    const callups = new CallUpService(callupRepo, unitRepo, units, {
      onEvents: () => relay.poke(),
      onCreated: (c, recipients, members, unitMap) => push?.callUp(c, recipients, members, unitMap),
      onEnded: (c, recipients) => push?.ended(c, recipients),
    });
    const regimes = new RegimeService(ctx.store.regimes, regions, config);
    const streams = new Set<{ end(): void }>();
    ctx.units = {
      units, callups, regimes, hub, push, callupRepo, streams, publicUrl,
      async close() {
        relay.stop();
        for (const s of [...streams]) s.end();
        streams.clear();
        hub.close();
        await push?.stop();
        if (!alerts?.pushAgent) ownSender?.close();
      },
    };
  },
  async routes(app, ctx) {
    const units = unitServices(ctx);
    app.addHook('preClose', async () => {
      for (const s of [...units.streams]) s.end();
    });
    await app.register(unitRoutes, { units });
    await app.register(callupRoutes, { units, pushAllowPrivate: ctx.settings.pushAllowPrivate });
    await app.register(callupLinkRoutes, { units });
    await app.register(regimeRoutes, { units });
  },
  async stop(ctx) {
    await ctx.units?.close();
  },
};
