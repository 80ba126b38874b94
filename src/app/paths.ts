// Files that live beside the data rather than in it: the CAP signing key and the walking graph. With an embedded
// database they sit next to its file, as they always have; with a shared database every process must see the same
// ones, so they live in a data directory (--data-dir, REFUGE_DATA_DIR; a shared mount or a copy on each machine, see
// docs/deploy.md).
import { join, resolve } from 'node:path';
import { isPostgresUrl } from '../store/open-store.ts';

export interface DataPaths {
  /** The directory, or null when the files sit next to an SQLite database file. */
  dataDir: string | null;
  /** Directory of the Ed25519 CAP signing key (private.pem, public.pem). */
  signingKeyDir: string;
  /** The walking network's binary graph file. */
  networkFile: string;
}

/** Default data directory for a PostgreSQL installation given no --data-dir: ./refuge-data of the working directory. */
export const DEFAULT_DATA_DIR = 'refuge-data';

export function dataPaths(location: string, dataDir?: string | null): DataPaths {
  if (dataDir) {
    const dir = resolve(dataDir);
    return { dataDir: dir, signingKeyDir: join(dir, 'keys'), networkFile: join(dir, 'network.bin') };
  }
  if (isPostgresUrl(location)) return dataPaths(location, DEFAULT_DATA_DIR);
  return { dataDir: null, signingKeyDir: `${location}.keys`, networkFile: `${location}.network.bin` };
}
