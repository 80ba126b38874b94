// The shelter registry: validated changes through the store, an in-memory copy for queries, change events for
// the indexes that hang off it (walking graph snapping, coverage labels, map clients).
import { EventEmitter } from 'node:events';
import { NO_AMENITIES, type Shelter, type ShelterKind, type ShelterStatus } from './shelter.ts';
import type { HistoryAction, HistoryEntry, ShelterRepository, SourceInfo, UpsertResult } from './ports.ts';
import { checkShelterInput, type ShelterInput } from './validate.ts';
import { diffShelters } from './diff.ts';
import { RegistryError } from './errors.ts';
import { newShelterId } from './ids.ts';
import { checkOccupancyReport, occupancyWarnings, type OccupancyReport, type OccupancyWarning } from './occupancy.ts';
import { ShelterPointIndex, type BBox } from './spatial.ts';

export interface ShelterQuery {
  bbox?: BBox;
  status?: ShelterStatus[];
  minCapacity?: number;
  stepFree?: boolean;
  kind?: ShelterKind[];
  includeDecommissioned?: boolean;
  q?: string;
  offset?: number;
  limit?: number;
}

export interface ShelterPage {
  total: number;
  items: Shelter[];
}

export interface RegistryEvents {
  change: [shelter: Shelter, previous: Shelter | null];
  reload: [];
}

export class ShelterRegistry extends EventEmitter<RegistryEvents> {
  private byId = new Map<string, Shelter>();
  private wardensOf = new Map<string, Set<string>>();
  /** Every map request shows the sources' attribution; they change only on import. */
  private sourcesCache: Promise<SourceInfo[]> | null = null;
  private points = new ShelterPointIndex();
  private pointsDirty = true;

  constructor(private readonly repo: ShelterRepository, private readonly now: () => Date = () => new Date()) {
    super();
  }

  /** Loads every record from the store; call once at start. */
  async load(): Promise<void> {
    this.byId = new Map((await this.repo.list()).map((s) => [s.id, s]));
    this.wardensOf = new Map();
    for (const [shelterId, user] of await this.repo.wardens()) this.wardenSet(shelterId).add(user);
    this.pointsDirty = true;
    this.sourcesCache = null;
    this.emit('reload');
  }

  all(): Shelter[] {
    return [...this.byId.values()];
  }

  get(id: string): Shelter | null {
    return this.byId.get(id) ?? null;
  }

