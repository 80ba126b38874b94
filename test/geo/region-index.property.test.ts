import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RegionIndex, type Region } from '../../src/geo/index.ts';

// Independent oracle: regions are axis-aligned rectangles with an optional rectangular hole, so containment is
// plain arithmetic. Rectangles sit on an integer grid and points on half-integers: never on an edge.
interface Rect { x: number; y: number; w: number; h: number }
const rect = fc.record({ x: fc.integer({ min: -20, max: 20 }), y: fc.integer({ min: -20, max: 20 }), w: fc.integer({ min: 1, max: 15 }), h: fc.integer({ min: 1, max: 15 }) });
const ring = (r: Rect) => [[r.x, r.y], [r.x + r.w, r.y], [r.x + r.w, r.y + r.h], [r.x, r.y + r.h], [r.x, r.y]];
const inside = (r: Rect, px: number, py: number) => px > r.x && px < r.x + r.w && py > r.y && py < r.y + r.h;

const regionArb = fc.record({
  parts: fc.array(fc.record({ outer: rect, hole: fc.option(fc.record({ dx: fc.nat(14), dy: fc.nat(14), w: fc.integer({ min: 1, max: 14 }), h: fc.integer({ min: 1, max: 14 }) })) }), { minLength: 1, maxLength: 3 }),
});

test('property: the index answers exactly like rectangle arithmetic, holes and multipolygons included', () => {
  fc.assert(
    fc.property(fc.array(regionArb, { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(fc.integer({ min: -25, max: 40 }), fc.integer({ min: -25, max: 40 })), { minLength: 1, maxLength: 30 }), (specs, points) => {
      const shapes = specs.map((s) =>
        s.parts.map(({ outer, hole }) => {
          // Keep the hole strictly within the outer rectangle.
          const h = hole && outer.w > 2 && outer.h > 2
            ? { x: outer.x + 1 + (hole.dx % (outer.w - 2)), y: outer.y + 1 + (hole.dy % (outer.h - 2)), w: 1, h: 1 }
            : null;
          if (h) { h.w = Math.max(1, Math.min(hole!.w, outer.x + outer.w - 1 - h.x)); h.h = Math.max(1, Math.min(hole!.h, outer.y + outer.h - 1 - h.y)); }
          return { outer, hole: h };
        }),
      );
      const regions: Region[] = shapes.map((parts, i) => ({
        code: `r${i}`, name: `R${i}`, warningTimeS: i, parentCode: null,
        geometry: { type: 'MultiPolygon', coordinates: parts.map((p) => (p.hole ? [ring(p.outer), ring(p.hole)] : [ring(p.outer)])) },
      }));
      const index = new RegionIndex(regions);
      for (const [px0, py0] of points) {
        const lon = px0 + 0.5;
        const lat = py0 + 0.5;
        const expected = shapes
          .map((parts, i) => (parts.some((p) => inside(p.outer, lon, lat) && !(p.hole && inside(p.hole, lon, lat))) ? `r${i}` : null))
          .filter((c): c is string => c !== null)
          .sort();
        assert.deepEqual(index.regionsAt(lat, lon).map((r) => r.code).sort(), expected, `at ${lat},${lon}`);
        assert.deepEqual(index.regionsAtNaive(lat, lon).map((r) => r.code).sort(), expected);
      }
    }),
    { numRuns: 300 },
  );
});
