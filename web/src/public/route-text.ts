// A walking route said in words, for when no map can be drawn: "Head north-east for 120 m, then east for 80 m".
// Turns are where the bearing changes by more than 30 degrees; short wiggles are folded into the leg they sit in.
import { t, type MessageKey } from '../i18n/index.ts';

type Pos = [number, number];

const DIRECTIONS = ['n', 'ne', 'e', 'se', 's', 'sw', 'w', 'nw'] as const;

function metres(a: Pos, b: Pos): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const x = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(x));
}

function bearing(a: Pos, b: Pos): number {
  const rad = Math.PI / 180;
  const y = Math.sin((b[0] - a[0]) * rad) * Math.cos(b[1] * rad);
  const x = Math.cos(a[1] * rad) * Math.sin(b[1] * rad) - Math.sin(a[1] * rad) * Math.cos(b[1] * rad) * Math.cos((b[0] - a[0]) * rad);
  return (Math.atan2(y, x) / rad + 360) % 360;
}

export interface Leg { direction: (typeof DIRECTIONS)[number]; metres: number }

/** The legs of a route: runs of segments heading the same way (within 30 degrees), legs under 15 m merged. */
export function routeLegs(coords: Pos[]): Leg[] {
  const legs: Array<{ bearing: number; metres: number }> = [];
  for (let i = 1; i < coords.length; i++) {
    const m = metres(coords[i - 1], coords[i]);
    if (m < 0.5) continue;
    const b = bearing(coords[i - 1], coords[i]);
    const last = legs[legs.length - 1];
    const turn = last ? Math.abs(((b - last.bearing + 540) % 360) - 180) : 180;
    if (last && (turn <= 30 || m < 15)) {
      // the leg keeps the bearing of its longer part
      if (m > last.metres) last.bearing = b;
      last.metres += m;
    } else legs.push({ bearing: b, metres: m });
  }
  return legs.map((l) => ({ direction: DIRECTIONS[Math.round(l.bearing / 45) % 8], metres: Math.max(1, Math.round(l.metres / 5) * 5) }));
}

export function routeText(coords: Pos[]): string[] {
  const legs = routeLegs(coords);
  return legs.map((l, i) => t(i === 0 ? 'route.head' : 'route.then', { direction: t(`route.dir.${l.direction}` as MessageKey), metres: l.metres }));
}
