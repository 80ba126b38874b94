// Issue 15, "Access": every route the running server has, taken from the server itself (never a hand-written list),
// must refuse anonymous callers (401) and every role it does not allow (403), and the refusal must come from the role
// guard (its problem code), not from validation: each request carries a body built from the route's own schema. A
// state-changing route that declares no roles, or declares 'public' without being on the reviewed list below, fails;
// so does a read without roles that is not on the reviewed list. A route added tomorrow is walked like the others.
// (The server comes from startTestServer in route-walk.ts, so `npm run test:pg` runs this file on PostgreSQL too.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MUTATING, call, concrete, routerRoutes, walk } from './route-walk.ts';

const ROLES = ['admin', 'operator', 'approver', 'warden'] as const;
type Role = (typeof ROLES)[number];
const GUARD_CODES = new Set(['NOT_SIGNED_IN', 'ROLE_NOT_ALLOWED']);

/**
 * Routes that change state and are open to anonymous callers on purpose (reviewed; each one checks something else
 * in its handler). Adding one here is a security decision: say why.
 */
const PUBLIC_WRITES: Record<string, string> = {
  'POST /api/auth/login': 'signing in',
  'POST /api/auth/logout': 'ends the caller\'s own session, if any',
  'POST /api/reports': 'residents report a shelter problem (rate limited, reviewed by staff)',
  'POST /api/push/subscribe': 'a resident\'s device asks for alert pushes',
  'POST /api/push/unsubscribe': 'a resident\'s device stops alert pushes',
  'POST /api/push/test': 'a resident\'s device asks for one TEST push to itself (registered endpoint only; once a minute per device, 3 a minute per address)',
  'POST /api/callups/push': 'a member\'s device, by personal link token or signed in',
  'POST /api/callups/:id/answers': 'a member answers by personal link token, or signed in',
  'POST /answer/:token': 'a member answers a call-up by personal link (the token is the credential)',
};

/**
 * Reads that declare no roles and are therefore open to anyone (reviewed). A new read without roles fails the test:
 * declare `config.roles` (['public'] if it really is public).
 */
const UNDECLARED_PUBLIC_READS = new Set([
  '/docs', '/docs/', '/docs/static/*', '/docs/static/index.html', '/docs/static/swagger-initializer.js', '/docs/json', '/docs/yaml',
  '/healthz', '/readyz', '/openapi.json',
  '/metrics', // its own guard: loopback or the scrape secret (metrics-access.ts; tested in test/server)
  '/api/auth/me', // says who you are, or 401
  '/api/shelters', '/api/shelters/:id', '/api/shelters/export', '/api/shelters/snapshot', '/api/sources',
  '/api/regions', '/api/regions/at', '/.well-known/refuge-signing-key', '/api/nearest', '/api/reports/open',
  '/api/network', '/api/network/lines',
]);

test('the route list comes from the server and is complete: every route in the router was recorded with its roles', async (t) => {
  const { s, routes } = await walk(t);
  const recorded = new Set(routes.map((r) => `${r.method} ${r.url}`));
  const router = routerRoutes(s.app.printRoutes({ commonPrefix: false }));
  assert.ok(router.length >= 100, `the router lists its routes (${router.length})`);
  // Fastify registers the trailing-slash twin of a prefixed '/' route without running onRoute; it shares the twin's
  // options (so its roles), and is walked below with them. The printed tree can also misplace a wildcard under a
  // shared prefix, so only what the router really answers counts.
  const missing = router
    .filter((r) => !recorded.has(`${r.method} ${r.url}`) && s.app.hasRoute({ method: r.method as 'GET', url: r.url }))
    .filter((r) => !(r.url.endsWith('/') && recorded.has(`${r.method} ${r.url.slice(0, -1)}`)))
    .map((r) => `${r.method} ${r.url}`);
  assert.deepEqual(missing, [], 'routes in the router that the role record never saw (registered outside the onRoute hook?)');
  // Sanity: the walk covers every capability, so an empty or partial list cannot pass silently.
  for (const prefix of ['/api/shelters', '/api/alerts', '/api/users', '/api/units', '/api/callups', '/api/regimes', '/api/stock', '/api/depots', '/api/plan', '/api/regions', '/api/reports', '/api/tokens']) {
    assert.ok(routes.some((r) => r.url.startsWith(prefix)), `routes under ${prefix} are walked`);
  }
});

test('every route declares who may use it; public writes and undeclared reads are only the reviewed ones', async (t) => {
  const { routes } = await walk(t);
  const problems: string[] = [];
  for (const r of routes) {
    const key = `${r.method} ${r.url}`;
    if (MUTATING.has(r.method)) {
      if (!r.roles || r.roles.length === 0) problems.push(`${key}: UNGUARDED, declares no roles`);
      else if (r.roles.includes('public') && !(key in PUBLIC_WRITES)) problems.push(`${key}: changes state and is open to anonymous callers; not on the reviewed list`);
    } else if (!r.roles || r.roles.length === 0) {
      if (!UNDECLARED_PUBLIC_READS.has(r.url)) problems.push(`${key}: declares no roles, so anyone can read it; declare config.roles`);
    }
  }
  for (const key of Object.keys(PUBLIC_WRITES)) {
    const [method, url] = key.split(' ');
    if (!routes.some((r) => r.method === method && r.url === url)) problems.push(`${key}: on the reviewed public list but the server has no such route (stale list)`);
  }
  assert.deepEqual(problems, [], `routes without a sound role declaration:\n${problems.join('\n')}`);
});

