// Region matching shared by every channel: a subscriber of a region also hears alerts for the regions containing it.
import type { RegionDirectory } from './ports.ts';

/** The codes plus all their ancestors (parent chains are followed up to 16 levels; cycles stop). */
export function withAncestors(regions: RegionDirectory, codes: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const code of codes) {
    let c: string | null = code;
    for (let depth = 0; c && !out.has(c) && depth < 16; depth++) {
      out.add(c);
      c = regions.region(c)?.parentCode ?? null;
    }
  }
  return out;
}
