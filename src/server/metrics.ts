// Prometheus metrics: request counts and latencies per route, plus process figures.
import { Counter, Histogram, Registry, collectDefaultMetrics, Gauge } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { ShelterRegistry } from '../registry/index.ts';

export function registerMetrics(app: FastifyInstance, shelters: ShelterRegistry): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: 'refuge_http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const duration = new Histogram({ name: 'refuge_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route'], buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5], registers: [registry] });
  new Gauge({ name: 'refuge_shelters', help: 'Shelters in the registry by status (decommissioned excluded)', labelNames: ['status'], registers: [registry],
    collect() {
      this.reset();
      for (const s of shelters.all()) if (!s.decommissionedAt) this.inc({ status: s.status });
    } });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: reply.statusCode });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  return registry;
}
