// What the registry needs from a store. SQLite implements it now, PostgreSQL later; one contract test suite runs
// against each (test/store/shelter-repository.contract.ts). Methods are async so a networked store fits the same port.
import type { Shelter, ShelterPhoto } from './shelter.ts';

export type FieldChanges = Record<string, { old: unknown; new: unknown }>;

export type HistoryAction = 'create' | 'update' | 'import' | 'status' | 'occupancy' | 'decommission' | 'verify' | 'photo';

export interface HistoryEntry {
  shelterId: string;
  version: number;
  at: string;
  actor: string | null;
  action: HistoryAction;
  changes: FieldChanges;
}

export interface SourceInfo {
  name: string;
  attribution: string | null;
  licence: string | null;
}

/** Decides, inside the store's transaction, what an imported record does to the stored one (null: nothing). */
export type MergeFn<T> = (existing: Shelter | null, item: T) => { next: Shelter; changes: FieldChanges } | null;

export interface UpsertResult {
  inserted: Shelter[];
  updated: Shelter[];
  unchanged: number;
}

export interface ShelterRepository {
  list(): Promise<Shelter[]>;
  get(id: string): Promise<Shelter | null>;
  create(shelter: Shelter, actor: string | null): Promise<void>;
  /** Stores `next` only if the stored version is still `expectedVersion`; returns false (and changes nothing) if not. */
  update(next: Shelter, expectedVersion: number, action: HistoryAction, changes: FieldChanges, actor: string | null): Promise<boolean>;
  /** All-or-nothing: either every item is applied, or none is. Keyed by (source, item's sourceId). */
  upsertFromSource<T extends { sourceId: string }>(source: SourceInfo, items: T[], merge: MergeFn<T>, actor: string | null): Promise<UpsertResult>;
  history(id: string): Promise<HistoryEntry[]>;
  sources(): Promise<SourceInfo[]>;
  /** Warden assignments as [shelterId, userName] pairs. */
  wardens(): Promise<Array<[shelterId: string, userName: string]>>;
  setWarden(shelterId: string, userName: string, assigned: boolean, actor: string | null): Promise<void>;
  /**
   * Photos of a shelter (the shelter card). Adding or removing one is a change of the shelter: in one transaction the
   * photo row is written (or deleted), the shelter's version goes up by one and its history says which photo
   * (action 'photo', field 'photos'). Returns the shelter as stored after the change; null when the shelter does not
   * exist (addPhoto) or the photo is not the shelter's (deletePhoto), and then nothing is written.
   */
  addPhoto(shelterId: string, photo: ShelterPhoto, data: Uint8Array, actor: string | null): Promise<Shelter | null>;
  deletePhoto(shelterId: string, photoId: string, actor: string | null): Promise<Shelter | null>;
  /**
   * Sets a photo's caption (null: none; normalized by the caller, see normalizeCaption). A versioned change like the
   * others (action 'photo', field `photos.<photoId>.caption` with the old and new text); a caption set to what it is
   * already writes nothing and returns the shelter as it is. Null when the photo is not the shelter's.
   */
  setPhotoCaption(shelterId: string, photoId: string, caption: string | null, actor: string | null): Promise<Shelter | null>;
  /**
   * Puts the shelter's photos in this order (every photo id of the shelter, once each). A versioned change (action
   * 'photo', field 'photos' with the old and new order); the same order again writes nothing. Null when the shelter
   * does not exist or `order` is not exactly its photos' ids, and then nothing is written.
   */
  reorderPhotos(shelterId: string, order: string[], actor: string | null): Promise<Shelter | null>;
  /** One photo's bytes; null when the shelter has no such photo. */
  photo(shelterId: string, photoId: string): Promise<{ photo: ShelterPhoto; data: Buffer } | null>;
}
