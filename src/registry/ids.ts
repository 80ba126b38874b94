// Shelter ids: UUID version 7 (RFC 9562), time-ordered, so bulk imports append to the id indexes instead of
// writing all over them.
import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let seq = 0;
// Random bytes drawn 8 KB at a time: one system call per id costs more than everything else in an import.
const pool = Buffer.alloc(8192);
let poolAt = pool.length;

export function newShelterId(now = Date.now()): string {
  if (now <= lastMs) { seq++; now = lastMs; } else { lastMs = now; seq = 0; }
  if (poolAt + 16 > pool.length) { randomFillSync(pool); poolAt = 0; }
  const b = Buffer.from(pool.subarray(poolAt, (poolAt += 16)));
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | ((seq >> 8) & 0x0f); // version 7; 12 bits of sequence keep ids in order within one millisecond
  b[7] = seq & 0xff;
  b[8] = 0x80 | (b[8] & 0x3f); // variant
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
