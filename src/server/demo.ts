// Demo mode: the bundled datasets are loaded on first start, and demo accounts get one-time passwords.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import type { AppContext } from './index.ts';
import { importShelters } from '../registry/import/index.ts';
import { loadDemoNetwork } from './capabilities/network.ts';
import { reloadRegions } from './capabilities/regions.ts';
import { parseRegionsGeoJson } from '../geo/index.ts';

export const DEMO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'demo');

interface DemoShelters { file: string; source: string; attribution: string; licence: string }

export const DEMO_SHELTERS: DemoShelters[] = [
  { file: 'jerusalem-shelters.csv', source: 'jerusalem-municipality', attribution: 'Jerusalem Municipality public shelters, via Daniel Rosehill (Jerusalem-Shelters-0925)', licence: 'CC BY 4.0' },
  { file: 'copenhagen-shelters.geojson', source: 'copenhagen-bbr', attribution: 'Beskyttelsesrum from the Danish building register (BBR), via avimedia/tilfluktsrom-data', licence: 'Danish public data' },
];

/** Steps other capabilities add (a street network, regions) run after the shelters are in. */
export const demoSteps: Array<(ctx: AppContext, log: (msg: string) => void) => Promise<void>> = [
  (ctx, log) => loadDemoNetwork(ctx, log, DEMO_DIR),
  async (ctx, log) => loadDemoRegions(ctx, log),
];

/** Approximate alert areas around the demo cities (see data/demo/SOURCE.md), so the alert flow can be tried. */
async function loadDemoRegions(ctx: AppContext, log: (msg: string) => void): Promise<void> {
  if (ctx.regions && ctx.regions.size > 0) return;
  const file = 'demo-regions.geojson';
  const { regions } = parseRegionsGeoJson(readFileSync(join(DEMO_DIR, file), 'utf8'), { codeField: 'code', nameField: 'name', warningTimeField: 'warning_time_s', parentField: 'parent' }, file);
  await reloadRegions(ctx, 'demo', regions);
  log(`demo: loaded ${regions.length} demo alert regions`);
}

export async function loadDemoData(ctx: AppContext, log: (msg: string) => void): Promise<void> {
  const present = new Set((await ctx.registry.sources()).map((s) => s.name));
  for (const d of DEMO_SHELTERS) {
    if (present.has(d.source)) continue;
    const s = await importShelters(ctx.registry, readFileSync(join(DEMO_DIR, d.file)), d.file, { source: d.source, attribution: d.attribution, licence: d.licence, actor: 'demo' });
    log(`demo: loaded ${s.imported} shelters from ${d.file}`);
  }
  for (const step of demoSteps) await step(ctx, log);
}

/** Creates demo accounts that do not exist yet and returns their one-time passwords. */
export async function createDemoAccounts(ctx: AppContext): Promise<Array<{ name: string; role: string; password: string }>> {
  const existing = new Set((await ctx.accounts.listUsers()).map((u) => u.name));
  const made: Array<{ name: string; role: string; password: string }> = [];
  for (const [name, role] of [['admin', 'admin'], ['operator', 'operator'], ['approver', 'approver'], ['warden', 'warden']] as const) {
    if (existing.has(name)) continue;
    const password = randomBytes(12).toString('base64url');
    await ctx.accounts.createUser(name, role, password);
    made.push({ name, role, password });
  }
  return made;
}
