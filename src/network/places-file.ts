// The places file: the street names and house numbers of the extract a network was built from, kept beside the
// network file (`<network file>.places.json`) so every process serves the address search without the extract.
// Written by the import before the graph (both atomically: a temporary file renamed), and tied to the graph by the
// extract's sha256: a places file for other source bytes is never served with this graph. It also keeps the report of
// what the extract's addresses became (street-names.ts PlacesReport), so an import that finds the network unchanged
// still prints it.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { PlacesReport, StreetPlace } from './street-names.ts';

// 2: buildings at their main (or only) entrance, numbers along addr:interpolation ways. A version 1 file reads the
// same but places houses at building centres and lacks the interpolated numbers: refused, so the import (and the
// places route, while the extract is there) makes it again instead of serving it. `report` came later within version
// 2 and is optional: a file without it is served as it is (the import reads the extract again for the report).
export const PLACES_FILE_VERSION = 2;

export interface PlacesFile {
  version: typeof PLACES_FILE_VERSION;
  sourceSha256: string;
  sourceName: string;
  streets: StreetPlace[];
  /** What the extract's addresses became (absent from files written before it was kept). */
  report?: PlacesReport;
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
  return readPlacesAndReport(file, sourceSha256)?.streets ?? null;
}

/** The same with the report kept with the streets (undefined when the file has none). */
export function readPlacesAndReport(file: string, sourceSha256: string): { streets: StreetPlace[]; report?: PlacesReport } | null {
  if (!existsSync(file)) return null;
  let doc: Partial<PlacesFile>;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as Partial<PlacesFile>;
  } catch (err) {
    throw new PlacesFileError(file, `not readable: ${(err as Error).message}`);
  }
  if (doc.version !== PLACES_FILE_VERSION) {
    const why = typeof doc.version === 'number' && doc.version < PLACES_FILE_VERSION
      ? 'written by an earlier version (houses at building centres, no interpolated numbers)'
      : typeof doc.version === 'number' ? 'written by a newer version' : 'no format version';
    throw new PlacesFileError(file, `format version ${String(doc.version)}, expected ${PLACES_FILE_VERSION}: ${why}; import the network again (refuge import network) to rebuild it`);
  }
  if (doc.sourceSha256 !== sourceSha256) return null;
  if (!Array.isArray(doc.streets)) throw new PlacesFileError(file, 'no street list');
  const report = doc.report;
  return report && typeof report === 'object' && report.addresses && report.interpolation && report.houseNumbers && report.buildings
    ? { streets: doc.streets, report }
    : { streets: doc.streets };
}
