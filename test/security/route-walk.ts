// The server's own route list, walked by the security tests (route guards, HTTP fuzzing): every (method, url) with
// its declared roles, taken from the running server, with bodies built from each route's own JSON schema.
import { startTestServer, type TestServer } from '../helpers.ts';

export const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface Route { method: string; url: string; roles: readonly string[] | undefined }

/** Every (method, url) in the server's router, read from printRoutes: catches a route the onRoute record missed. */
export function routerRoutes(tree: string): Array<{ method: string; url: string }> {
  const out: Array<{ method: string; url: string }> = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = [...m[1]].length / 4;
    stack.length = depth;
    const url = (stack[depth - 1] ?? '') + m[2];
    stack.push(url);
    for (const method of m[3]?.split(',').map((s) => s.trim()) ?? []) out.push({ method, url });
  }
  return out;
}

/** A value that satisfies a JSON schema as far as a guard test needs: required fields, right types, enums, bounds. */
export function sample(schema: any, doc: any, depth = 0): unknown {
  if (!schema || typeof schema !== 'object' || depth > 8) return null;
  if (schema.$ref) {
    const name = String(schema.$ref).replace(/^#\/components\/schemas\//, '').replace(/#$/, '');
    return sample(doc.components?.schemas?.[name], doc, depth + 1);
  }
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ('default' in schema) return schema.default;
  for (const k of ['oneOf', 'anyOf']) if (Array.isArray(schema[k])) return sample(schema[k][0], doc, depth + 1);
  if (Array.isArray(schema.allOf)) return Object.assign({}, ...schema.allOf.map((s: unknown) => sample(s, doc, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type ?? (schema.properties ? 'object' : undefined);
  switch (type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const key of schema.required ?? []) o[key] = sample(schema.properties?.[key] ?? {}, doc, depth + 1);
      return o;
    }
    case 'array': return Array.from({ length: schema.minItems ?? 1 }, () => sample(schema.items ?? {}, doc, depth + 1));
    case 'integer':
    case 'number': return Math.max(schema.minimum ?? 1, Math.min(schema.maximum ?? 1, 1));
    case 'boolean': return false;
    case 'string': {
      const byFormat: Record<string, string> = { 'date-time': new Date(Date.now() + 3_600_000).toISOString(), date: '2030-01-01', email: 'guard@example.org', uri: 'https://example.org/' };
      const s = byFormat[schema.format] ?? 'guard-probe-1';
      return s.length < (schema.minLength ?? 0) ? s.padEnd(schema.minLength, 'x') : s.slice(0, schema.maxLength ?? s.length);
    }
    default: return {};
  }
}

/** Fills path parameters with plausible values (no record needs to exist: the guard answers before the handler). */
export function concrete(url: string): string {
  return url.replace(/:regionCode\b/g, 'UA-30').replace(/:layer\b/g, 'coverage').replace(/:name\b/g, 'nobody').replace(/:[A-Za-z]+/g, 'guard-probe-1').replace(/\*$/, 'x');
}

export async function call(s: TestServer, r: Route, body: unknown, token?: string) {
  return s.request(r.method, concrete(r.url), { token, ...(r.method === 'GET' || r.method === 'HEAD' ? {} : { body: body ?? {} }) });
}

export async function walk(t: { after: (fn: () => Promise<void> | void) => void }, opts: Parameters<typeof startTestServer>[1] = {}) {
  const s = await startTestServer(t, opts);
  const routes: Route[] = s.app.refugeRoutes.map((r) => ({ method: r.method, url: r.url, roles: r.roles }));
  // Trailing-slash twins (see the first test) are walked with their twin's roles.
  const known = new Set(routes.map((r) => `${r.method} ${r.url}`));
  for (const r of routerRoutes(s.app.printRoutes({ commonPrefix: false }))) {
    const twin = routes.find((x) => x.method === r.method && r.url.endsWith('/') && x.url === r.url.slice(0, -1));
    if (twin && !known.has(`${r.method} ${r.url}`) && s.app.hasRoute({ method: r.method as 'GET', url: r.url })) routes.push({ ...twin, url: r.url });
  }
  const doc = s.app.swagger() as any;
  const bodyOf = (r: Route) => {
    const op = doc.paths?.[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()];
    const schema = op?.requestBody?.content?.['application/json']?.schema;
    return schema ? sample(schema, doc) : {};
  };
  return { s, routes, bodyOf };
}

