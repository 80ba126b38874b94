// SQLite implementation of the registry's ShelterRepository port.
import type { Db } from './db.ts';
import { shared } from '../shelter-strings.ts';
import { cardFields, type Shelter, type ShelterPhoto } from '../../registry/shelter.ts';
import type { FieldChanges, HistoryAction, HistoryEntry, MergeFn, ShelterRepository, SourceInfo, UpsertResult } from '../../registry/ports.ts';

interface Row {
  id: string; name: string; address: string | null; lat: number; lon: number; capacity: number; kind: string;
  protection_class: string; step_free: number | null; amenities: string; operator: string | null; contact: string | null;
  access: string; key_holder_phone: string | null; entrance: string | null; floor: string | null; opening_hours: string | null; links: string; status: string; status_set_at: string | null; status_set_by: string | null;
  occupancy: number | null; occupancy_at: string | null; occupancy_by: string | null; last_verified_at: string | null; last_verified_by: string | null; source: string | null; source_id: string | null;
  created_at: string; updated_at: string; version: number; decommissioned_at: string | null;
}

interface PhotoRow { id: string; shelter_id: string; content_type: string; size: number; created_at: string; caption: string | null }
/** Photo columns without the bytes: what a record carries. */
const PHOTO_META = 'p.id, p.shelter_id, p.content_type, p.size, p.created_at, p.caption';
/** The operator's order; photos from before there was one (all 0) in the order they were added. */
const PHOTO_ORDER = 'p.ordinal, p.created_at, p.id';

function photoFromRow(r: PhotoRow): ShelterPhoto {
  return { id: r.id, contentType: r.content_type as ShelterPhoto['contentType'], size: r.size, addedAt: r.created_at, caption: r.caption };
}

function groupPhotos(rows: Iterable<PhotoRow>): Map<string, ShelterPhoto[]> {
  const out = new Map<string, ShelterPhoto[]>();
  for (const r of rows) {
    let list = out.get(r.shelter_id);
    if (!list) out.set(r.shelter_id, (list = []));
    list.push(photoFromRow(r));
  }
  return out;
}

/** Whether `order` names each of `ids` exactly once (and nothing else). */
function samePhotoSet(ids: string[], order: string[]): boolean {
  return order.length === ids.length && new Set(order).size === order.length && order.every((id) => ids.includes(id));
}

function fromRow(r: Row, photos: ShelterPhoto[] = []): Shelter {
  return {
    id: r.id, name: r.name, address: r.address, lat: r.lat, lon: r.lon, capacity: r.capacity,
    kind: shared(r.kind) as Shelter['kind'], protectionClass: shared(r.protection_class) as Shelter['protectionClass'],
    stepFree: r.step_free === null ? null : r.step_free === 1, amenities: JSON.parse(r.amenities),
    operator: r.operator, contact: r.contact, access: shared(r.access) as Shelter['access'], keyHolderPhone: r.key_holder_phone,
    ...cardFields(r.entrance, r.floor, r.opening_hours, JSON.parse(r.links), photos),
    status: shared(r.status) as Shelter['status'], statusSetAt: shared(r.status_set_at), statusSetBy: shared(r.status_set_by),
    occupancy: r.occupancy, occupancyAt: shared(r.occupancy_at), occupancyBy: shared(r.occupancy_by),
    lastVerifiedAt: shared(r.last_verified_at), lastVerifiedBy: shared(r.last_verified_by), source: shared(r.source), sourceId: r.source_id,
    createdAt: shared(r.created_at), updatedAt: shared(r.updated_at), version: r.version, decommissionedAt: shared(r.decommissioned_at),
  };
}

function toParams(s: Shelter) {
  return {
    id: s.id, name: s.name, address: s.address, lat: s.lat, lon: s.lon, capacity: s.capacity, kind: s.kind,
    protection_class: s.protectionClass, step_free: s.stepFree === null ? null : s.stepFree ? 1 : 0,
    amenities: JSON.stringify(s.amenities), operator: s.operator, contact: s.contact, access: s.access,
    key_holder_phone: s.keyHolderPhone, entrance: s.entrance ?? null, floor: s.floor ?? null, opening_hours: s.openingHours ?? null,
    links: JSON.stringify((s.links ?? []).map((l) => ({ label: l.label ?? null, url: l.url }))), status: s.status, status_set_at: s.statusSetAt, status_set_by: s.statusSetBy,
    occupancy: s.occupancy, occupancy_at: s.occupancyAt, occupancy_by: s.occupancyBy,
    last_verified_at: s.lastVerifiedAt, last_verified_by: s.lastVerifiedBy, source: s.source, source_id: s.sourceId,
    created_at: s.createdAt, updated_at: s.updatedAt, version: s.version, decommissioned_at: s.decommissionedAt,
  };
}

const COLUMNS = Object.keys(toParams({ amenities: {} } as unknown as Shelter));

