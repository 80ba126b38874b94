// PostgreSQL implementation of the registry's ShelterRepository port (for regions that outgrow one machine).
// The same contract suite as SQLite runs against it (test/store/postgres-shelters.test.ts).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { shared } from '../shelter-strings.ts';
import { cardFields, type Shelter, type ShelterPhoto } from '../../registry/shelter.ts';
import type { FieldChanges, HistoryAction, HistoryEntry, MergeFn, ShelterRepository, SourceInfo, UpsertResult } from '../../registry/ports.ts';
import { withTransaction } from './tx.ts';

const COLUMNS = ['id', 'name', 'address', 'lat', 'lon', 'capacity', 'kind', 'protection_class', 'step_free', 'amenities', 'operator', 'contact', 'access',
  'key_holder_phone', 'entrance', 'floor', 'opening_hours', 'links', 'status', 'status_set_at', 'status_set_by', 'occupancy', 'occupancy_at', 'occupancy_by', 'last_verified_at', 'last_verified_by', 'source', 'source_id', 'created_at', 'updated_at',
  'version', 'decommissioned_at'] as const;

function values(s: Shelter): unknown[] {
  return [s.id, s.name, s.address, s.lat, s.lon, s.capacity, s.kind, s.protectionClass, s.stepFree, JSON.stringify(s.amenities), s.operator, s.contact,
    s.access, s.keyHolderPhone, s.entrance ?? null, s.floor ?? null, s.openingHours ?? null, JSON.stringify((s.links ?? []).map((l) => ({ label: l.label ?? null, url: l.url }))), s.status, s.statusSetAt, s.statusSetBy, s.occupancy, s.occupancyAt, s.occupancyBy, s.lastVerifiedAt, s.lastVerifiedBy, s.source, s.sourceId, s.createdAt, s.updatedAt,
    s.version, s.decommissionedAt];
}

/** Photo columns without the bytes: what a record carries. */
const PHOTO_META = 'p.id, p.shelter_id, p.content_type, p.size, p.created_at, p.caption';
/** The operator's order; photos from before there was one (all 0) in the order they were added. */
const PHOTO_ORDER = 'p.ordinal, p.created_at, p.id';

function photoFromRow(r: Record<string, any>): ShelterPhoto {
  return { id: r.id, contentType: r.content_type, size: r.size, addedAt: r.created_at, caption: r.caption };
}

/** Whether `order` names each of `ids` exactly once (and nothing else). */
function samePhotoSet(ids: string[], order: string[]): boolean {
  return order.length === ids.length && new Set(order).size === order.length && order.every((id) => ids.includes(id));
}

function groupPhotos(rows: Array<Record<string, any>>): Map<string, ShelterPhoto[]> {
  const out = new Map<string, ShelterPhoto[]>();
  for (const r of rows) {
    let list = out.get(r.shelter_id);
    if (!list) out.set(r.shelter_id, (list = []));
    list.push(photoFromRow(r));
  }
  return out;
}

function fromRow(r: Record<string, any>, photos: ShelterPhoto[] = []): Shelter {
  return {
    id: r.id, name: r.name, address: r.address, lat: r.lat, lon: r.lon, capacity: r.capacity, kind: shared(r.kind), protectionClass: shared(r.protection_class),
    stepFree: r.step_free, amenities: r.amenities, operator: r.operator, contact: r.contact, access: shared(r.access), keyHolderPhone: r.key_holder_phone,
    ...cardFields(r.entrance, r.floor, r.opening_hours, r.links, photos),
    status: shared(r.status), statusSetAt: shared(r.status_set_at), statusSetBy: shared(r.status_set_by),
    occupancy: r.occupancy, occupancyAt: shared(r.occupancy_at), occupancyBy: shared(r.occupancy_by), lastVerifiedAt: shared(r.last_verified_at), lastVerifiedBy: shared(r.last_verified_by),
    source: shared(r.source), sourceId: r.source_id, createdAt: shared(r.created_at), updatedAt: shared(r.updated_at), version: r.version, decommissionedAt: shared(r.decommissioned_at),
  };
}

