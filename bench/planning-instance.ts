// Generated assignment instances for the planning benchmark: demand cells and shelters scattered over a square city,
// each cell linked to the shelters within a radius (cost = metres / 1.3 m/s in 0.1 s units), about `arcsPerCell` arcs.
import type { AssignmentProblem } from '../src/planning/assignment.ts';
import { rng } from '../test/planning/rng.ts';

export function cityInstance(cells: number, shelters: number, arcsPerCell: number, seed = 1): AssignmentProblem {
  const r = rng(seed);
  const side = 20_000; // metres
  const cx = new Float64Array(cells), cy = new Float64Array(cells), sx = new Float64Array(shelters), sy = new Float64Array(shelters);
  for (let i = 0; i < cells; i++) { cx[i] = r() * side; cy[i] = r() * side; }
  for (let j = 0; j < shelters; j++) { sx[j] = r() * side; sy[j] = r() * side; }
  const radius = Math.sqrt((arcsPerCell * side * side) / (Math.PI * shelters));
  const g = Math.ceil(side / radius);
  const buckets: number[][] = Array.from({ length: g * g }, () => []);
  for (let j = 0; j < shelters; j++) buckets[Math.min(g - 1, Math.floor(sx[j] / radius)) * g + Math.min(g - 1, Math.floor(sy[j] / radius))].push(j);
  const from: number[] = [], to: number[] = [], cost: number[] = [];
  for (let i = 0; i < cells; i++) {
    const bx = Math.floor(cx[i] / radius), by = Math.floor(cy[i] / radius);
    for (let x = bx - 1; x <= bx + 1; x++) for (let y = by - 1; y <= by + 1; y++) {
      if (x < 0 || y < 0 || x >= g || y >= g) continue;
      for (const j of buckets[x * g + y]) {
        const d = Math.hypot(cx[i] - sx[j], cy[i] - sy[j]);
        if (d <= radius) { from.push(i); to.push(j); cost.push(Math.round((d / 1.3) * 10)); }
      }
    }
  }
  // About 90 % of the people fit: cells 1..120 people, places so that the total is 0.9 x the people.
  const demand = Float64Array.from({ length: cells }, () => 1 + Math.floor(r() * 120));
  const people = demand.reduce((a, b) => a + b, 0);
  const places = Float64Array.from({ length: shelters }, () => Math.floor((0.5 + r()) * (0.9 * people) / shelters));
  return { demand, places, arcFrom: Uint32Array.from(from), arcTo: Uint32Array.from(to), arcCost: Float64Array.from(cost) };
}
