// Account administration (the first admin is created with `refuge admin create-user`), API tokens and the account
// event log. The two-person rules live in src/accounts (see docs/security.md): no admin can mint a token for someone
// else, and an alert-capable account an admin creates, re-roles or resets waits for a second admin.
import type { FastifyPluginAsync } from 'fastify';
import { ROLES, type Accounts } from '../../accounts/index.ts';
import { STAFF_ROLES, accountCall, actingOf } from '../auth.ts';

const nameParams = { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 64 } } } as const;
const problems = { 400: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } } as const;
const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' }, name: { type: 'string' }, role: { type: 'string' }, createdAt: { type: 'string' }, disabledAt: { type: ['string', 'null'] },
    createdBy: { type: ['string', 'null'] }, status: { type: 'string', enum: ['active', 'pending', 'disabled'] }, pendingSince: { type: ['string', 'null'] },
    pendingReason: { type: ['string', 'null'] }, pendingBy: { type: 'array', items: { type: 'string' } }, mustChangePassword: { type: 'boolean' },
    passwordChangedAt: { type: ['string', 'null'] },
    jurisdiction: { type: 'array', items: { type: 'string' }, description: 'Region codes the account is responsible for (empty: none); the composer opens on them' },
    jurisdictionGone: {
      type: 'array', items: { type: 'string' },
      description: 'Of jurisdiction, the codes a region import has removed since: they still restrict (an account whose codes are all gone drafts nowhere); saving the jurisdiction with them drops them',
    },
  },
} as const;
/** Checked again in src/accounts (that every code is a stored region, in the writing transaction). */
const jurisdictionBody = { type: 'array', maxItems: 2000, items: { type: 'string', minLength: 1, maxLength: 200 } } as const;
const tokenSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, user: { type: 'string' }, label: { type: ['string', 'null'] }, createdAt: { type: 'string' }, createdBy: { type: ['string', 'null'] },
    expiresAt: { type: ['string', 'null'] }, lastUsedAt: { type: ['string', 'null'] }, revokedAt: { type: ['string', 'null'] }, revokedBy: { type: ['string', 'null'] },
  },
} as const;

export interface UserRouteOptions {
  /** The accounts in force, read per request (a test may put them on its own clock after start). */
  accounts: () => Accounts;
}

