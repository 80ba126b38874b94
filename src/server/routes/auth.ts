// Sign in and out of the web console (HttpOnly, SameSite=Strict session cookie).
import type { FastifyPluginAsync } from 'fastify';
import type { Accounts } from '../../accounts/index.ts';
import { SESSION_COOKIE, accountCall } from '../auth.ts';
import { HttpProblem } from '../problem.ts';
import type { LoginThrottlePort } from '../shared-limits.ts';

const userSchema = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, role: { type: 'string' } } } as const;
/** Who is signed in, with the regions they are responsible for (the console opens its maps on them). */
const meSchema = { type: 'object', properties: { ...userSchema.properties, jurisdiction: { type: 'array', items: { type: 'string' } } } } as const;

export interface AuthRouteOptions {
  /** The accounts in force, read per request (a test may put them on its own clock after start). */
  accounts: () => Accounts;
  /** Counts failed sign-ins (and wrong current passwords) per name and address; see login-throttle.ts. */
  loginThrottle: LoginThrottlePort;
  /** Session cookies without Secure (plain-HTTP development and tests). */
  insecureCookies: boolean;
}

export const authRoutes: FastifyPluginAsync<AuthRouteOptions> = async (app, opts) => {
  const { accounts, loginThrottle: throttle, insecureCookies } = opts;
  app.post('/api/auth/login', {
    config: { roles: ['public'] },
    schema: {
      summary: 'Sign in; sets the session cookie', tags: ['auth'],
      description: 'A password an admin chose for you must be replaced: send it with newPassword. An account waiting for a second admin gets 403 ACCOUNT_PENDING (its password is right, but it may not sign in yet).',
      body: {
        type: 'object', additionalProperties: false, required: ['name', 'password'],
        properties: { name: { type: 'string', maxLength: 64 }, password: { type: 'string', maxLength: 1024 }, newPassword: { type: 'string', maxLength: 1024 } },
      },
      response: { 200: { type: 'object', properties: { user: userSchema, expiresAt: { type: 'string' } } }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 429: { $ref: 'Problem#' } },
    },
  }, async (request, reply) => {
    const { name, password, newPassword } = request.body as { name: string; password: string; newPassword?: string };
    const key = `${name}\u0000${request.ip}`;
    const wait = await throttle.retryAfter(key);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw new HttpProblem('TOO_MANY_ATTEMPTS', `Too many failed sign-ins; try again in ${wait} s`, [], { retryAfter: wait });
    }
    const result = await accounts().signIn(name, password, newPassword, { ip: request.ip });
    if (result.kind === 'bad') {
      await throttle.fail(key);
      request.log.warn({ name }, 'failed sign-in');
      throw new HttpProblem('BAD_CREDENTIALS', 'Wrong name or password');
    }
    await throttle.succeed(key);
    if (result.kind === 'must-change') {
      throw new HttpProblem('PASSWORD_CHANGE_REQUIRED', 'Your password was set by an admin: choose your own (send it as newPassword) to sign in', [{ field: 'newPassword', reason: 'required' }]);
    }
    if (result.kind === 'invalid-new') throw new HttpProblem('INVALID_PASSWORD', result.message, [{ field: 'newPassword', reason: result.message }]);
    if (result.kind === 'pending') {
      throw new HttpProblem('ACCOUNT_PENDING', `${result.passwordChanged ? 'Your password is set. ' : ''}Your account is waiting for a second admin to activate it`, [], { passwordChanged: result.passwordChanged });
    }
    const user = result.user;
    const session = await accounts().startSession(user);
    reply.setCookie(SESSION_COOKIE, session.token, {
      httpOnly: true, sameSite: 'strict', path: '/', secure: !insecureCookies, expires: new Date(session.endsBy), // the server ends it sooner when it goes unused
    });
    return { user: { id: user.id, name: user.name, role: user.role }, expiresAt: session.expiresAt };
  });

  app.post('/api/auth/password', {
    config: { roles: ['admin', 'operator', 'approver', 'warden'] },
    schema: {
      summary: 'Change your own password (needs the current one); ends your other sessions', tags: ['auth'],
      body: { type: 'object', additionalProperties: false, required: ['currentPassword', 'newPassword'], properties: { currentPassword: { type: 'string', maxLength: 1024 }, newPassword: { type: 'string', maxLength: 1024 } } },
      response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } }, 400: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 429: { $ref: 'Problem#' } },
    },
  }, async (request, reply) => {
    const { currentPassword, newPassword } = request.body as { currentPassword: string; newPassword: string };
    // The current password is guessed here too when a session is stolen: the same throttle as sign-in.
    const key = `${request.user!.name}\u0000${request.ip}`;
    const wait = await throttle.retryAfter(key);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw new HttpProblem('TOO_MANY_ATTEMPTS', `Too many wrong passwords; try again in ${wait} s`, [], { retryAfter: wait });
    }
    const keep = request.authVia === 'session' ? request.cookies[SESSION_COOKIE] : undefined;
    try {
      await accountCall(() => accounts().changeOwnPassword(request.user!, currentPassword, newPassword, keep));
    } catch (err) {
      if (err instanceof HttpProblem && err.code === 'WRONG_PASSWORD') await throttle.fail(key);
      throw err;
    }
    await throttle.succeed(key);
    return { ok: true };
  });

  app.post('/api/auth/logout', { config: { roles: ['public'] }, schema: { summary: 'Sign out', tags: ['auth'] } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await accounts().endSession(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/auth/me', { schema: { summary: 'Who is signed in (null for the public)', tags: ['auth'], response: { 200: { type: 'object', properties: { user: { anyOf: [meSchema, { type: 'null' }] } } } } } },
    async (request) => ({ user: request.user ? { id: request.user.id, name: request.user.name, role: request.user.role, jurisdiction: request.user.jurisdiction } : null }));
};