const INSERT = `INSERT INTO shelters (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;
const UPDATE = `UPDATE shelters SET ${COLUMNS.slice(1).map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1 AND version = $${COLUMNS.length + 1}`;
const HISTORY = 'INSERT INTO shelter_history (shelter_id, version, at, actor, action, changes) VALUES ($1, $2, $3, $4, $5, $6)';

// Bulk import: COPY (the fastest way in, and one statement per table), straight into shelters and shelter_history for
// new rows, through a temporary table for updates. Only COLUMNS are written: a generated column (geom) must not be.
const IMPORT_BATCH = 5000; // items merged and written per round of an import (10,000 and 20,000 measured 616 and 650 MB peak RSS, not faster)
const IMPORT_LOCK = 7243002; // advisory lock class of imports; the second key is the source name's hash
const COPY_SHELTERS = `COPY shelters (${COLUMNS.join(', ')}) FROM STDIN`;
const COPY_HISTORY = 'COPY shelter_history (shelter_id, version, at, actor, action, changes) FROM STDIN';
const IMPORT_TABLE = `CREATE TEMP TABLE shelter_import ON COMMIT DROP AS SELECT ${COLUMNS.join(', ')}, version AS expected FROM shelters WITH NO DATA`;
const COPY_IMPORT = `COPY shelter_import (${COLUMNS.join(', ')}, expected) FROM STDIN`;
const UPDATE_FROM_IMPORT = `UPDATE shelters s SET (${COLUMNS.slice(1).join(', ')}) = (${COLUMNS.slice(1).map((c) => 't.' + c).join(', ')})
  FROM shelter_import t WHERE s.id = t.id AND s.version = t.expected`;

/** One value in COPY's text format: \N for null, backslash escapes for the characters that delimit fields and rows. */
function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[\\\n\r\t]/.test(s) ? s.replace(/[\\\n\r\t]/g, (m) => (m === '\\' ? '\\\\' : m === '\n' ? '\\n' : m === '\r' ? '\\r' : '\\t')) : s;
}

/** Streams rows into a COPY ... FROM STDIN, a few hundred kilobytes per chunk, never the whole import as one string. */
async function copyRows(c: pg.PoolClient, sql: string, rows: Iterable<unknown[]>): Promise<void> {
  function* chunks(): Generator<string> {
    let out = '';
    for (const r of rows) {
      out += r.map(copyField).join('\t') + '\n';
      if (out.length > 256 * 1024) { yield out; out = ''; }
    }
    if (out) yield out;
  }
  await pipeline(Readable.from(chunks()), c.query(copyFrom(sql)));
}

export class PostgresShelterRepository implements ShelterRepository {
  constructor(private readonly pool: pg.Pool) {}

  private tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return withTransaction(this.pool, fn);
  }

  async list(): Promise<Shelter[]> {
    // Through a cursor, a batch of rows at a time, and without the derived geometry: 200,000 rows read whole were held
    // as objects next to the records made of them. One snapshot for the photos and the shelters.
    return withTransaction(this.pool, async (c) => {
      const photos = groupPhotos((await c.query(`SELECT ${PHOTO_META} FROM shelter_photos p ORDER BY p.shelter_id, ${PHOTO_ORDER}`)).rows);
      await c.query(`DECLARE shelters_list NO SCROLL CURSOR FOR SELECT ${COLUMNS.join(', ')} FROM shelters ORDER BY id`);
      const out: Shelter[] = [];
      for (;;) {
        const { rows } = await c.query(`FETCH ${IMPORT_BATCH} FROM shelters_list`);
        for (const r of rows) out.push(fromRow(r, photos.get(r.id)));
        if (rows.length < IMPORT_BATCH) return out;
      }
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async get(id: string): Promise<Shelter | null> {
    return this.read(this.pool, id, false);
  }

  private async read(c: pg.Pool | pg.PoolClient, id: string, lock: boolean): Promise<Shelter | null> {
    const r = await c.query(`SELECT * FROM shelters WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return r.rows[0] ? fromRow(r.rows[0], await this.photosOf(c, id)) : null;
  }

  private async photosOf(c: pg.Pool | pg.PoolClient, id: string): Promise<ShelterPhoto[]> {
    return (await c.query(`SELECT ${PHOTO_META} FROM shelter_photos p WHERE p.shelter_id = $1 ORDER BY ${PHOTO_ORDER}`, [id])).rows.map(photoFromRow);
  }

  /** Writes the new version of a shelter whose photos changed, with its history entry (inside the transaction). */
  private async photoChange(c: pg.PoolClient, current: Shelter, at: string, actor: string | null, changes?: FieldChanges): Promise<Shelter> {
    const photos = await this.photosOf(c, current.id);
    const { photos: _before, ...rest } = current;
    const next: Shelter = { ...rest, ...(photos.length ? { photos } : {}), version: current.version + 1, updatedAt: at };
    const r = await c.query('UPDATE shelters SET version = $1, updated_at = $2 WHERE id = $3 AND version = $4', [next.version, at, current.id, current.version]);
    if (r.rowCount !== 1) throw new Error(`shelter ${current.id} changed while its photos were changed`);
    const ids = (list: ShelterPhoto[] | undefined) => (list ?? []).map((p) => p.id);
    await c.query(HISTORY, [current.id, next.version, at, actor, 'photo', JSON.stringify(changes ?? { photos: { old: ids(current.photos), new: ids(photos) } })]);
    return next;
  }

  async addPhoto(shelterId: string, photo: ShelterPhoto, data: Uint8Array, actor: string | null): Promise<Shelter | null> {
    return this.tx(async (c) => {
      const current = await this.read(c, shelterId, true);
      if (!current) return null;
      // Last in the operator's order (the shelter's row is locked, so two uploads do not take the same place).
      await c.query(`INSERT INTO shelter_photos (id, shelter_id, content_type, size, data, created_at, created_by, caption, ordinal)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT COALESCE(MAX(ordinal) + 1, 0) FROM shelter_photos WHERE shelter_id = $2))`,
        [photo.id, shelterId, photo.contentType, photo.size, Buffer.from(data.buffer, data.byteOffset, data.byteLength), photo.addedAt, actor, photo.caption]);
      return this.photoChange(c, current, photo.addedAt, actor);
    });
  }

  async deletePhoto(shelterId: string, photoId: string, actor: string | null): Promise<Shelter | null> {
    return this.tx(async (c) => {
      const current = await this.read(c, shelterId, true);
      if (!current) return null;
      const r = await c.query('DELETE FROM shelter_photos WHERE id = $1 AND shelter_id = $2', [photoId, shelterId]);
      if (r.rowCount !== 1) return null;
      return this.photoChange(c, current, new Date().toISOString(), actor);
    });
  }

  async setPhotoCaption(shelterId: string, photoId: string, caption: string | null, actor: string | null): Promise<Shelter | null> {
    return this.tx(async (c) => {
      const current = await this.read(c, shelterId, true);
      const before = current?.photos?.find((p) => p.id === photoId);
      if (!current || !before) return null;
      if (before.caption === caption) return current;
      await c.query('UPDATE shelter_photos SET caption = $1 WHERE id = $2 AND shelter_id = $3', [caption, photoId, shelterId]);
      return this.photoChange(c, current, new Date().toISOString(), actor, { [`photos.${photoId}.caption`]: { old: before.caption, new: caption } });
    });
  }

  async reorderPhotos(shelterId: string, order: string[], actor: string | null): Promise<Shelter | null> {
    return this.tx(async (c) => {
      const current = await this.read(c, shelterId, true);
      if (!current) return null;
      const ids = (current.photos ?? []).map((p) => p.id);
      if (!samePhotoSet(ids, order)) return null;
      if (ids.every((id, i) => order[i] === id)) return current;
      await c.query('UPDATE shelter_photos p SET ordinal = o.i - 1 FROM unnest($1::text[]) WITH ORDINALITY AS o(id, i) WHERE p.id = o.id AND p.shelter_id = $2', [order, shelterId]);
      return this.photoChange(c, current, new Date().toISOString(), actor);
    });
  }

  async photo(shelterId: string, photoId: string): Promise<{ photo: ShelterPhoto; data: Buffer } | null> {
    const r = await this.pool.query(`SELECT ${PHOTO_META}, p.data FROM shelter_photos p WHERE p.id = $1 AND p.shelter_id = $2`, [photoId, shelterId]);
    return r.rows[0] ? { photo: photoFromRow(r.rows[0]), data: r.rows[0].data } : null;
  }

  async create(s: Shelter, actor: string | null): Promise<void> {
    await this.tx(async (c) => {
      await c.query(INSERT, values(s));
      const changes: FieldChanges = {};
      for (const [k, v] of Object.entries(s)) if (!['version', 'createdAt', 'updatedAt'].includes(k)) changes[k] = { old: null, new: v };
      await c.query(HISTORY, [s.id, s.version, s.createdAt, actor, 'create', JSON.stringify(changes)]);
    });
  }

  async update(next: Shelter, expectedVersion: number, action: HistoryAction, changes: FieldChanges, actor: string | null): Promise<boolean> {
    return this.tx(async (c) => {
      const r = await c.query(UPDATE, [...values(next), expectedVersion]);
      if (r.rowCount !== 1) return false;
      await c.query(HISTORY, [next.id, next.version, next.updatedAt, actor, action, JSON.stringify(changes)]);
      return true;
    });
  }

  /**
   * A whole source file in a few round trips per IMPORT_BATCH items, all in one transaction. A second import of the
   * same source (another process) waits on the advisory lock and then sees the first one's rows, so it never inserts
   * them twice.
   */
  async upsertFromSource<T extends { sourceId: string }>(source: SourceInfo, items: T[], merge: MergeFn<T>, actor: string | null): Promise<UpsertResult> {
    return withTransaction(this.pool, async (c) => {
      // Keyed on the source name: a new source has no rows yet for FOR UPDATE to lock.
      await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [IMPORT_LOCK, source.name]);
      await c.query(`INSERT INTO sources (name, attribution, licence, imported_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (name) DO UPDATE SET attribution = coalesce(excluded.attribution, sources.attribution), licence = coalesce(excluded.licence, sources.licence), imported_at = excluded.imported_at`,
      [source.name, source.attribution, source.licence, new Date().toISOString()]);
      const photos = groupPhotos((await c.query(`SELECT ${PHOTO_META} FROM shelter_photos p JOIN shelters s ON s.id = p.shelter_id WHERE s.source = $1 ORDER BY p.shelter_id, ${PHOTO_ORDER}`, [source.name])).rows);
      const result: UpsertResult = { inserted: [], updated: [], unchanged: 0 };
      let updating = false;
      // A batch of items at a time: its stored records read (and locked), merged, and the new rows and history copied
      // in. Reading the whole source first held every stored row next to the registry's copy and the file's records
      // (~1 GB for a 200,000-shelter re-import). New rows go in batch by batch; updates gather in a temporary table and
      // are applied after the last batch by one UPDATE, so the audit log sees all inserts, then all updates, in file
      // order, as before.
      for (let from = 0; from < items.length; from += IMPORT_BATCH) {
        const batch = items.slice(from, from + IMPORT_BATCH);
        // FOR UPDATE: an edit by the server (a warden's count) waits for the import instead of being overwritten by it.
        const known = new Map((await c.query(`SELECT ${COLUMNS.join(', ')} FROM shelters WHERE source = $1 AND source_id = ANY($2::text[]) FOR UPDATE`,
          [source.name, batch.map((i) => i.sourceId)])).rows.map((r) => [r.source_id as string, fromRow(r, photos.get(r.id))]));
        const inserted: Shelter[] = [];
        const updated: Array<[Shelter, number]> = [];
        const history: unknown[][] = [];
        for (const item of batch) {
          const existing = known.get(item.sourceId) ?? null;
          const decided = merge(existing, item);
          if (!decided) { result.unchanged++; continue; }
          const { next, changes } = decided;
          if (existing) { result.updated.push(next); updated.push([next, existing.version]); } else { result.inserted.push(next); inserted.push(next); }
          // The same `at` as SQLite: creation time for a new record, update time otherwise.
          history.push([next.id, next.version, existing ? next.updatedAt : next.createdAt, actor, 'import', changes]);
        }
        if (inserted.length) await copyRows(c, COPY_SHELTERS, inserted.map(values));
        if (updated.length) {
          if (!updating) await c.query(IMPORT_TABLE);
          updating = true;
          await copyRows(c, COPY_IMPORT, updated.map(([s, expected]) => [...values(s), expected]));
        }
        if (history.length) await copyRows(c, COPY_HISTORY, history);
      }
      if (updating) {
        await c.query('ANALYZE shelter_import');
        const r = await c.query(UPDATE_FROM_IMPORT);
        if (r.rowCount !== result.updated.length) throw new Error(`${result.updated.length - (r.rowCount ?? 0)} shelters of source ${source.name} changed during import`);
      }
      return result;
    });
  }

  async history(id: string): Promise<HistoryEntry[]> {
    const r = await this.pool.query('SELECT * FROM shelter_history WHERE shelter_id = $1 ORDER BY version, id', [id]);
    return r.rows.map((h) => ({ shelterId: h.shelter_id, version: h.version, at: h.at, actor: h.actor, action: h.action, changes: h.changes }));
  }

  async wardens(): Promise<Array<[string, string]>> {
    return (await this.pool.query('SELECT shelter_id, user_name FROM shelter_wardens ORDER BY shelter_id, user_name')).rows.map((r) => [r.shelter_id, r.user_name]);
  }

  async setWarden(shelterId: string, userName: string, assigned: boolean, actor: string | null): Promise<void> {
    if (assigned) await this.pool.query('INSERT INTO shelter_wardens (shelter_id, user_name, assigned_at, assigned_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [shelterId, userName, new Date().toISOString(), actor]);
    else await this.pool.query('DELETE FROM shelter_wardens WHERE shelter_id = $1 AND user_name = $2', [shelterId, userName]);
  }

  async sources(): Promise<SourceInfo[]> {
    return (await this.pool.query('SELECT name, attribution, licence FROM sources ORDER BY name')).rows;
  }
}
