// Shared test setup for alert lifecycle and delivery tests: a real SQLite file, real regions, real CAP emitter.
import { generateKeyPairSync, sign as edSign, verify as edVerify, createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegionIndex, type Region } from '../../src/geo/index.ts';
import { capToXml } from '../../src/alerts/cap/index.ts';
import { openDatabase, type Db } from '../../src/store/sqlite/db.ts';
import { SqliteAlertStore } from '../../src/store/sqlite/alerts-store.ts';
import { AlertLifecycle, type Actor, type CapSigner, type LifecycleOptions } from '../../src/alerts/lifecycle/index.ts';

function square(code: string, name: string, lon: number, lat: number, size: number, warningTimeS: number | null, parentCode: string | null): Region {
  const ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]];
  return { code, name, warningTimeS, parentCode, geometry: { type: 'MultiPolygon', coordinates: [[ring]] } };
}

/** An oblast with two raions inside it, and an unrelated city far away. */
export function testRegions(): RegionIndex {
  return new RegionIndex([
    square('UA-30', 'Kyiv oblast', 30, 50, 2, 120, null),
    square('UA-30-1', 'Bucha raion', 30, 50, 1, 90, 'UA-30'),
    square('UA-30-2', 'Brovary raion', 31, 50, 1, 90, 'UA-30'),
    square('IL-SDEROT', 'Sderot', 34.5, 31.5, 0.1, 15, null),
  ]);
}

export const regionDirectory = (index: RegionIndex) => ({ region: (code: string) => index.get(code) });

/** Ed25519 over the CAP XML bytes, as src/alerts/signing does; kept local so these tests stand alone. */
export function testSigner(): CapSigner & { verify: (xml: string, sig: string) => boolean } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const keyId = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url').slice(0, 16);
  return {
    sign: (xml) => ({ signature: edSign(null, Buffer.from(xml), privateKey).toString('base64'), keyId }),
    verify: (xml, sig) => edVerify(null, Buffer.from(xml), publicKey, Buffer.from(sig, 'base64')),
  };
}

export const operator: Actor = { name: 'olena', role: 'operator' };
export const operator2: Actor = { name: 'taras', role: 'operator' };
export const approver: Actor = { name: 'mykola', role: 'approver' };
export const approver2: Actor = { name: 'iryna', role: 'approver' };
export const warden: Actor = { name: 'petro', role: 'warden' };

export interface TestEnv {
  dir: string;
  dbPath: string;
  db: Db;
  store: SqliteAlertStore;
  regions: RegionIndex;
  lifecycle: AlertLifecycle;
  clock: { now: number };
  committed: number[];
  close(): void;
}

export function testEnv(extra: Partial<LifecycleOptions> = {}): TestEnv {
  const dir = mkdtempSync(join(tmpdir(), 'refuge-alerts-'));
  const dbPath = join(dir, 'refuge.db');
  const db = openDatabase(dbPath);
  const store = new SqliteAlertStore(db);
  const regions = testRegions();
  const clock = { now: Date.parse('2026-03-01T10:00:00Z') };
  const committed: number[] = [];
  const signer = testSigner();
  const lifecycle = new AlertLifecycle({
    store, regions: regionDirectory(regions), emitCap: capToXml, signer, verify: signer.verify,
    sender: 'alerts@refuge.test', senderName: 'Refuge test authority', now: () => clock.now,
    onCommitted: (seq) => committed.push(seq), ...extra,
  });
  return {
    dir, dbPath, db, store, regions, lifecycle, clock, committed,
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function missileDraft(overrides: Record<string, unknown> = {}, nowMs = Date.parse('2026-03-01T10:00:00Z')) {
  return {
    status: 'Actual', msgType: 'Alert', event: 'missile', urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed',
    headline: 'Missile attack: take cover now', description: 'Ballistic missiles launched towards Kyiv oblast.',
    instruction: 'Go to the nearest shelter immediately and stay there until the all clear.',
    regions: ['UA-30'], expires: new Date(nowMs + 30 * 60_000).toISOString(), ...overrides,
  };
}