export const userRoutes: FastifyPluginAsync<UserRouteOptions> = async (app, opts) => {
  const { accounts } = opts;
  app.get('/api/users', {
    config: { roles: ['admin'] },
    schema: { summary: 'List accounts with their status (active, pending a second admin, disabled)', tags: ['accounts'], response: { 200: { type: 'array', items: userSchema } } },
  }, async () => accounts().listUsers());

  app.post('/api/users', {
    config: { roles: ['admin'] },
    schema: {
      summary: 'Create an account',
      description: 'The owner must replace the password at first sign-in. An admin, operator or approver account is pending until a second admin (not you) activates it, after its owner has chosen their own password.',
      tags: ['accounts'],
      body: {
        type: 'object', additionalProperties: false, required: ['name', 'role', 'password'],
        properties: { name: { type: 'string' }, role: { type: 'string', enum: [...ROLES] }, password: { type: 'string', minLength: 12 }, jurisdiction: jurisdictionBody },
      },
      response: { 201: userSchema, ...problems },
    },
  }, async (request, reply) => {
    const { name, role, password, jurisdiction } = request.body as { name: string; role: string; password: string; jurisdiction?: string[] };
    return reply.code(201).send(await accountCall(() => accounts().createUser(name, role, password, actingOf(request), { jurisdiction })));
  });

  const action = (path: string, summary: string, run: (name: string, body: Record<string, unknown>, request: Parameters<typeof actingOf>[0]) => Promise<unknown>, body?: object) =>
    app.post(`/api/users/:name/${path}`, {
      config: { roles: ['admin'] },
      schema: { summary, tags: ['accounts'], params: nameParams, ...(body ? { body } : {}), response: { 200: userSchema, ...problems } },
    }, async (request) => {
      const { name } = request.params as { name: string };
      return accountCall(() => run(name, (request.body ?? {}) as Record<string, unknown>, request));
    });

  action('activate', 'Activate a pending account (a second admin: not one who made it pending, and only after its owner chose their password)',
    (name, _b, r) => accounts().activate(actingOf(r), name));
  action('disable', 'Disable an account: its sessions end and its tokens stop at once', (name, _b, r) => accounts().setDisabled(actingOf(r), name, true));
  action('enable', 'Enable a disabled account (a pending one stays pending)', (name, _b, r) => accounts().setDisabled(actingOf(r), name, false));
  action('role', 'Change another account\'s role; a new admin, operator or approver role leaves it pending a second admin. Ends its sessions',
    (name, b, r) => accounts().changeRole(actingOf(r), name, String(b.role)),
    { type: 'object', additionalProperties: false, required: ['role'], properties: { role: { type: 'string', enum: [...ROLES] } } });
  action('password', 'Reset another account\'s password: the owner must replace it at next sign-in, and an admin, operator or approver account is pending a second admin. Ends its sessions',
    (name, b, r) => accounts().resetPassword(actingOf(r), name, String(b.password)),
    { type: 'object', additionalProperties: false, required: ['password'], properties: { password: { type: 'string', maxLength: 1024 } } });

  action('jurisdiction', 'Set an account\'s jurisdiction: the region codes it is responsible for (an empty list: none). Every code must be an imported region (400 naming the field otherwise), except codes the account already holds that a region import removed: those are dropped (unless none would be left: 400, the account keeps its limit; an empty list lifts it). The composer opens on them and lists them first; the account drafts Alerts and Updates only for regions inside it (403 OUTSIDE_JURISDICTION otherwise; cancels are not limited)',
    (name, b, r) => accounts().setJurisdiction(actingOf(r), name, b.jurisdiction),
    { type: 'object', additionalProperties: false, required: ['jurisdiction'], properties: { jurisdiction: jurisdictionBody } });

  app.post('/api/users/:name/end-sessions', {
    config: { roles: ['admin'] },
    schema: { summary: 'Sign an account out everywhere (its API tokens are not affected; revoke those separately)', tags: ['accounts'], params: nameParams, response: { 200: { type: 'object', properties: { ended: { type: 'integer' } } }, ...problems } },
  }, async (request) => {
    const { name } = request.params as { name: string };
    return { ended: await accountCall(() => accounts().endSessions(actingOf(request), name)) };
  });

  app.get('/api/tokens', {
    config: { roles: STAFF_ROLES },
    schema: {
      summary: 'API tokens without their secrets: your own, or everyone\'s for an admin (filter with ?user=)', tags: ['accounts'],
      querystring: { type: 'object', additionalProperties: false, properties: { user: { type: 'string', maxLength: 64 } } },
      response: { 200: { type: 'object', properties: { tokens: { type: 'array', items: tokenSchema } } }, ...problems },
    },
  }, async (request) => {
    const { user } = request.query as { user?: string };
    return { tokens: await accountCall(() => accounts().listTokens(actingOf(request), user)) };
  });

  app.post('/api/tokens', {
    config: { roles: ['admin'] },
    schema: {
      summary: 'Create an API token for yourself (shown once)',
      description: 'A token acts only for the account that creates it: `user`, if given, must be your own name (another name is refused with 403 TOKEN_FOR_OTHER_USER). It expires after expiresInDays (default and maximum set by the server).',
      tags: ['accounts'],
      body: {
        type: ['object', 'null'], additionalProperties: false,
        properties: { user: { type: 'string' }, label: { type: 'string', maxLength: 200 }, expiresInDays: { type: 'integer', minimum: 1 } },
      },
      response: { 201: { type: 'object', properties: { token: { type: 'string' }, id: { type: 'string' }, expiresAt: { type: 'string' } } }, ...problems },
    },
  }, async (request, reply) => {
    const { user, label, expiresInDays } = (request.body ?? {}) as { user?: string; label?: string; expiresInDays?: number };
    const made = await accountCall(() => accounts().createToken(actingOf(request), { user, label: label ?? null, expiresInDays }));
    return reply.code(201).send({ token: made.token, id: made.info.id, expiresAt: made.info.expiresAt });
  });

  app.delete('/api/tokens/:id', {
    config: { roles: STAFF_ROLES },
    schema: {
      summary: 'Revoke a token at once (your own, or any as an admin)', tags: ['accounts'],
      params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } },
      response: { 200: tokenSchema, ...problems },
    },
  }, async (request) => {
    const { id } = request.params as { id: string };
    return accountCall(() => accounts().revokeToken(actingOf(request), id));
  });

  app.get('/api/account-events', {
    config: { roles: ['admin'] },
    schema: {
      summary: 'The account event log, newest first: who changed which account or token, when, and how (http, cli)', tags: ['accounts'],
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { user: { type: 'string', maxLength: 64 }, before: { type: 'integer', minimum: 1 }, limit: { type: 'integer', minimum: 1, maximum: 1000 } },
      },
      response: {
        200: {
          type: 'object',
          properties: {
            events: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  id: { type: 'integer' }, at: { type: 'string' }, actor: { type: ['string', 'null'] }, via: { type: 'string' }, action: { type: 'string' },
                  subject: { type: ['string', 'null'] }, detail: { type: 'object', additionalProperties: true },
                },
              },
            },
          },
        },
      },
    },
  }, async (request) => {
    const { user, before, limit } = request.query as { user?: string; before?: number; limit?: number };
    return { events: await accounts().events({ subject: user, before, limit }) };
  });
};
