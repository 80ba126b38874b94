// Who is calling (session cookie or Bearer token) and whether their role may use the route.
// Every mutating route must declare `config.roles`; the server refuses to start otherwise.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Access } from '../accounts/index.ts';
import { AccountError, type Accounts, type Acting, type Credential, type User } from '../accounts/index.ts';
import { HttpProblem } from './problem.ts';
import { accountProblemOf } from './domain-problems.ts';

export const SESSION_COOKIE = 'refuge_session';
/** Every signed-in role (the public is not one). */
export const STAFF_ROLES = ['admin', 'operator', 'approver', 'warden'] as const;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route: roles, or 'public' for anyone. Required on every mutating route. */
    roles?: readonly Access[];
    /**
     * For actions that must follow a recent sign-in: names the action when this request is one (after the body is
     * validated), or null. A session older than the policy allows is refused with 403 FRESH_SIGN_IN_REQUIRED.
     */
    freshSignIn?: (request: FastifyRequest) => string | null | Promise<string | null>;
  }
  interface FastifyRequest {
    user: User | null;
    /** How the caller authenticated: cookie sessions get an extra cross-site check. */
    authVia: 'session' | 'token' | null;
    /** The caller's credential as the accounts domain judges it (a session carries its sign-in time). */
    credential: Credential | null;
  }
}

export interface RouteRecord {
  method: string;
  url: string;
  roles?: readonly Access[];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its declared roles, for the role-declaration test and the docs. */
    refugeRoutes: RouteRecord[];
  }
}

export function requireRoleDeclarations(app: FastifyInstance): void {
  const records: RouteRecord[] = [];
  app.decorate('refugeRoutes', records);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const roles = (route.config as { roles?: readonly Access[] } | undefined)?.roles;
    for (const method of methods) records.push({ method, url: route.url, roles });
    if (methods.some((m) => MUTATING.has(m)) && (!roles || roles.length === 0)) {
      throw new Error(`route ${methods.join(',')} ${route.url} does not declare config.roles`);
    }
  });
}

const TOKEN_REFUSED = {
  unknown: 'The API token is unknown',
  revoked: 'The API token was revoked',
  expired: 'The API token has expired; its owner can create a new one',
  inactive: 'The account behind this API token is disabled or waiting for a second admin to activate it',
} as const;


/** `accounts` is read per request (a test may put the accounts on its own clock after start). */
export function registerAuth(app: FastifyInstance, accounts: () => Accounts): void {
  app.decorateRequest('user', null);
  app.decorateRequest('authVia', null);
  app.decorateRequest('credential', null);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      const check = await accounts().checkToken(header.slice(7).trim());
      if ('reason' in check) throw new HttpProblem(check.reason === 'inactive' ? 'ACCOUNT_INACTIVE' : 'INVALID_TOKEN', TOKEN_REFUSED[check.reason]);
      request.user = check.user;
      request.authVia = 'token';
      request.credential = { kind: 'token' };
    } else {
      const cookie = request.cookies?.[SESSION_COOKIE];
      if (cookie) {
        const session = await accounts().session(cookie);
        if (session) {
          request.user = session.user;
          request.authVia = 'session';
          request.credential = { kind: 'session', signedInAt: session.signedInAt };
        }
      }
    }
    // Roles are checked before the body is even validated: strangers learn nothing about a route's input.
    const roles = request.routeOptions.config?.roles;
    if (!roles || roles.includes('public')) return;
    if (!request.user) throw new HttpProblem('NOT_SIGNED_IN', 'Sign in or send an API token to use this');
    if (!roles.includes(request.user.role)) throw new HttpProblem('ROLE_NOT_ALLOWED', `Your role (${request.user.role}) may not do this; allowed: ${roles.join(', ')}`);
    if (request.authVia === 'session' && MUTATING.has(request.method)) checkSameOrigin(request);
  });
  app.addHook('preHandler', async (request) => {
    const fresh = request.routeOptions.config?.freshSignIn;
    if (!fresh || !request.credential) return;
    const action = await fresh(request);
    if (action) accounts().requireFreshSignIn(request.credential, action);
  });
}

/** Cookie sessions are SameSite=Strict already; this also refuses a cross-origin browser request outright. */
function checkSameOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (!origin) return;
  let host: string;
  try { host = new URL(origin).host; } catch { throw new HttpProblem('CROSS_SITE', 'Bad Origin header'); }
  if (host !== request.headers.host) throw new HttpProblem('CROSS_SITE', `Requests from ${origin} may not use this session`);
}

/** The signed-in caller as the accounts domain sees it. */
export function actingOf(request: FastifyRequest): Acting {
  if (!request.user) throw new HttpProblem('NOT_SIGNED_IN', 'Sign in or send an API token to use this');
  return { name: request.user.name, role: request.user.role, via: 'http' };
}

/** Account errors as problem documents with their own status (403 for the two-person refusals, 409 for state). */
export function accountProblem(err: unknown): unknown {
  if (err instanceof AccountError) return accountProblemOf(err);
  return err;
}

export async function accountCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw accountProblem(err);
  }
}

export function actorOf(request: FastifyRequest): string | null {
  return request.user?.name ?? null;
}
