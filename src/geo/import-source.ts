// Stores one source's regions after checking them against the regions already stored: a file may name a parent that
// another source holds, and the two together must not make a region its own ancestor.
import type { RegionImportOutcome, RegionRepository } from './ports.ts';
import { findParentCycle, RegionImportError, type Region } from './regions.ts';

export async function importRegionSource(repo: RegionRepository, source: string, regions: Region[]): Promise<RegionImportOutcome> {
  // Regions this import will remove still count here (the port does not say which source holds a code): a file that
  // drops a region and makes it a parent at once is refused, which only a broken file does.
  const merged = new Map((await repo.all()).map((r) => [r.code, { code: r.code, parentCode: r.parentCode }]));
  for (const r of regions) merged.set(r.code, { code: r.code, parentCode: r.parentCode });
  const cycle = findParentCycle([...merged.values()]);
  if (cycle) {
    throw new RegionImportError(`with the regions already stored, parents make a cycle: ${[...cycle, cycle[0]].join(' -> ')}; a region cannot contain itself`);
  }
  return repo.replaceSource(source, regions);
}
