// The street network in a running server: loads the prepared graph file (fast: no PBF parsing), keeps shelter
// snapping and whole-city labels current from registry change events, and rebuilds in a worker thread when the
// source file changed, swapping the new network in when it is ready.
import { existsSync } from 'node:fs';
import {
  buildNetworkInWorker, importNetwork, readPlacesInWorker, isNetworkCurrent, loadGraph, prepareRouterInWorker, readGraphHeader, ShelterRouter, straightLineNearest,
  DEFAULT_FOOT_PROFILE, type Graph, type ImportReport, type LatLon, type NearestOptions, type NearestResult, type FootProfile,
} from '../../network/index.ts';
import type { Shelter, ShelterRegistry } from '../../registry/index.ts';

/** Networks larger than this are put into service from a worker thread at start (Copenhagen has 7,765 nodes). */
const LOAD_IN_WORKER_ABOVE_NODES = 200_000;

export class NetworkService {
  readonly file: string;
  private router: ShelterRouter | null = null;
  private pending: Shelter[] = [];
  private flushScheduled = false;
  private rebuilding: Promise<void> | null = null;
  private preparing: Promise<void> | null = null;
  /** Last problem loading or rebuilding the network, for the status route and logs. */
  lastError: string | null = null;
  private readonly onChange = (s: Shelter) => this.queue(s);
  private readonly onReload = () => this.install(this.router?.graph ?? null);

  private readonly registry: ShelterRegistry;

  constructor(deps: { registry: ShelterRegistry; networkFile: string }, private readonly log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`)) {
    this.file = deps.networkFile;
    this.registry = deps.registry;
    this.registry.on('change', this.onChange);
    this.registry.on('reload', this.onReload);
  }

  get graph(): Graph | null {
    return this.router?.graph ?? null;
  }

  get shelterRouter(): ShelterRouter | null {
    return this.router;
  }

  /**
   * Loads the prepared file if there is one; a damaged file is reported, never fatal. A city-sized network is put
   * into service at once (about 150 ms for Copenhagen); a larger one is prepared in a worker thread while the server
   * already answers (straight-line until it is ready).
   */
  loadFromFile(): void {
    if (!existsSync(this.file)) return;
    try {
      if (readGraphHeader(this.file).nodeCount > LOAD_IN_WORKER_ABOVE_NODES) {
        this.preparing = this.installFromFile()
          .catch((err: Error) => {
            this.lastError = err.message;
            this.log(`network: cannot load ${this.file}: ${this.lastError}`);
          })
          .finally(() => {
            this.preparing = null;
          });
        return;
      }
      this.install(loadGraph(this.file));
    } catch (err) {
      this.lastError = (err as Error).message;
      this.log(`network: cannot load ${this.file}: ${this.lastError}; serving straight-line answers until a network is imported`);
    }
  }

  /**
   * Prepares a router for the network file in a worker thread (snapping index, shelter snaps, labels) while the
   * current one keeps serving, then swaps it in and applies the registry changes made in the meantime.
   */
  async installFromFile(): Promise<void> {
    const snapshot = this.registry.all();
    const graph = loadGraph(this.file);
    const prepared = await prepareRouterInWorker(this.file, snapshot);
    const router = new ShelterRouter(graph, snapshot, { prepared });
    this.flush();
    const before = new Map(snapshot.map((s) => [s.id, s]));
    const changed = this.registry.all().filter((s) => before.get(s.id) !== s);
    if (changed.length > 0) router.updateShelters(changed);
    this.router = router;
    this.lastError = null;
  }

  /** Puts a graph into service with the registry's current shelters (snapped once here) and fresh labels. */
  install(graph: Graph | null): void {
    this.flush();
    if (!graph) {
      this.router = null;
      return;
    }
    const router = new ShelterRouter(graph, this.registry.all());
    router.coverage();
    this.router = router;
    this.lastError = null;
  }

  private queue(s: Shelter): void {
    this.pending.push(s);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Batch a burst of changes (an import emits one per record) into one update.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.router?.updateShelters(batch);
  }

  nearest(point: LatLon, opts: NearestOptions): NearestResult {
    this.flush();
    if (!this.router) {
      const reason = this.preparing ? 'the street network is still being loaded' : 'no street network is loaded (import one with `refuge import network`)';
      return straightLineNearest(this.registry.all(), point, opts, DEFAULT_FOOT_PROFILE.speed, reason);
    }
    return this.router.nearest(point, opts);
  }

  /**
   * Imports a PBF (in worker threads: the graph, and the street names and house numbers kept beside it for the
   * address search; skipped when the files already match) and puts the result into service.
   */
  async importFile(pbfFile: string, profile?: Partial<FootProfile>): Promise<ImportReport> {
    const report = await importNetwork(pbfFile, this.file, { profile, build: buildNetworkInWorker, places: readPlacesInWorker });
    if (report.rebuilt || !this.router || this.router.graph.meta.sourceSha256 !== report.sourceSha256) await this.installFromFile();
    return report;
  }

  /** When the loaded network's source file still exists and has changed, rebuild it in the background. */
  checkSource(): Promise<void> | null {
    const meta = this.graph?.meta;
    if (!meta?.sourcePath || !existsSync(meta.sourcePath) || this.rebuilding) return this.rebuilding;
    const source = meta.sourcePath;
    this.rebuilding = (async () => {
      try {
        if (await isNetworkCurrent(source, this.file)) return;
        this.log(`network: ${source} changed since the network was built; rebuilding in the background`);
        await this.importFile(source, meta.profile);
        this.log(`network: rebuilt from ${source}`);
      } catch (err) {
        this.lastError = (err as Error).message;
        this.log(`network: rebuild from ${source} failed, keeping the previous network: ${this.lastError}`);
      } finally {
        this.rebuilding = null;
      }
    })();
    return this.rebuilding;
  }

  /** Waits for a background load or rebuild, if one is running. */
  async settle(): Promise<void> {
    await this.preparing;
    await this.rebuilding;
  }

  stop(): void {
    this.registry.off('change', this.onChange);
    this.registry.off('reload', this.onReload);
  }
}

