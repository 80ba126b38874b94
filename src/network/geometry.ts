// Small geodesy helpers for the walking graph. Coordinates are WGS84 degrees.

const EARTH_RADIUS_M = 6371008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres (haversine; accurate to well under a metre at city scale). */
export function haversineMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Local equirectangular projection around a reference latitude: good enough to find the nearest point on a
 * segment inside one city (the error over a few kilometres is far below GPS noise); distances reported to
 * users are recomputed with haversine.
 */
export class LocalProjection {
  readonly kx: number;
  readonly ky: number;
  constructor(refLat: number) {
    this.ky = EARTH_RADIUS_M * RAD;
    this.kx = this.ky * Math.cos(refLat * RAD);
  }
  x(lon: number): number {
    return lon * this.kx;
  }
  y(lat: number): number {
    return lat * this.ky;
  }
}

/** Parameter t in [0,1] of the point on segment (ax,ay)-(bx,by) closest to (px,py). */
export function closestT(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return 0;
  const t = ((px - ax) * dx + (py - ay) * dy) / len2;
  return t < 0 ? 0 : t > 1 ? 1 : t;
}
