// End-to-end harness: a real Refuge server (port 0, temp SQLite file, the built web app) and Debian's Chromium
// driven by playwright-core with a fresh profile.
import { before, after } from 'node:test';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { importShelters } from '../../src/registry/import/index.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WEB_DIST = join(ROOT, 'web', 'dist');
export const CHROMIUM = '/usr/bin/chromium';
export const PASSWORDS = { olga: 'olga-operator-pass-1', avi: 'avi-approver-pass-1', wendy: 'wendy-warden-pass-1' };

/** Builds the web app when the build is missing (npm test builds it first; a lone run of this file may not have). */
export async function ensureWebBuilt(): Promise<void> {
  if (existsSync(join(WEB_DIST, 'index.html')) && existsSync(join(WEB_DIST, 'sw.js'))) return;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), logLevel: 'error' });
}

/** Two test regions over central Copenhagen (the demo's street network), with warning times. */
export const TEST_REGIONS = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { name: 'Indre By', code: 'DK-IB', warning_time_s: 90 }, geometry: { type: 'Polygon', coordinates: [[[12.555, 55.665], [12.6, 55.665], [12.6, 55.69], [12.555, 55.69], [12.555, 55.665]]] } },
    { type: 'Feature', properties: { name: 'Vesterbro', code: 'DK-VB', warning_time_s: 120 }, geometry: { type: 'Polygon', coordinates: [[[12.52, 55.655], [12.555, 55.655], [12.555, 55.68], [12.52, 55.68], [12.52, 55.655]]] } },
  ],
};

export async function seedRegions(server: RunningServer): Promise<void> {
  const { parseRegionsGeoJson } = await import('../../src/geo/index.ts');
  const { reloadRegions } = await import('../../src/server/capabilities/regions.ts');
  await reloadRegions(server.ctx, 'e2e-copenhagen', parseRegionsGeoJson(JSON.stringify(TEST_REGIONS), {}, 'e2e').regions);
}

export interface App {
  server: RunningServer;
  url: string;
  dir: string;
  close(): Promise<void>;
}

