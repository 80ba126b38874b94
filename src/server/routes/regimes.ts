// Readiness regimes per region over HTTP. Anyone may read a region's effective regime (the public map shows it);
// operators and admins set it with a reason; levels configured to need approval wait for a different approver.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { UnitsServices } from '../../app/services/units.ts';
import { actorOf } from '../auth.ts';
import { guard, idParams, MANAGERS, problems, READERS } from './units.ts';
import { REGIME_LEVELS, RegimeService, type EffectiveRegime, type RegimeChange } from '../../units/index.ts';

const APPROVERS = ['admin', 'approver'] as const;
const codeParams = { type: 'object', required: ['regionCode'], properties: { regionCode: { type: 'string', maxLength: 100 } } } as const;

export interface RegimeRouteOptions {
  units: UnitsServices;
}

export const regimeRoutes: FastifyPluginAsync<RegimeRouteOptions> = async (app, opts) => {
  const { units } = opts;
  const s = () => units.regimes;

  app.get('/api/regimes', {
    config: { roles: ['public'] },
    schema: { summary: "Every region's effective readiness regime", tags: ['regimes'] },
  }, async (request) => ({ levels: s().levels(), regions: (await s().all()).map((e) => publicView(e, request.user !== null)) }));

  app.get('/api/regimes/levels', {
    config: { roles: ['public'] },
    schema: { summary: 'The levels (fixed identifiers), their configured display names and whether a change to them needs approval', tags: ['regimes'] },
  }, async () => ({ levels: s().levels() }));

  app.get('/api/regimes/pending', {
    config: { roles: READERS },
    schema: { summary: 'Regime changes waiting for a second person', tags: ['regimes'], response: problems },
  }, async () => ({ changes: await s().pending() }));

  app.get('/api/regimes/:regionCode', {
    config: { roles: ['public'] },
    schema: { summary: "A region's effective regime: its own setting or inherited from the nearest ancestor (everyday when none)", tags: ['regimes'], params: codeParams, response: problems },
  }, async (request) => publicView(await guard(() => s().effective((request.params as { regionCode: string }).regionCode), 'params'), request.user !== null));

  app.put('/api/regimes/:regionCode', {
    config: {
      roles: MANAGERS,
      freshSignIn: (request) => {
        const level = (request.body as { level?: string } | null)?.level;
        return RegimeService.isDangerous(level) ? `raising a regime to ${level}` : null;
      },
    },
    schema: {
      summary: "Set a region's regime (sub-regions inherit unless set); 200 when in force, 202 when the level needs a second person's approval", tags: ['regimes'], params: codeParams,
      body: { type: 'object', additionalProperties: false, required: ['level', 'reason'], properties: { level: { type: 'string', enum: [...REGIME_LEVELS] }, reason: { type: 'string', minLength: 1, maxLength: 500 } } },
      response: { 200: { type: 'object', additionalProperties: true }, 202: { type: 'object', additionalProperties: true }, ...problems },
    },
  }, async (request, reply) => {
    const code = (request.params as { regionCode: string }).regionCode;
    await guard(() => s().effective(code), 'params');
    const r = await guard(() => s().set(code, request.body as Record<string, unknown>, actorOf(request)!));
    return reply.code(r.change.state === 'pending' ? 202 : 200).send({ change: r.change, effective: r.effective });
  });

  app.get('/api/regimes/:regionCode/history', {
    config: { roles: ['public'] },
    schema: { summary: "Every change of a region's regime, newest first: level, who, when, why, and who approved", tags: ['regimes'], params: codeParams, response: problems },
  }, async (request) => {
    const code = (request.params as { regionCode: string }).regionCode;
    return { regionCode: code, effective: publicView(await guard(() => s().effective(code), 'params'), request.user !== null), history: (await s().history(code)).map((c) => (request.user ? c : { ...c, requestedBy: '', decidedBy: c.decidedBy === null ? null : '' })) };
  });

  for (const [path, approve] of [['approve', true], ['reject', false]] as const) {
    app.post(`/api/regimes/changes/:id/${path}`, {
      config: {
        roles: APPROVERS,
        // Approving a pending raise to emergency or martial law is the moment it takes force: whoever finds an
        // approver's console left open cannot do it (as approving an Actual alert). Rejecting needs no fresh sign-in.
        ...(approve ? {
          freshSignIn: async (request: FastifyRequest) => {
            const change = await s().change((request.params as { id: string }).id).catch(() => null);
            return change?.state === 'pending' && RegimeService.isDangerous(change.level) ? `approving a raise to ${change.level}` : null;
          },
        } : {}),
      },
      schema: { summary: approve ? 'Approve a pending regime change (someone other than who asked): it takes force' : 'Reject a pending regime change', tags: ['regimes'], params: idParams, response: problems },
    }, async (request) => {
      const r = await guard(() => s().decide((request.params as { id: string }).id, approve, actorOf(request)!), 'params');
      return { change: r.change, effective: r.effective };
    });
  }
};

/** The public sees the level, since when and why, not the staff accounts' names. */
function publicView(e: EffectiveRegime, signedIn: boolean): EffectiveRegime {
  if (signedIn) return e;
  const hide = (c: RegimeChange | null) => (c ? { ...c, requestedBy: '', decidedBy: c.decidedBy === null ? null : '' } : null);
  return { ...e, change: hide(e.change), pending: hide(e.pending) };
}
