// Stock over HTTP: movements, transfers, counts, balances, reports (JSON or CSV) and the CSV imports.
// Operators and admins change stock; every signed-in role may read it; the public sees nothing.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { StockServices } from '../../app/services/stock.ts';
import { actorOf, STAFF_ROLES } from '../auth.ts';
import { HttpProblem } from '../problem.ts';
import { stockProblem } from '../domain-problems.ts';
import {
  CONFLICT_CODES, MOVEMENT_TYPES, POSTABLE_TYPES, StockError, StockImportRejected, ImportFileError, countView, movementView, reportToCsv, transferView,
  importCatalogue, importOpeningBalances, catalogueToCsv, type Item, type MovementType, type Report, type StockReports, type StockService,
} from '../../stock/index.ts';

/** Who may change stock. There is no logistics role (yet): operators and admins do it (docs/stock.md). */
export const STOCK_MANAGERS = ['admin', 'operator'] as const;
export const STOCK_READERS = STAFF_ROLES;

const createdResponse = { 201: { type: 'object', additionalProperties: true } } as const;
const problems = { 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } };
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } } as const;
const quantity = { anyOf: [{ type: 'number' }, { type: 'string', maxLength: 32 }] } as const;
const text = (max = 200) => ({ type: ['string', 'null'], maxLength: max }) as const;

export { stockProblem };

async function guard<T>(f: () => Promise<T>, place: 'body' | 'querystring' = 'body'): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw stockProblem(e, place);
  }
}

/** Sends a report as JSON ({rows, ...}) or, with ?format=csv, as a CSV download. */
export function sendReport<Row>(reply: FastifyReply, format: string | undefined, name: string, report: Report<Row> & Record<string, unknown>) {
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(reportToCsv(report));
  const { columns: _c, ...rest } = report;
  return rest;
}

const formatQuery = { format: { type: 'string', enum: ['json', 'csv'] } } as const;

export interface StockRouteOptions {
  stock: StockServices;
}

