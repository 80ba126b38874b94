// Exact point-in-polygon on flat coordinate arrays. This is the measured hot path of
// regionsAt(), so it is hand-written over Float64Array rings instead of a GeoJSON library.

/** One polygon: outer ring first, then holes. Each ring is [x0, y0, x1, y1, ...] (lon, lat), closed or not. */
export type FlatPolygon = Float64Array[];

/** Even-odd ray casting on one ring. Points exactly on an edge may fall either way (measure zero). */
export function pointInRing(ring: Float64Array, x: number, y: number): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 2; i < n; j = i, i += 2) {
    const yi = ring[i + 1];
    const yj = ring[j + 1];
    if (yi > y !== yj > y) {
      const xi = ring[i];
      const xj = ring[j];
      if (x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** Inside the outer ring and in none of the holes. */
export function pointInPolygon(polygon: FlatPolygon, x: number, y: number): boolean {
  if (polygon.length === 0 || !pointInRing(polygon[0], x, y)) return false;
  for (let h = 1; h < polygon.length; h++) {
    if (pointInRing(polygon[h], x, y)) return false;
  }
  return true;
}

/** Planar area of a ring in squared degrees (shoelace); used only to order overlapping regions. */
export function ringArea(ring: Float64Array): number {
  let sum = 0;
  const n = ring.length;
  for (let i = 0, j = n - 2; i < n; j = i, i += 2) {
    sum += (ring[j] - ring[i]) * (ring[j + 1] + ring[i + 1]);
  }
  return Math.abs(sum) / 2;
}

export function polygonArea(polygon: FlatPolygon): number {
  if (polygon.length === 0) return 0;
  let area = ringArea(polygon[0]);
  for (let h = 1; h < polygon.length; h++) area -= ringArea(polygon[h]);
  return area;
}