/** A server on a temp database with the Copenhagen demo shelters and three staff accounts. */
export async function startApp(extra?: (server: RunningServer) => Promise<void>, opts: { shelters?: boolean } = {}): Promise<App> {
  await ensureWebBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'refuge-e2e-'));
  const server = await startServer({ dbPath: join(dir, 'refuge.db'), port: 0, webRoot: WEB_DIST, insecureCookies: true });
  const { ctx } = server;
  if (opts.shelters !== false) await importShelters(ctx.registry, readFileSync(join(ROOT, 'data', 'demo', 'copenhagen-shelters.geojson')), 'copenhagen-shelters.geojson', {
    source: 'copenhagen-bbr', attribution: 'BBR', licence: 'Danish public data', actor: 'e2e',
  });
  // The demo's Copenhagen street network (built in a worker; a second of work on this machine).
  await ctx.network!.importFile(join(ROOT, 'data', 'demo', 'kbh.osm.pbf'));
  await ctx.accounts.createUser('olga', 'operator', PASSWORDS.olga);
  await ctx.accounts.createUser('avi', 'approver', PASSWORDS.avi);
  await ctx.accounts.createUser('wendy', 'warden', PASSWORDS.wendy);
  if (extra) await extra(server);
  return {
    server, url: server.url, dir,
    async close() {
      await server.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium with a new, empty profile; geolocation granted at the given point when one is given. */
export async function launchBrowser(opts: { geolocation?: { latitude: number; longitude: number }; locale?: string; viewport?: { width: number; height: number }; args?: string[] } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'refuge-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(opts.args ?? [])],
    viewport: opts.viewport ?? { width: 420, height: 860 },
    locale: opts.locale ?? 'en-GB',
    geolocation: opts.geolocation,
    permissions: opts.geolocation ? ['geolocation'] : [],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

let axeSource: string | undefined;

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function axe(page: Page): Promise<AxeViolation[]> {
  // Evaluated through DevTools rather than added as a <script>: the pages' Content Security Policy refuses inline
  // scripts, and rightly so.
  axeSource ??= readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } };
    const r = await w.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target })) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(v: AxeViolation[]): string {
  return v.map((x) => `${x.impact} ${x.id}: ${x.help} at ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n');
}

export async function signIn(page: Page, base: string, name: keyof typeof PASSWORDS): Promise<void> {
  await page.context().clearCookies(); // each sign-in starts signed out, in a freshly loaded console
  await page.goto('about:blank');
  await page.goto(`${base}/console.html#/registry`);
  await page.fill('#login-name', name);
  await page.fill('#login-password', PASSWORDS[name]);
  await page.click('form button[type=submit]');
  await page.waitForSelector('#nav:not([hidden])');
}

export function skipWithoutChromium(t: { skip: (msg: string) => void }): boolean {
  if (chromiumAvailable()) return false;
  t.skip('Chromium is not installed at /usr/bin/chromium (.ci/run installs it with apt)');
  return true;
}

/** Fails the test on any serious or critical axe-core violation, saying where. */
export async function noSeriousViolations(page: Page, where: string): Promise<void> {
  const v = await axe(page);
  assert.deepEqual(v, [], `${where}:\n${describeViolations(v)}`);
}

/** A JSON API call with a bearer token (an operator's or approver's, to set a scene); anything but 2xx throws with the answer. */
export async function apiCall(base: string, method: string, path: string, token: string, body?: unknown): Promise<Record<string, any>> {
  const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json().catch(() => null);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json as Record<string, unknown>;
}

/**
 * For a file's tests: the app with the test regions, started before them and closed after, and an operator's and an
 * approver's API tokens (olga, avi) handed to `ready` (nothing is started without Chromium).
 */
export function withAlertApp(ready: (scene: { app: App; operator: string; approver: string }) => void): void {
  let started: App | undefined;
  before(async () => {
    if (!chromiumAvailable()) return;
    started = await startApp(seedRegions);
    ready({ app: started, operator: await started.server.ctx.accounts.createApiToken('olga'), approver: await started.server.ctx.accounts.createApiToken('avi') });
  });
  after(async () => {
    await started?.close();
  });
}

/** Polls `probe` every 100 ms until it gives something truthy; fails naming `what` after `ms`. */
export async function until<T>(what: string, probe: () => T | null | undefined | false | Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * An init script (as text: the test's compiler would wrap functions in a helper the page does not have) that puts a
 * phone's autoplay policy back in headless Chromium, and only that: until a real (trusted) pointer or key event an
 * AudioContext says "suspended" and resume() waits. What the page asks of the vibration motor (window.vibrations) and
 * each oscillator it starts (window.oscillators: a siren is a sawtooth, the exercise beeps a sine) are recorded; the
 * browser's own answers are passed back unchanged.
 */
export const PHONE_SOUND_POLICY = `
  let touched = false;
  for (const type of ['pointerdown', 'keydown']) addEventListener(type, (e) => { if (e.isTrusted) touched = true; }, true);
  const state = Object.getOwnPropertyDescriptor(BaseAudioContext.prototype, 'state').get;
  const resume = AudioContext.prototype.resume;
  Object.defineProperty(BaseAudioContext.prototype, 'state', { get() { return touched ? state.call(this) : 'suspended'; }, configurable: true });
  AudioContext.prototype.resume = function () { return touched ? resume.call(this) : new Promise(() => undefined); };
  window.vibrations = [];
  const vibrate = navigator.vibrate ? navigator.vibrate.bind(navigator) : null;
  Object.defineProperty(navigator, 'vibrate', { value: (pattern) => { window.vibrations.push(pattern); return vibrate ? vibrate(pattern) : false; }, configurable: true });
  window.oscillators = [];
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) { window.oscillators.push(this.type); return start.apply(this, args); };
`;

/** The service worker's registration id for the origin of `base`, from DevTools (for ServiceWorker.deliverPushMessage). */
export async function registrationOf(cdp: CDPSession, base: string): Promise<string> {
  const regs = new Map<string, { registrationId: string; scopeURL: string; isDeleted: boolean }>();
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => { for (const r of e.registrations) regs.set(r.registrationId, r); });
  await cdp.send('ServiceWorker.enable');
  const scope = `${new URL(base).origin}/`;
  return (await until('the service worker registration', () => [...regs.values()].find((r) => r.scopeURL === scope && !r.isDeleted))).registrationId;
}