export const stockRoutes: FastifyPluginAsync<StockRouteOptions> = async (app, opts) => {
  const { stock } = opts;
  const s = () => stock.service;
  const r = () => stock.reports;
  const itemsById = async () => new Map((await s().repo.listItems()).map((i) => [i.id, i]));
  const itemOf = async (id: string): Promise<Item> => (await s().repo.getItem(id))!;

  app.get('/api/items', {
    config: { roles: STOCK_READERS },
    schema: { summary: 'The item catalogue', tags: ['stock'], querystring: { type: 'object', properties: formatQuery } },
  }, async (request, reply) => {
    const items = await s().repo.listItems();
    if ((request.query as { format?: string }).format === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="stock-catalogue.csv"').send(catalogueToCsv(items));
    return { items };
  });

  app.post('/api/items', {
    config: { roles: STOCK_MANAGERS },
    schema: {
      summary: 'Add an item to the catalogue; answers 201 with its id', tags: ['stock'],
      body: {
        type: 'object', additionalProperties: false, required: ['name', 'category', 'unit'],
        properties: { name: { type: 'string', maxLength: 200 }, category: { type: 'string', maxLength: 100 }, unit: { type: 'string', maxLength: 32 }, code: text(64), decimals: { type: 'integer', minimum: 0, maximum: 3 }, tracksLots: { type: 'boolean' } },
      },
      response: { ...createdResponse, ...problems },
    },
  }, async (request, reply) => reply.code(201).send(await guard(() => s().createItem(request.body as Record<string, unknown>, actorOf(request)))));

  app.get('/api/items/:id', {
    config: { roles: STOCK_READERS },
    schema: { summary: 'One item with its lots', tags: ['stock'], params: idParams, response: problems },
  }, async (request) => {
    const item = await guard(() => s().item((request.params as { id: string }).id, 'id'));
    return { ...item, lots: await s().repo.lots(item.id) };
  });

  app.put('/api/stock/minimums', {
    config: { roles: STOCK_MANAGERS },
    schema: {
      summary: 'Set the minimum level of an item in a depot (null removes it)', tags: ['stock'],
      body: { type: 'object', additionalProperties: false, required: ['depot', 'item', 'minimum'], properties: { depot: { type: 'string', maxLength: 100 }, item: { type: 'string', maxLength: 100 }, minimum: { anyOf: [{ type: 'number' }, { type: 'string', maxLength: 32 }, { type: 'null' }] } } },
      response: problems,
    },
  }, async (request) => {
    const body = request.body as Record<string, unknown>;
    const m = await guard(() => s().setMinimum(body));
    return { depot: body.depot, item: body.item, minimum: m === null ? null : body.minimum === null ? null : Number(body.minimum) };
  });

  app.post('/api/stock/movements', {
    config: { roles: STOCK_MANAGERS },
    schema: {
      summary: 'Post a movement: receipt, issue (to a unit, shelter or recipient), return, transfer (dispatch to toDepot), adjustment or write-off. 409 when stock would go negative, a lot has expired, or the lot is not here',
      tags: ['stock'],
      body: {
        type: 'object', additionalProperties: false, required: ['type', 'depot', 'item'],
        properties: {
          type: { type: 'string', enum: [...POSTABLE_TYPES] }, depot: { type: 'string', maxLength: 100 }, item: { type: 'string', maxLength: 100 }, quantity,
          toDepot: text(100), lot: text(64), expires: text(10), unit: text(100), shelter: text(100), recipient: text(200), reason: text(500), reference: text(200), counted: { anyOf: [{ type: 'number' }, { type: 'string', maxLength: 32 }, { type: 'null' }] },
        },
      },
      response: { ...createdResponse, ...problems },
    },
  }, async (request, reply) => {
    const m = await guard(() => s().post(request.body as Record<string, unknown>, actorOf(request)));
    const item = await itemOf(m.itemId);
    const body = movementView(m, item) as Record<string, unknown>;
    if (m.transferId && m.type === 'transfer') body.transferStatus = 'in-transit';
    return reply.code(201).header('location', `/api/stock/movements/${m.id}`).send(body);
  });

  app.get('/api/stock/movements', {
    config: { roles: STOCK_READERS },
    schema: {
      summary: 'Movements, newest first (page with before=SEQ)', tags: ['stock'],
      querystring: { type: 'object', properties: { depot: { type: 'string' }, item: { type: 'string' }, type: { type: 'string', enum: [...MOVEMENT_TYPES] }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 }, before: { type: 'integer', minimum: 1 } } },
    },
  }, async (request) => {
    const q = request.query as { depot?: string; item?: string; type?: MovementType; limit: number; before?: number };
    const list = await s().repo.listMovements({ depotId: q.depot, itemId: q.item, type: q.type, limit: q.limit, beforeSeq: q.before });
    const items = await itemsById();
    const last = list.at(-1);
    return { movements: list.map((m) => movementView(m, items.get(m.itemId)!)), next: list.length === q.limit && last ? last.seq : null };
  });

  app.get('/api/stock/movements/:id', {
    config: { roles: STOCK_READERS },
    schema: { summary: 'One movement with its lines per lot', tags: ['stock'], params: idParams, response: problems },
  }, async (request) => {
    const m = await s().repo.getMovement((request.params as { id: string }).id);
    if (!m) throw new HttpProblem('MOVEMENT_NOT_FOUND', 'No such movement');
    return movementView(m, await itemOf(m.itemId));
  });

  app.post('/api/stock/movements/:id/reverse', {
    config: { roles: STOCK_MANAGERS },
    schema: {
      summary: 'Correct a movement by a reversing one that references it (never edited); 409 if the stock it brought in has been used', tags: ['stock'], params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: { type: 'string', minLength: 1, maxLength: 500 }, reference: text(200) } },
      response: { ...createdResponse, ...problems },
    },
  }, async (request, reply) => {
    const m = await guard(() => s().reverse((request.params as { id: string }).id, request.body as Record<string, unknown>, actorOf(request)));
    return reply.code(201).send(movementView(m, await itemOf(m.itemId)));
  });

  app.get('/api/stock/transfers', {
    config: { roles: STOCK_READERS },
    schema: { summary: 'Transfers, newest first', tags: ['stock'], querystring: { type: 'object', properties: { status: { type: 'string', enum: ['in-transit', 'received'] } } } },
  }, async (request) => {
    const items = await itemsById();
    return { transfers: (await s().repo.listTransfers((request.query as { status?: 'in-transit' | 'received' }).status)).map((t) => transferView(t, items.get(t.itemId)!)) };
  });

  app.get('/api/stock/transfers/:id', {
    config: { roles: STOCK_READERS },
    schema: { summary: 'One transfer: what was sent and, once received, what arrived', tags: ['stock'], params: idParams, response: problems },
  }, async (request) => {
    const t = await s().repo.getTransfer((request.params as { id: string }).id);
    if (!t) throw new HttpProblem('TRANSFER_NOT_FOUND', 'No such transfer');
    return transferView(t, await itemOf(t.itemId));
  });

  app.post('/api/stock/transfers/:id/receive', {
    config: { roles: STOCK_MANAGERS },
    schema: {
      summary: 'Receive a transfer at its destination; lines give what arrived per lot (default: all), differences need a reason', tags: ['stock'], params: idParams,
      body: {
        type: 'object', additionalProperties: false,
        properties: { lines: { type: 'array', maxItems: 1000, items: { type: 'object', additionalProperties: false, required: ['quantity'], properties: { lot: text(64), quantity } } }, reason: text(500), reference: text(200) },
      },
      response: problems,
    },
  }, async (request) => {
    const t = await guard(() => s().receive((request.params as { id: string }).id, (request.body ?? {}) as Record<string, unknown>, actorOf(request)));
    return transferView(t, await itemOf(t.itemId));
  });

  app.post('/api/stock/counts', {
    config: { roles: STOCK_MANAGERS },
    schema: {
      summary: 'Start a count of a depot', tags: ['stock'],
      body: { type: 'object', additionalProperties: false, required: ['depot'], properties: { depot: { type: 'string', maxLength: 100 }, note: text(500) } },
      response: { ...createdResponse, ...problems },
    },
  }, async (request, reply) => reply.code(201).send(countView(await guard(() => s().startCount(request.body as Record<string, unknown>, actorOf(request))), new Map())));

  app.get('/api/stock/counts', {
    config: { roles: STOCK_READERS },
    schema: { summary: 'Counts, newest first', tags: ['stock'], querystring: { type: 'object', properties: { depot: { type: 'string' } } } },
  }, async (request) => {
    const items = await itemsById();
    return { counts: (await s().repo.listCounts((request.query as { depot?: string }).depot)).map((c) => countView(c, items)) };
  });

  app.get('/api/stock/counts/:id', {
    config: { roles: STOCK_READERS },
    schema: { summary: 'One count with its counted lines', tags: ['stock'], params: idParams, response: problems },
  }, async (request) => {
    const c = await s().repo.getCount((request.params as { id: string }).id);
    if (!c) throw new HttpProblem('COUNT_NOT_FOUND', 'No such count');
    return countView(c, await itemsById());
  });

  app.post('/api/stock/counts/:id/lines', {
    config: { roles: STOCK_MANAGERS },
    schema: {
      summary: 'Record counted quantities (a line counted again replaces the earlier one)', tags: ['stock'], params: idParams,
      body: {
        type: 'object', additionalProperties: false, required: ['lines'],
        properties: { lines: { type: 'array', minItems: 1, maxItems: 5000, items: { type: 'object', additionalProperties: false, required: ['item', 'counted'], properties: { item: { type: 'string', maxLength: 100 }, lot: text(64), expires: text(10), counted: quantity } } } },
      },
      response: problems,
    },
  }, async (request) => countView(await guard(() => s().recordCount((request.params as { id: string }).id, request.body as Record<string, unknown>, actorOf(request))), await itemsById()));

  app.post('/api/stock/counts/:id/post', {
    config: { roles: STOCK_MANAGERS },
    schema: { summary: 'Post the differences between counted and booked quantities as adjustments, in one step', tags: ['stock'], params: idParams, response: problems },
  }, async (request) => {
    const { count, movements } = await guard(() => s().postCount((request.params as { id: string }).id, actorOf(request)));
    const items = await itemsById();
    return { count: countView(count, items), adjustments: movements.map((m) => movementView(m, items.get(m.itemId)!)) };
  });

  app.get('/api/stock/balances', {
    config: { roles: STOCK_READERS },
    schema: {
      summary: 'Balances per depot and item (lots in first-expiry order), derived from the ledger; ?depot=ID for one depot, ?format=csv for CSV', tags: ['stock'],
      querystring: { type: 'object', properties: { depot: { type: 'string', maxLength: 100 }, ...formatQuery } },
      response: problems,
    },
  }, async (request, reply) => {
    const q = request.query as { depot?: string; format?: string };
    const report = await guard(() => r().balances(q.depot), 'querystring');
    if (q.format === 'csv') return sendReport(reply, 'csv', 'stock-balances', report as never);
    return { depot: q.depot ?? null, balances: report.rows };
  });

  const reportQuery = (extra: Record<string, unknown>, required: string[] = []) => ({ type: 'object', required, properties: { ...extra, ...formatQuery } });

  app.get('/api/stock/reports/balances', {
    config: { roles: STOCK_READERS },
    schema: { summary: 'Report: balances per depot and item', tags: ['stock'], querystring: reportQuery({ depot: { type: 'string', maxLength: 100 } }), response: problems },
  }, async (request, reply) => {
    const q = request.query as { depot?: string; format?: string };
    return sendReport(reply, q.format, 'stock-balances', await guard(() => r().balances(q.depot), 'querystring') as never);
  });

  app.get('/api/stock/reports/below-minimum', {
    config: { roles: STOCK_READERS },
    schema: { summary: 'Report: items below their minimum level in a depot', tags: ['stock'], querystring: reportQuery({ depot: { type: 'string', maxLength: 100 } }), response: problems },
  }, async (request, reply) => {
    const q = request.query as { depot?: string; format?: string };
    return sendReport(reply, q.format, 'stock-below-minimum', await guard(() => r().belowMinimum(q.depot), 'querystring') as never);
  });

  app.get('/api/stock/reports/expiring', {
    config: { roles: STOCK_READERS },
    schema: { summary: 'Report: lots in stock expiring within N days (default 30; expired ones included)', tags: ['stock'], querystring: reportQuery({ days: { type: 'integer', minimum: 0, maximum: 3650, default: 30 }, depot: { type: 'string', maxLength: 100 } }), response: problems },
  }, async (request, reply) => {
    const q = request.query as { days: number; depot?: string; format?: string };
    return sendReport(reply, q.format, 'stock-expiring', await guard(() => r().expiring(q.days, q.depot), 'querystring') as never);
  });

  app.get('/api/stock/reports/issued', {
    config: { roles: STOCK_READERS },
    schema: { summary: 'Report: everything issued to (and returned from) a unit or a shelter', tags: ['stock'], querystring: reportQuery({ unit: { type: 'string', maxLength: 100 }, shelter: { type: 'string', maxLength: 100 } }), response: problems },
  }, async (request, reply) => {
    const q = request.query as { unit?: string; shelter?: string; format?: string };
    return sendReport(reply, q.format, 'stock-issued', await guard(() => r().issued({ unitId: q.unit, shelterId: q.shelter }), 'querystring') as never);
  });

  app.get('/api/stock/reports/stock-card', {
    config: { roles: STOCK_READERS },
    schema: { summary: 'Report: the stock card of an item in a depot, every movement with the running balance', tags: ['stock'], querystring: reportQuery({ depot: { type: 'string', maxLength: 100 }, item: { type: 'string', maxLength: 100 } }, ['depot', 'item']), response: problems },
  }, async (request, reply) => {
    const q = request.query as { depot: string; item: string; format?: string };
    return sendReport(reply, q.format, 'stock-card', await guard(() => r().stockCard(q.depot, q.item), 'querystring') as never);
  });

  const csvBody = (body: unknown): Buffer => {
    if (!Buffer.isBuffer(body)) throw new HttpProblem('UNSUPPORTED_MEDIA_TYPE', 'Send the CSV file as the body with content-type text/csv');
    return body;
  };

  app.post('/api/stock/import/catalogue', {
    config: { roles: STOCK_MANAGERS },
    schema: { summary: 'Import the item catalogue from CSV (body text/csv); any bad row refuses the whole file with every problem (line, column, reason)', tags: ['stock'], response: { ...problems, 422: { $ref: 'Problem#' } } },
  }, async (request) => guard(() => importCatalogue(s(), csvBody(request.body), 'catalogue.csv', actorOf(request))));

  app.post('/api/stock/import/balances', {
    config: { roles: STOCK_MANAGERS },
    schema: {
      summary: "Import a depot's opening balances from CSV (body text/csv) as receipts; all or nothing", tags: ['stock'],
      querystring: { type: 'object', required: ['depot'], properties: { depot: { type: 'string', maxLength: 100 } } }, response: { ...problems, 422: { $ref: 'Problem#' } },
    },
  }, async (request) => guard(() => importOpeningBalances(s(), csvBody(request.body), 'balances.csv', (request.query as { depot: string }).depot, actorOf(request)), 'querystring'));
};
