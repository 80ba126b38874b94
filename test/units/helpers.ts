// A real server with the test regions (UA-30 with raions UA-30-1 and UA-30-2, IL-SDEROT) and a few units.
import { startTestServer, type TestServer } from '../helpers.ts';
import { testRegions } from '../alerts-lifecycle/helpers.ts';
import { reloadRegions } from '../../src/server/capabilities/regions.ts';

export async function startUnitsServer(t: { after: (fn: () => Promise<void> | void) => void }): Promise<TestServer> {
  const server = await startTestServer(t);
  await reloadRegions(server.ctx, 'test', [...testRegions().list()]);
  return server;
}

export function inMinutes(n: number): string {
  return new Date(Date.now() + n * 60_000).toISOString();
}

export async function post(server: TestServer, path: string, body: unknown, token = server.tokens.operator) {
  const r = await server.request('POST', path, { token, body });
  if (r.status >= 300) throw new Error(`POST ${path}: ${r.status} ${r.text}`);
  return r.body;
}

/**
 * Bucha rescue (UA-30-1): Olena, leader, answers in the console as the `warden` account; Petro, medic, by link.
 * Brovary first aid (UA-30-2): Iryna, leader, by link; Taras on leave (not called).
 * Sderot rescue (IL-SDEROT): Dan, leader.
 */
export async function seedUnits(server: TestServer) {
  const bucha = (await post(server, '/api/units', { name: 'Bucha rescue', type: 'rescue', region: 'UA-30-1', base: { lat: 50.2, lon: 30.2, address: 'Depot 1' }, requiredRoles: ['leader', 'medic'] })).id as string;
  const brovary = (await post(server, '/api/units', { name: 'Brovary first aid', type: 'first-aid', region: 'UA-30-2' })).id as string;
  const sderot = (await post(server, '/api/units', { name: 'Sderot rescue', type: 'rescue', region: 'IL-SDEROT' })).id as string;
  const olena = (await post(server, `/api/units/${bucha}/members`, { name: 'Olena', role: 'leader', user: 'warden', contact: { phone: '+380 44 111 22 33' } })).id as string;
  const petro = (await post(server, `/api/units/${bucha}/members`, { name: 'Petro', role: 'medic', contact: { email: 'petro@example.org' } })).id as string;
  const iryna = (await post(server, `/api/units/${brovary}/members`, { name: 'Iryna', role: 'leader', contact: { phone: '+380 44 555' } })).id as string;
  const taras = (await post(server, `/api/units/${brovary}/members`, { name: 'Taras', role: 'driver', availability: 'on-leave', availableFrom: '2099-01-01' })).id as string;
  const dan = (await post(server, `/api/units/${sderot}/members`, { name: 'Dan', role: 'leader' })).id as string;
  return { bucha, brovary, sderot, olena, petro, iryna, taras, dan };
}