  query(q: ShelterQuery): ShelterPage {
    let items: Shelter[];
    if (q.bbox) {
      if (this.pointsDirty) {
        this.points.rebuild(this.byId.values());
        this.pointsDirty = false;
      }
      items = this.points.within(q.bbox);
    } else items = this.all();
    const needle = q.q?.toLocaleLowerCase();
    items = items.filter((s) =>
      (q.includeDecommissioned || s.decommissionedAt === null) &&
      (!q.status || q.status.includes(s.status)) &&
      (q.minCapacity === undefined || (s.capacity ?? -1) >= q.minCapacity) &&
      (q.stepFree === undefined || s.stepFree === q.stepFree) &&
      (!q.kind || q.kind.includes(s.kind)) &&
      (!needle || `${s.name} ${s.address ?? ''} ${s.sourceId ?? ''}`.toLocaleLowerCase().includes(needle)));
    items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)); // stable order makes paging deterministic
    const offset = q.offset ?? 0;
    return { total: items.length, items: items.slice(offset, q.limit === undefined ? undefined : offset + q.limit) };
  }

  /** Wardens may set the status of the shelters they look after, and of no others. */
  isWardenOf(userName: string, shelterId: string): boolean {
    return this.wardensOf.get(shelterId)?.has(userName) ?? false;
  }

  wardens(shelterId: string): string[] {
    this.require(shelterId);
    return [...(this.wardensOf.get(shelterId) ?? [])].sort();
  }

  sheltersOfWarden(userName: string): Shelter[] {
    return [...this.wardensOf].filter(([, users]) => users.has(userName)).map(([id]) => this.byId.get(id)!).filter(Boolean);
  }

  async setWarden(shelterId: string, userName: string, assigned: boolean, actor: string | null): Promise<string[]> {
    this.require(shelterId);
    await this.repo.setWarden(shelterId, userName, assigned, actor);
    if (assigned) this.wardenSet(shelterId).add(userName);
    else this.wardensOf.get(shelterId)?.delete(userName);
    return this.wardens(shelterId);
  }

  private wardenSet(shelterId: string): Set<string> {
    let set = this.wardensOf.get(shelterId);
    if (!set) this.wardensOf.set(shelterId, (set = new Set()));
    return set;
  }

  history(id: string): Promise<HistoryEntry[]> {
    this.require(id);
    return this.repo.history(id);
  }

  sources(): Promise<SourceInfo[]> {
    this.sourcesCache ??= this.repo.sources().catch((e) => { this.sourcesCache = null; throw e; });
    return this.sourcesCache;
  }

  async create(input: ShelterInput, actor: string | null): Promise<Shelter> {
    const problems = checkShelterInput(input, true);
    if (problems.length) throw new RegistryError('INVALID_SHELTER', 'The shelter has invalid fields', problems);
    const at = this.now().toISOString();
    const shelter = applyInput(blankShelter(newShelterId(), at), input, actor, at);
    shelter.version = 1;
    await this.repo.create(shelter, actor);
    this.remember(shelter, null);
    return shelter;
  }

  /** Changes fields if `expectedVersion` is current; a stale version changes nothing. */
  async patch(id: string, expectedVersion: number | null, input: ShelterInput, actor: string | null, action: HistoryAction = 'update'): Promise<Shelter> {
    const problems = checkShelterInput(input, false);
    if (problems.length) throw new RegistryError('INVALID_SHELTER', 'The change has invalid fields', problems);
    const current = this.require(id);
    const at = this.now().toISOString();
    return this.commit(current, expectedVersion, applyInput({ ...current }, input, actor, at), action, actor);
  }

  /** Wardens and operators set the live status; last writer wins, and the history keeps who and when. */
  async setStatus(id: string, status: ShelterStatus, actor: string | null, expectedVersion: number | null = null): Promise<Shelter> {
    return this.patch(id, expectedVersion, { status }, actor, 'status');
  }

  /**
   * Records how many people are inside now (and, optionally, opens the shelter or marks it full in the same change).
   * Touches only the occupancy fields (and the status when asked); the history keeps who reported what and when.
   * Reporting the same count again is a new report: it refreshes `occupancyAt`.
   */
  async reportOccupancy(id: string, report: OccupancyReport, actor: string | null, expectedVersion: number | null = null): Promise<{ shelter: Shelter; warnings: OccupancyWarning[] }> {
    const problems = checkOccupancyReport(report);
    if (problems.length) throw new RegistryError('INVALID_SHELTER', 'The occupancy report has invalid fields', problems);
    const current = this.require(id);
    if (current.decommissionedAt) throw new RegistryError('DECOMMISSIONED', `Shelter ${id} is decommissioned; it takes no occupancy reports`);
    const at = this.now().toISOString();
    const next: Shelter = { ...current, occupancy: report.occupancy, occupancyAt: at, occupancyBy: actor };
    if (report.status !== undefined && report.status !== current.status) {
      next.status = report.status;
      next.statusSetAt = at;
      next.statusSetBy = actor;
    }
    const shelter = await this.commit(current, expectedVersion, next, 'occupancy', actor);
    return { shelter, warnings: occupancyWarnings(shelter) };
  }

  async markVerified(id: string, actor: string | null): Promise<Shelter> {
    const current = this.require(id);
    const at = this.now().toISOString();
    return this.commit(current, null, { ...current, lastVerifiedAt: at, lastVerifiedBy: actor }, 'verify', actor);
  }

  async decommission(id: string, expectedVersion: number | null, actor: string | null): Promise<Shelter> {
    const current = this.require(id);
    if (current.decommissionedAt) throw new RegistryError('DECOMMISSIONED', `Shelter ${id} is already decommissioned`);
    return this.commit(current, expectedVersion, { ...current, decommissionedAt: this.now().toISOString() }, 'decommission', actor);
  }

  /** Upserts records of one source by their source id, all or nothing. */
  async importFromSource(source: SourceInfo, items: Array<ShelterInput & { sourceId: string }>, actor: string | null, onItem?: () => void): Promise<UpsertResult> {
    const at = this.now().toISOString();
    this.sourcesCache = null;
    const result = await this.repo.upsertFromSource(source, items, (existing, item) => {
      onItem?.();
      const base = existing ?? blankShelter(newShelterId(), at);
      const next = applyInput({ ...base }, { ...item, source: source.name }, actor, at);
      if (existing?.decommissionedAt) next.decommissionedAt = null; // a record back in its source is back in service
      const changes = diffShelters(existing, next);
      if (existing && Object.keys(changes).length === 0) return null;
      next.version = existing ? existing.version + 1 : 1;
      next.updatedAt = at;
      return { next, changes };
    }, actor);
    this.sourcesCache = null; // a read during the import may have cached the list from before it
    for (const s of result.inserted) this.remember(s, null);
    for (const s of result.updated) this.remember(s, this.byId.get(s.id) ?? null);
    return result;
  }

  private require(id: string): Shelter {
    const s = this.byId.get(id);
    if (!s) throw new RegistryError('SHELTER_NOT_FOUND', `No shelter with id ${id}`);
    return s;
  }

  private async commit(current: Shelter, expectedVersion: number | null, next: Shelter, action: HistoryAction, actor: string | null): Promise<Shelter> {
    const changes = diffShelters(current, next);
    if (expectedVersion !== null && expectedVersion !== current.version) {
      const overlap = await this.changedSince(current, expectedVersion, Object.keys(changes));
      if (overlap === null || overlap.length) {
        throw new RegistryError('VERSION_CONFLICT', `Shelter ${current.id} is at version ${current.version}, not ${expectedVersion}${overlap?.length ? `; changed since: ${overlap.join(', ')}` : ''}`);
      }
    }
    if (Object.keys(changes).length === 0) return current;
    next.version = current.version + 1;
    next.updatedAt = this.now().toISOString();
    const ok = await this.repo.update(next, current.version, action, changes, actor);
    if (!ok) {
      await this.reloadOne(current.id); // someone else (another process) changed it first
      throw new RegistryError('VERSION_CONFLICT', `Shelter ${current.id} was changed by someone else; reload and retry`);
    }
    this.remember(next, current);
    return next;
  }

  /**
   * The fields among `fields` that changed after `version`, from the history; null when that cannot be told (a
   * version ahead of the record, or history missing). A change made against an older version goes through only when
   * nothing since touches what it changes: a warden's live status or count does not undo an operator's edit of the
   * capacity, and the edit does not undo them.
   */
  private async changedSince(current: Shelter, version: number, fields: string[]): Promise<string[] | null> {
    if (version > current.version || version < 1) return null;
    const later = (await this.repo.history(current.id)).filter((h) => h.version > version);
    if (new Set(later.map((h) => h.version)).size !== current.version - version) return null;
    const touched = new Set(later.flatMap((h) => Object.keys(h.changes)));
    return fields.filter((f) => touched.has(f));
  }

  /** Takes in what another process changed in the store (the CLI importing while the server runs): each shelter is
   * read again and replaces the copy in memory when its stored version differs. Returns how many changed. */
  async refresh(ids: Iterable<string>): Promise<number> {
    let changed = 0;
    for (const id of ids) {
      const fresh = await this.repo.get(id);
      const mine = this.byId.get(id) ?? null;
      // Only forward: a read that began before a change and ends after it must not put the older record back.
      if (fresh && (!mine || fresh.version > mine.version)) {
        this.remember(fresh, mine);
        changed++;
      }
    }
    if (changed) this.sourcesCache = null; // an import by another process may have added or renamed a source
    return changed;
  }

  /** Warden assignments changed by another process. */
  async refreshWardens(): Promise<void> {
    this.wardensOf = new Map();
    for (const [shelterId, user] of await this.repo.wardens()) this.wardenSet(shelterId).add(user);
  }

  private async reloadOne(id: string): Promise<void> {
    const fresh = await this.repo.get(id);
    if (fresh) this.remember(fresh, this.byId.get(id) ?? null);
  }

  private remember(next: Shelter, previous: Shelter | null): void {
    this.byId.set(next.id, next);
    this.pointsDirty = true;
    this.emit('change', next, previous);
  }
}

function blankShelter(id: string, at: string): Shelter {
  return {
    id, name: '', address: null, lat: 0, lon: 0, capacity: null, kind: 'other', protectionClass: 'unknown', stepFree: null,
    amenities: { ...NO_AMENITIES }, operator: null, contact: null, access: 'unknown', keyHolderPhone: null, status: 'unknown',
    statusSetAt: null, statusSetBy: null, occupancy: null, occupancyAt: null, occupancyBy: null, lastVerifiedAt: null, lastVerifiedBy: null, source: null, sourceId: null,
    createdAt: at, updatedAt: at, version: 0, decommissionedAt: null,
  };
}

function applyInput(s: Shelter, input: ShelterInput, actor: string | null, at: string): Shelter {
  const statusBefore = s.status;
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (key === 'amenities') s.amenities = { ...s.amenities, ...(value as object) };
    else if (key === 'name') s.name = String(value).trim();
    else (s as unknown as Record<string, unknown>)[key] = value;
  }
  if (input.status !== undefined && input.status !== statusBefore) {
    s.statusSetAt = at; // the live status always says when and by whom it was set
    s.statusSetBy = actor;
  }
  return s;
}
