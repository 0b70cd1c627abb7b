/**
 * Report ids the server makes (register feed lines): UUIDv7 (RFC 9562), time-ordered.
 *
 * `unit_reports.id` is the table's primary key. A random (v4) id lands on a random leaf of
 * that index: a 1,000-line feed request then dirties ~1,000 pages of a 1.6-million-row index
 * (90 days of history), each written to the WAL and checkpointed back. Ids that grow with
 * time land on the same few rightmost pages of their region instead. They remain UUIDs (the
 * schema's `Uuid` accepts any version), unique (74 random bits per millisecond).
 */
import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Random bytes drawn 1,024 ids at a time: one call to the CSPRNG per feed request, not one per line. */
const pool = new Uint8Array(16 * 1024);
let used = pool.length;

/** A UUIDv7 for `now` (ms since the epoch). */
export function timeOrderedUuid(now: number = Date.now()): string {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const b = pool.subarray(used, used + 16);
  used += 16;
  // 48-bit big-endian millisecond timestamp.
  let t = now;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = 0x70 | (b[6] & 0x0f); // version 7
  b[8] = 0x80 | (b[8] & 0x3f); // variant 10
  const h = Array.from(b, (x) => HEX[x]);
  return `${h[0]}${h[1]}${h[2]}${h[3]}-${h[4]}${h[5]}-${h[6]}${h[7]}-${h[8]}${h[9]}-${h[10]}${h[11]}${h[12]}${h[13]}${h[14]}${h[15]}`;
}
