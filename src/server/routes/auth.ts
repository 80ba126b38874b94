// Sign in and out of the web console (HttpOnly, SameSite=Strict session cookie).
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { SESSION_COOKIE } from '../auth.ts';
import { HttpProblem } from '../problem.ts';

const userSchema = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, role: { type: 'string' } } } as const;

/** Slows down password guessing: after 5 failures for a name from one address, waits double each time (max 15 min). */
class LoginThrottle {
  private failures = new Map<string, { count: number; until: number }>();
  retryAfter(key: string, now = Date.now()): number {
    const f = this.failures.get(key);
    return f && f.until > now ? Math.ceil((f.until - now) / 1000) : 0;
  }
  fail(key: string, now = Date.now()): void {
    const f = this.failures.get(key) ?? { count: 0, until: 0 };
    f.count++;
    if (f.count >= 5) f.until = now + Math.min(15 * 60_000, 1000 * 2 ** (f.count - 5));
    this.failures.set(key, f);
    if (this.failures.size > 100_000) this.failures.clear(); // bounded memory under a flood
  }
  succeed(key: string): void {
    this.failures.delete(key);
  }
}

export async function authRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const throttle = new LoginThrottle();
  app.post('/api/auth/login', {
    config: { roles: ['public'] },
    schema: {
      summary: 'Sign in; sets the session cookie', tags: ['auth'],
      body: { type: 'object', additionalProperties: false, required: ['name', 'password'], properties: { name: { type: 'string', maxLength: 64 }, password: { type: 'string', maxLength: 1024 } } },
      response: { 200: { type: 'object', properties: { user: userSchema, expiresAt: { type: 'string' } } }, 401: { $ref: 'Problem#' }, 429: { $ref: 'Problem#' } },
    },
  }, async (request, reply) => {
    const { name, password } = request.body as { name: string; password: string };
    const key = `${name}\u0000${request.ip}`;
    const wait = throttle.retryAfter(key);
    if (wait > 0) throw new HttpProblem(429, 'TOO_MANY_ATTEMPTS', `Too many failed sign-ins; try again in ${wait} s`, [], { retryAfter: wait });
    const user = await ctx.accounts.authenticate(name, password);
    if (!user) {
      throttle.fail(key);
      request.log.warn({ name }, 'failed sign-in');
      throw new HttpProblem(401, 'BAD_CREDENTIALS', 'Wrong name or password');
    }
    throttle.succeed(key);
    const session = await ctx.accounts.startSession(user);
    reply.setCookie(SESSION_COOKIE, session.token, {
      httpOnly: true, sameSite: 'strict', path: '/', secure: !ctx.options.insecureCookies, expires: new Date(session.expiresAt),
    });
    return { user: { id: user.id, name: user.name, role: user.role }, expiresAt: session.expiresAt };
  });

  app.post('/api/auth/logout', { config: { roles: ['public'] }, schema: { summary: 'Sign out', tags: ['auth'] } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await ctx.accounts.endSession(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/auth/me', { schema: { summary: 'Who is signed in (null for the public)', tags: ['auth'], response: { 200: { type: 'object', properties: { user: { anyOf: [userSchema, { type: 'null' }] } } } } } },
    async (request) => ({ user: request.user ? { id: request.user.id, name: request.user.name, role: request.user.role } : null }));
}
