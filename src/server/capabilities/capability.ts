// What a capability is to the server: services it starts (kept on the server's context, see context.ts) and routes
// it registers as Fastify plugins, each given the services it needs as plugin options.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import type { LoginThrottlePort } from '../shared-limits.ts';

/** What the HTTP edge itself provides to routes (built once per app in app.ts). */
export interface EdgeServices {
  /** Sign-in throttling: shared by every process on PostgreSQL, this process's memory on SQLite. */
  loginThrottle: LoginThrottlePort;
}

export interface Capability {
  name: string;
  /** Builds the capability's services (loads indexes, starts workers) and keeps them on the context. */
  start?(ctx: AppContext): Promise<void>;
  /** Registers its route plugins with the services they use. Every mutating route declares config.roles. */
  routes?(app: FastifyInstance, ctx: AppContext, edge: EdgeServices): Promise<void>;
  /** Stops workers, flushes queues; called on shutdown in reverse order. */
  stop?(ctx: AppContext): Promise<void>;
}

/** A service a capability's start() put on the context; its routes are registered after every start. */
export function started<T>(service: T | undefined, what: string): T {
  if (service === undefined) throw new Error(`${what} is not started`);
  return service;
}