test('every state-changing route refuses anonymous callers (401) and each role it does not allow (403), at the guard', async (t) => {
  const { s, routes, bodyOf } = await walk(t);
  const guarded = routes.filter((r) => MUTATING.has(r.method) && r.roles?.length && !r.roles.includes('public'));
  assert.ok(guarded.length >= 45, `state-changing guarded routes walked: ${guarded.length}`);
  const failures: string[] = [];
  let refusals = 0;
  for (const r of guarded) {
    const body = bodyOf(r);
    const key = `${r.method} ${r.url}`;
    const anon = await call(s, r, body);
    if (anon.status !== 401 || anon.body?.code !== 'NOT_SIGNED_IN') failures.push(`${key} anonymous: ${anon.status} ${anon.body?.code ?? anon.text.slice(0, 80)} (want 401 NOT_SIGNED_IN)`);
    const bad = await s.request(r.method, concrete(r.url), { token: 'not-a-real-token', body });
    if (bad.status !== 401) failures.push(`${key} with an unknown token: ${bad.status} (want 401)`);
    for (const role of ROLES.filter((x) => !r.roles!.includes(x))) {
      const res = await call(s, r, body, s.tokens[role as Role]);
      if (res.status !== 403 || res.body?.code !== 'ROLE_NOT_ALLOWED') failures.push(`${key} as ${role}: ${res.status} ${res.body?.code ?? ''} (want 403 ROLE_NOT_ALLOWED)`);
    }
    refusals += 2 + ROLES.filter((x) => !r.roles!.includes(x)).length;
  }
  // The control: an allowed role gets past the guard with the same request (whatever the handler then says), so the
  // refusals above are the guard's and not something every caller would get. Run last: these may change state.
  for (const r of guarded) {
    const allowed = ROLES.find((x) => r.roles!.includes(x))!;
    const res = await call(s, r, bodyOf(r), s.tokens[allowed]);
    if (GUARD_CODES.has(res.body?.code) || res.status === 404 && res.body?.code === 'NOT_FOUND' && /No route/.test(res.body?.detail ?? '')) {
      failures.push(`${r.method} ${r.url} as allowed role ${allowed}: ${res.status} ${res.body?.code} (the guard or router refused an allowed caller)`);
    }
    if (res.status >= 500) failures.push(`${r.method} ${r.url} as ${allowed} with a schema-built body: ${res.status} ${res.text.slice(0, 120)}`);
  }
  assert.deepEqual(failures, [], `guard failures (${failures.length} of ${refusals} refusals checked):\n${failures.join('\n')}`);
});

test('every read that is not public refuses anonymous callers (401) and each role it does not allow (403)', async (t) => {
  const { s, routes } = await walk(t);
  const reads = routes.filter((r) => (r.method === 'GET' || r.method === 'HEAD') && r.roles?.length && !r.roles.includes('public'));
  assert.ok(reads.length >= 40, `non-public reads walked: ${reads.length}`);
  const failures: string[] = [];
  for (const r of reads) {
    const key = `${r.method} ${r.url}`;
    const anon = await call(s, r, undefined);
    // HEAD answers carry no body, so only the status is checked there.
    if (anon.status !== 401 || (r.method === 'GET' && anon.body?.code !== 'NOT_SIGNED_IN')) failures.push(`${key} anonymous: ${anon.status} ${anon.body?.code ?? ''} (want 401 NOT_SIGNED_IN)`);
    for (const role of ROLES.filter((x) => !r.roles!.includes(x))) {
      const res = await call(s, r, undefined, s.tokens[role as Role]);
      if (res.status !== 403 || (r.method === 'GET' && res.body?.code !== 'ROLE_NOT_ALLOWED')) failures.push(`${key} as ${role}: ${res.status} ${res.body?.code ?? ''} (want 403 ROLE_NOT_ALLOWED)`);
    }
  }
  assert.deepEqual(failures, [], `read guard failures:\n${failures.join('\n')}`);
});

test('a session cookie of a role that is not allowed is refused like its token', async (t) => {
  // The guard reads the user from either credential; a cookie must not be a way around it.
  const { s, routes, bodyOf } = await walk(t);
  const login = await s.request('POST', '/api/auth/login', { body: { name: 'warden', password: 'warden-password-long' } });
  assert.equal(login.status, 200, login.text);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  assert.match(cookie, /^refuge_session=/);
  const failures: string[] = [];
  for (const r of routes.filter((x) => MUTATING.has(x.method) && x.roles?.length && !x.roles.includes('public') && !x.roles.includes('warden'))) {
    const res = await s.request(r.method, concrete(r.url), { body: bodyOf(r), headers: { cookie } });
    if (res.status !== 403 || res.body?.code !== 'ROLE_NOT_ALLOWED') failures.push(`${r.method} ${r.url} with a warden session: ${res.status} ${res.body?.code ?? ''}`);
  }
  assert.deepEqual(failures, []);
});
