// Shared by the alert contract suites (alerts, push, reach, trust): every alert port of one store, a second handle on
// the same database (as another server process would have), and alert records and events built the way the
// lifecycle builds them (src/alerts/lifecycle).
import pg from 'pg';
import { openDatabase, type Db } from '../../../src/store/sqlite/db.ts';
import { SqliteAlertStore } from '../../../src/store/sqlite/alerts-store.ts';
import { SqlitePushStore } from '../../../src/store/sqlite/alerts-push-store.ts';
import { SqliteDeliveryStore } from '../../../src/store/sqlite/alerts-delivery-store.ts';
import { SqliteTrustedAuthorityStore } from '../../../src/store/sqlite/alerts-trust-store.ts';
import { PostgresAlertStore } from '../../../src/store/postgres/alerts.ts';
import { PostgresPushStore } from '../../../src/store/postgres/alerts-push.ts';
import { PostgresDeliveryStore } from '../../../src/store/postgres/alerts-delivery.ts';
import { PostgresTrustedAuthorityStore } from '../../../src/store/postgres/alerts-trust.ts';
import type { AlertStore, IssueWrite, RegionDirectory, TrustedAuthorityStore } from '../../../src/alerts/lifecycle/ports.ts';
import type { OutboxStore, PushStore, PushSubscriptionRecord, ReachStore } from '../../../src/alerts/delivery/ports.ts';
import type { AlertRecord, CapMsgType } from '../../../src/alerts/model.ts';
import { buildAlertEvent } from '../../../src/alerts/lifecycle/alert-event.ts';
import { capFromInput, capTime } from '../../../src/alerts/lifecycle/draft-input.ts';
import { freshPostgres, freshSqlite, PG_URL } from './databases.ts';

export interface AlertStores {
  alerts: AlertStore & OutboxStore;
  push: PushStore;
  reach: ReachStore;
  trust: TrustedAuthorityStore;
}

export interface AlertStoresUnderTest extends AlertStores {
  /** The same ports on a connection (pool) of their own to the same database: another server process. */
  another(): Promise<AlertStores>;
  /**
   * Makes every outbox insert wait a few random milliseconds before its transaction commits (as on a loaded server),
   * widening the gap between taking a seq and committing it. Only where the store can commit concurrently.
   */
  slowOutboxCommits?(): Promise<void>;
}

export type MakeAlertStores = (t: any) => Promise<AlertStoresUnderTest>;

const sqlitePorts = (db: Db): AlertStores => ({
  alerts: new SqliteAlertStore(db), push: new SqlitePushStore(db), reach: new SqliteDeliveryStore(db), trust: new SqliteTrustedAuthorityStore(db),
});

const postgresPorts = (pool: pg.Pool): AlertStores => ({
  alerts: new PostgresAlertStore(pool), push: new PostgresPushStore(pool), reach: new PostgresDeliveryStore(pool), trust: new PostgresTrustedAuthorityStore(pool),
});

export const sqliteAlertStores: MakeAlertStores = async (t) => {
  const store = await freshSqlite(t);
  return {
    ...sqlitePorts(store.db),
    async another() {
      const db = openDatabase(store.path);
      t.after(() => db.close());
      return sqlitePorts(db);
    },
  };
};

export const postgresAlertStores: MakeAlertStores = async (t) => {
  const store = await freshPostgres(t);
  const schema = (await store.pool.query('SELECT current_schema() AS s')).rows[0].s as string;
  return {
    ...postgresPorts(store.pool),
    async another() {
      const pool = new pg.Pool({ connectionString: PG_URL, max: 8, options: `-c search_path=${schema},public` });
      t.after(() => pool.end());
      return postgresPorts(pool);
    },
    async slowOutboxCommits() {
      await store.pool.query(`CREATE FUNCTION test_slow_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN PERFORM pg_sleep(random() * 0.01); RETURN NEW; END $$;
        CREATE TRIGGER test_slow_outbox AFTER INSERT ON alert_outbox FOR EACH ROW EXECUTE FUNCTION test_slow_outbox()`);
    },
  };
};

export const T0 = Date.parse('2026-03-01T10:00:00Z');
export const MIN = 60_000;

const REGIONS: Record<string, { name: string; warningTimeS: number | null; parentCode: string | null }> = {
  'UA-30': { name: 'Kyiv oblast', warningTimeS: 120, parentCode: null },
  'UA-30-1': { name: 'Bucha raion', warningTimeS: 90, parentCode: 'UA-30' },
  'UA-30-2': { name: 'Brovary raion', warningTimeS: 90, parentCode: 'UA-30' },
  'IL-SDEROT': { name: 'Sderot', warningTimeS: 15, parentCode: null },
};

export const regions: RegionDirectory = {
  region: (code) => (REGIONS[code] ? { code, ...REGIONS[code] } : undefined),
};

