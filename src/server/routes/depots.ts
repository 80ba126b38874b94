// Depots over HTTP: operators and admins add them; every signed-in role may list them.
import type { FastifyPluginAsync } from 'fastify';
import type { StockServices } from '../../app/services/stock.ts';
import { actorOf } from '../auth.ts';
import { HttpProblem } from '../problem.ts';
import { STOCK_MANAGERS, STOCK_READERS, stockProblem } from './stock.ts';

const createdResponse = { 201: { type: 'object', additionalProperties: true } } as const;
const problems = { 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } };
const text = (max = 200) => ({ type: ['string', 'null'], maxLength: max }) as const;

export interface DepotRouteOptions {
  stock: StockServices;
}

export const depotRoutes: FastifyPluginAsync<DepotRouteOptions> = async (app, opts) => {
  const { stock } = opts;
  app.post('/api/depots', {
    config: { roles: STOCK_MANAGERS },
    schema: {
      summary: 'Add a depot; answers 201 with its id', tags: ['stock'],
      body: {
        type: 'object', additionalProperties: false, required: ['name'],
        properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, lat: { type: ['number', 'null'] }, lon: { type: ['number', 'null'] }, region: text(100), responsible: text(200), contact: text(200) },
      },
      response: { ...createdResponse, ...problems },
    },
  }, async (request, reply) => {
    try {
      const depot = await stock.service.createDepot(request.body as Record<string, unknown>, actorOf(request));
      return reply.code(201).header('location', `/api/depots/${depot.id}`).send(depot);
    } catch (e) {
      throw stockProblem(e);
    }
  });

  app.get('/api/depots', {
    config: { roles: STOCK_READERS },
    schema: { summary: 'Every depot', tags: ['stock'] },
  }, async () => ({ depots: await stock.service.repo.listDepots() }));

  app.get('/api/depots/:id', {
    config: { roles: STOCK_READERS },
    schema: { summary: 'One depot', tags: ['stock'], params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } }, response: problems },
  }, async (request) => {
    const d = await stock.service.repo.getDepot((request.params as { id: string }).id);
    if (!d) throw new HttpProblem('DEPOT_NOT_FOUND', 'No such depot');
    return d;
  });
};
