// Account administration for admins (the first admin is created with `refuge admin create-user`).
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { ROLES } from '../../accounts/index.ts';

export async function userRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/users', { config: { roles: ['admin'] }, schema: { summary: 'List accounts', tags: ['accounts'] } }, async () => ctx.accounts.listUsers());

  app.post('/api/users', {
    config: { roles: ['admin'] },
    schema: {
      summary: 'Create an account', tags: ['accounts'],
      body: { type: 'object', additionalProperties: false, required: ['name', 'role', 'password'], properties: { name: { type: 'string' }, role: { type: 'string', enum: [...ROLES] }, password: { type: 'string', minLength: 12 } } },
    },
  }, async (request, reply) => {
    const { name, role, password } = request.body as { name: string; role: string; password: string };
    return reply.code(201).send(await ctx.accounts.createUser(name, role, password));
  });

  app.post('/api/tokens', {
    config: { roles: ['admin'] },
    schema: {
      summary: 'Create an API token for a user (shown once)', tags: ['accounts'],
      body: { type: 'object', additionalProperties: false, required: ['user'], properties: { user: { type: 'string' }, label: { type: 'string' } } },
    },
  }, async (request, reply) => {
    const { user, label } = request.body as { user: string; label?: string };
    return reply.code(201).send({ token: await ctx.accounts.createApiToken(user, label ?? null) });
  });
}