export interface DraftOptions {
  msgType?: CapMsgType;
  /** Minutes after T0 it was drafted. */
  at?: number;
  /** Minutes after T0 it expires. */
  expiresIn?: number;
  regions?: string[];
  references?: string[];
  headline?: string;
  sender?: string;
}

/** A draft as the lifecycle stores it (every field set, as the store returns it). */
export function draft(id: string, o: DraftOptions = {}): AlertRecord {
  const at = T0 + (o.at ?? 0) * MIN;
  const msgType = o.msgType ?? 'Alert';
  const cap = capFromInput({
    status: 'Actual', msgType: msgType as 'Alert', eventType: 'missile', stage: msgType === 'Cancel' ? 'all-clear' : 'alert', urgency: 'Immediate',
    severity: 'Extreme', certainty: 'Observed', headline: o.headline ?? `Missile attack ${id}: take cover now`, description: 'Ballistic missiles launched.',
    instruction: 'Go to the nearest shelter.', regions: o.regions ?? ['UA-30'], onset: null, expires: new Date(T0 + (o.expiresIn ?? 30) * MIN).toISOString(),
    language: 'uk', references: o.references ?? [],
  }, regions, { identifier: `urn:refuge:${id}`, sender: o.sender ?? 'alerts@refuge.test', senderName: 'Refuge test authority', nowMs: at },
  (o.references ?? []).map((r) => `alerts@refuge.test,urn:refuge:${r},${capTime(T0)}`));
  return {
    id, cap, state: 'draft', createdBy: 'olena', createdAt: new Date(at).toISOString(), approvedBy: null, approvedAt: null, issuedAt: null,
    signature: null, capXml: null, origin: null, falseAlarm: false, preparedFor: null, replacedBy: null, signatureKeyId: null, trust: null, authorityName: null,
  };
}

/** The record as approved and issued `minutes` after T0. */
export function issued(r: AlertRecord, minutes = 1): AlertRecord {
  const at = T0 + minutes * MIN;
  return {
    ...r, cap: { ...r.cap, sent: capTime(at) }, state: 'issued', approvedBy: 'mykola', approvedAt: capTime(at), issuedAt: capTime(at),
    signature: `sig-${r.id}`, capXml: `<alert><identifier>${r.cap.identifier}</identifier></alert>`, signatureKeyId: 'key-1', trust: 'own', authorityName: 'Refuge test authority',
  };
}

/** The prepared false-alarm cancel of an issued alert. */
export function preparedCancel(of: AlertRecord, id = `${of.id}-cancel`): AlertRecord {
  return { ...draft(id, { msgType: 'Cancel', references: [of.id] }), falseAlarm: true, preparedFor: of.id };
}

/** The write `issue` gets: the issued record, its delivery event (thread: the first replaced, else its own id). */
export function issueWrite(r: AlertRecord, o: { replaces?: string[]; thread?: string; cancel?: AlertRecord | null; noEvent?: boolean } = {}): IssueWrite {
  const replaces = o.replaces ?? [];
  return {
    record: r,
    event: o.noEvent ? null : buildAlertEvent(r, regions, replaces, true, o.thread ?? replaces[0] ?? r.id),
    replaces,
    preparedCancel: o.cancel ?? null,
  };
}

/** Drafts, then issues, an alert; returns its record as issued and its seq. */
export async function issueAlert(s: AlertStores, id: string, o: DraftOptions & { minutes?: number; replaces?: string[]; thread?: string } = {}): Promise<{ record: AlertRecord; seq: number }> {
  const d = draft(id, o);
  await s.alerts.insertDraft(d);
  const record = issued(d, o.minutes ?? (o.at ?? 0) + 1);
  const { seq } = await s.alerts.issue(issueWrite(record, { replaces: o.replaces, thread: o.thread }), 'draft');
  return { record, seq: seq! };
}

/** An imported alert (issued in one step, as `issue(…, 'imported')` does): the cheapest way to an outbox row. */
export async function importAlert(s: AlertStores, id: string, o: DraftOptions = {}): Promise<{ record: AlertRecord; seq: number }> {
  const d = draft(id, o);
  const record: AlertRecord = { ...issued(d, (o.at ?? 0) + 1), state: 'imported', origin: 'https://other.example/cap', approvedBy: null, approvedAt: null, trust: 'signed', authorityName: 'Other authority' };
  const { seq } = await s.alerts.issue(issueWrite(record), 'imported');
  return { record, seq: seq! };
}

export function subscription(name: string, regionCodes: string[]): PushSubscriptionRecord {
  return { endpoint: `https://push.example/${name}`, keys: { p256dh: `p256dh-${name}`, auth: `auth-${name}` }, regions: regionCodes };
}

/** A subscription's match codes: its regions plus their ancestors, as the dispatcher computes them. */
export function matchCodes(codes: string[]): string[] {
  const out = new Set<string>();
  for (const c of codes) {
    for (let r = regions.region(c); r; r = r.parentCode ? regions.region(r.parentCode) : undefined) out.add(r.code);
  }
  return [...out];
}