export class SqliteShelterRepository implements ShelterRepository {
  private readonly insertStmt;
  private readonly updateStmt;
  private readonly historyStmt;
  private readonly getStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(`INSERT INTO shelters (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => '@' + c).join(', ')})`);
    this.updateStmt = db.prepare(`UPDATE shelters SET ${COLUMNS.filter((c) => c !== 'id').map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id AND version = @expected`);
    this.historyStmt = db.prepare('INSERT INTO shelter_history (shelter_id, version, at, actor, action, changes) VALUES (?, ?, ?, ?, ?, ?)');
    this.getStmt = db.prepare('SELECT * FROM shelters WHERE id = ?');
  }

  async list(): Promise<Shelter[]> {
    const photos = groupPhotos(this.db.prepare(`SELECT ${PHOTO_META} FROM shelter_photos p ORDER BY p.shelter_id, ${PHOTO_ORDER}`).iterate() as Iterable<PhotoRow>);
    // Row by row: 200,000 rows read whole (objects of 33 properties each) took ~400 MB before the first was mapped.
    const out: Shelter[] = [];
    for (const r of this.db.prepare('SELECT * FROM shelters ORDER BY id').iterate() as Iterable<Row>) out.push(fromRow(r, photos.get(r.id)));
    return out;
  }

  async get(id: string): Promise<Shelter | null> {
    return this.read(id);
  }

  private read(id: string): Shelter | null {
    const r = this.getStmt.get(id) as Row | undefined;
    return r ? fromRow(r, this.photosOf(id)) : null;
  }

  private photosOf(id: string): ShelterPhoto[] {
    return (this.db.prepare(`SELECT ${PHOTO_META} FROM shelter_photos p WHERE p.shelter_id = ? ORDER BY ${PHOTO_ORDER}`).all(id) as PhotoRow[]).map(photoFromRow);
  }

  /** Writes the new version of a shelter whose photos changed, with its history entry; inside a transaction. */
  private photoChange(current: Shelter, at: string, actor: string | null, changes?: FieldChanges): Shelter {
    const photos = this.photosOf(current.id);
    const { photos: _before, ...rest } = current;
    const next: Shelter = { ...rest, ...(photos.length ? { photos } : {}), version: current.version + 1, updatedAt: at };
    const info = this.db.prepare('UPDATE shelters SET version = ?, updated_at = ? WHERE id = ? AND version = ?').run(next.version, at, current.id, current.version);
    if (info.changes !== 1) throw new Error(`shelter ${current.id} changed while its photos were changed`);
    const ids = (list: ShelterPhoto[] | undefined) => (list ?? []).map((p) => p.id);
    this.historyStmt.run(current.id, next.version, at, actor, 'photo', JSON.stringify(changes ?? { photos: { old: ids(current.photos), new: ids(photos) } }));
    return next;
  }

  async addPhoto(shelterId: string, photo: ShelterPhoto, data: Uint8Array, actor: string | null): Promise<Shelter | null> {
    return this.db.transaction(() => {
      const current = this.read(shelterId);
      if (!current) return null;
      // Last in the operator's order.
      this.db.prepare(`INSERT INTO shelter_photos (id, shelter_id, content_type, size, data, created_at, created_by, caption, ordinal)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(ordinal) + 1, 0) FROM shelter_photos WHERE shelter_id = ?))`)
        .run(photo.id, shelterId, photo.contentType, photo.size, Buffer.from(data.buffer, data.byteOffset, data.byteLength), photo.addedAt, actor, photo.caption, shelterId);
      return this.photoChange(current, photo.addedAt, actor);
    })();
  }

  async deletePhoto(shelterId: string, photoId: string, actor: string | null): Promise<Shelter | null> {
    return this.db.transaction(() => {
      const current = this.read(shelterId);
      if (!current) return null;
      const info = this.db.prepare('DELETE FROM shelter_photos WHERE id = ? AND shelter_id = ?').run(photoId, shelterId);
      if (info.changes !== 1) return null;
      return this.photoChange(current, new Date().toISOString(), actor);
    })();
  }

  async setPhotoCaption(shelterId: string, photoId: string, caption: string | null, actor: string | null): Promise<Shelter | null> {
    return this.db.transaction(() => {
      const current = this.read(shelterId);
      const before = current?.photos?.find((p) => p.id === photoId);
      if (!current || !before) return null;
      if (before.caption === caption) return current;
      this.db.prepare('UPDATE shelter_photos SET caption = ? WHERE id = ? AND shelter_id = ?').run(caption, photoId, shelterId);
      return this.photoChange(current, new Date().toISOString(), actor, { [`photos.${photoId}.caption`]: { old: before.caption, new: caption } });
    })();
  }

  async reorderPhotos(shelterId: string, order: string[], actor: string | null): Promise<Shelter | null> {
    return this.db.transaction(() => {
      const current = this.read(shelterId);
      if (!current) return null;
      const ids = (current.photos ?? []).map((p) => p.id);
      if (!samePhotoSet(ids, order)) return null;
      if (ids.every((id, i) => order[i] === id)) return current;
      const set = this.db.prepare('UPDATE shelter_photos SET ordinal = ? WHERE id = ? AND shelter_id = ?');
      order.forEach((id, i) => set.run(i, id, shelterId));
      return this.photoChange(current, new Date().toISOString(), actor);
    })();
  }

  async photo(shelterId: string, photoId: string): Promise<{ photo: ShelterPhoto; data: Buffer } | null> {
    const r = this.db.prepare(`SELECT ${PHOTO_META}, p.data FROM shelter_photos p WHERE p.id = ? AND p.shelter_id = ?`).get(photoId, shelterId) as (PhotoRow & { data: Buffer }) | undefined;
    return r ? { photo: photoFromRow(r), data: r.data } : null;
  }

  async create(s: Shelter, actor: string | null): Promise<void> {
    this.db.transaction(() => {
      this.insertStmt.run(toParams(s));
      this.historyStmt.run(s.id, s.version, s.createdAt, actor, 'create', JSON.stringify(createdChanges(s)));
    })();
  }

  async update(next: Shelter, expectedVersion: number, action: HistoryAction, changes: FieldChanges, actor: string | null): Promise<boolean> {
    return this.db.transaction(() => {
      const info = this.updateStmt.run({ ...toParams(next), expected: expectedVersion });
      if (info.changes !== 1) return false;
      this.historyStmt.run(next.id, next.version, next.updatedAt, actor, action, JSON.stringify(changes));
      return true;
    })();
  }

  async upsertFromSource<T extends { sourceId: string }>(source: SourceInfo, items: T[], merge: MergeFn<T>, actor: string | null): Promise<UpsertResult> {
    const result: UpsertResult = { inserted: [], updated: [], unchanged: 0 };
    this.db.transaction(() => {
      const now = new Date().toISOString();
      this.db.prepare(`INSERT INTO sources (name, attribution, licence, imported_at) VALUES (?, ?, ?, ?)
        ON CONFLICT(name) DO UPDATE SET attribution = coalesce(excluded.attribution, attribution), licence = coalesce(excluded.licence, licence), imported_at = excluded.imported_at`)
        .run(source.name, source.attribution, source.licence, now);
      // A lookup per item on the (source, source_id) index, not the source's rows read into a map first: that map held
      // every row as an object of 33 properties (~2 KB each, ~400 MB for 200,000) next to the registry's own copy.
      const photos = groupPhotos(this.db.prepare(`SELECT ${PHOTO_META} FROM shelter_photos p JOIN shelters s ON s.id = p.shelter_id WHERE s.source = ? ORDER BY p.shelter_id, ${PHOTO_ORDER}`).iterate(source.name) as Iterable<PhotoRow>);
      const lookup = this.db.prepare('SELECT * FROM shelters WHERE source = ? AND source_id = ?');
      for (const item of items) {
        const row = lookup.get(source.name, item.sourceId) as Row | undefined;
        const existing = row ? fromRow(row, photos.get(row.id)) : null;
        const decided = merge(existing, item);
        if (!decided) { result.unchanged++; continue; }
        const { next, changes } = decided;
        if (existing) {
          const info = this.updateStmt.run({ ...toParams(next), expected: existing.version });
          if (info.changes !== 1) throw new Error(`shelter ${existing.id} changed during import`);
          this.historyStmt.run(next.id, next.version, next.updatedAt, actor, 'import', JSON.stringify(changes));
          result.updated.push(next);
        } else {
          this.insertStmt.run(toParams(next));
          this.historyStmt.run(next.id, next.version, next.createdAt, actor, 'import', JSON.stringify(changes));
          result.inserted.push(next);
        }
      }
    })();
    return result;
  }

  async history(id: string): Promise<HistoryEntry[]> {
    const rows = this.db.prepare('SELECT * FROM shelter_history WHERE shelter_id = ? ORDER BY version, id').all(id) as Array<{ shelter_id: string; version: number; at: string; actor: string | null; action: HistoryAction; changes: string }>;
    return rows.map((r) => ({ shelterId: r.shelter_id, version: r.version, at: r.at, actor: r.actor, action: r.action, changes: JSON.parse(r.changes) }));
  }

  async wardens(): Promise<Array<[string, string]>> {
    return (this.db.prepare('SELECT shelter_id, user_name FROM shelter_wardens ORDER BY shelter_id, user_name').raw().all() as Array<[string, string]>);
  }

  async setWarden(shelterId: string, userName: string, assigned: boolean, actor: string | null): Promise<void> {
    if (assigned) this.db.prepare('INSERT OR IGNORE INTO shelter_wardens (shelter_id, user_name, assigned_at, assigned_by) VALUES (?, ?, ?, ?)').run(shelterId, userName, new Date().toISOString(), actor);
    else this.db.prepare('DELETE FROM shelter_wardens WHERE shelter_id = ? AND user_name = ?').run(shelterId, userName);
  }

  async sources(): Promise<SourceInfo[]> {
    return this.db.prepare('SELECT name, attribution, licence FROM sources ORDER BY name').all() as SourceInfo[];
  }
}

function createdChanges(s: Shelter): FieldChanges {
  const out: FieldChanges = {};
  for (const [k, v] of Object.entries(s)) if (!['version', 'createdAt', 'updatedAt'].includes(k)) out[k] = { old: null, new: v };
  return out;
}
