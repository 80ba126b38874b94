// The places file: the street names and house numbers of the extract a network was built from, kept beside the
// network file (`<network file>.places.json`) so every process serves the address search without the extract.
// Written by the import before the graph (both atomically: a temporary file renamed), and tied to the graph by the
// extract's sha256: a places file for other source bytes is never served with this graph.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { StreetPlace } from './street-names.ts';

export const PLACES_FILE_VERSION = 1;

export interface PlacesFile {
  version: typeof PLACES_FILE_VERSION;
  sourceSha256: string;
  sourceName: string;
  streets: StreetPlace[];
}

export class PlacesFileError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'PlacesFileError';
  }
}

/** Where the places of a network file are kept. */
export function placesFileFor(networkFile: string): string {
  return `${networkFile}.places.json`;
}

export function savePlacesFile(file: string, content: Omit<PlacesFile, 'version'>): void {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, JSON.stringify({ version: PLACES_FILE_VERSION, ...content } satisfies PlacesFile));
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * The places file's streets when it was made from these source bytes; null when there is none or it belongs to
 * other bytes (a network rebuilt since). A damaged file is a PlacesFileError.
 */
export function readPlacesFile(file: string, sourceSha256: string): StreetPlace[] | null {
  if (!existsSync(file)) return null;
  let doc: Partial<PlacesFile>;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as Partial<PlacesFile>;
  } catch (err) {
    throw new PlacesFileError(file, `not readable: ${(err as Error).message}`);
  }
  if (doc.version !== PLACES_FILE_VERSION) throw new PlacesFileError(file, `format version ${String(doc.version)}, expected ${PLACES_FILE_VERSION}; re-import the network`);
  if (doc.sourceSha256 !== sourceSha256) return null;
  if (!Array.isArray(doc.streets)) throw new PlacesFileError(file, 'no street list');
  return doc.streets;
}
