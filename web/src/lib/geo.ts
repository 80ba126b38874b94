// Small geodesy helpers for the browser (the server has its own in src/geo).

export type LonLat = [number, number];

const R = 6371008.8;
const rad = Math.PI / 180;

export function haversine(a: LonLat, b: LonLat): number {
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(s)));
}

export function formatDuration(seconds: number): { min: number; sec: number } {
  const s = Math.max(0, Math.round(seconds));
  return { min: Math.floor(s / 60), sec: s % 60 };
}

export function clock(seconds: number): string {
  const { min, sec } = formatDuration(seconds);
  return `${String(min).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}
