// Sign in and out of the web console (HttpOnly, SameSite=Strict session cookie).
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { SESSION_COOKIE } from '../auth.ts';
import { HttpProblem } from '../problem.ts';

const userSchema = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, role: { type: 'string' } } } as const;

export async function authRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.post('/api/auth/login', {
    config: { roles: ['public'] },
    schema: {
      summary: 'Sign in; sets the session cookie', tags: ['auth'],
      body: { type: 'object', additionalProperties: false, required: ['name', 'password'], properties: { name: { type: 'string', maxLength: 64 }, password: { type: 'string', maxLength: 1024 } } },
      response: { 200: { type: 'object', properties: { user: userSchema, expiresAt: { type: 'string' } } }, 401: { $ref: 'Problem#' } },
    },
  }, async (request, reply) => {
    const { name, password } = request.body as { name: string; password: string };
    const user = await ctx.accounts.authenticate(name, password);
    if (!user) {
      request.log.warn({ name }, 'failed sign-in');
      throw new HttpProblem(401, 'BAD_CREDENTIALS', 'Wrong name or password');
    }
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
