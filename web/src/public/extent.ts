// Where the map opens when the operator configured no start view: on the registry's shelters, not on a fixed city.
// A few stray records (a shelter geocoded to the wrong country, a 0,0) must not zoom the map out to a continent, so
// from 100 shelters on the outer 1% on each side is left out of the box.

export type Bounds = [[west: number, south: number], [east: number, north: number]];

export function registryExtent(points: ReadonlyArray<readonly [number, number]>): Bounds | null {
  const ok = points.filter(([lon, lat]) => Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180);
  if (ok.length === 0) return null;
  const lons = ok.map((p) => p[0]).sort((a, b) => a - b);
  const lats = ok.map((p) => p[1]).sort((a, b) => a - b);
  const cut = ok.length >= 100 ? Math.floor(ok.length * 0.01) : 0;
  const lo = cut, hi = ok.length - 1 - cut;
  return [[lons[lo], lats[lo]], [lons[hi], lats[hi]]];
}
