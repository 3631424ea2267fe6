/**
 * ULIDs (https://github.com/ulid/spec): 48 bits of milliseconds and 80 random bits in 26
 * Crockford base32 characters. They sort by time as strings, so an audit index sorted by `_id`
 * reads in order, and ids made in the same millisecond by this process still sort in the order
 * they were made (the spec's monotonic mode: the random part is incremented).
 */
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const MAX_TIME = 2 ** 48 - 1;

export class UlidFactory {
  private lastTime = -1;
  private readonly random = new Uint8Array(10);

  constructor(private readonly now: () => number = Date.now) {}

  next(): string {
    // A clock that steps back keeps the last time: ids stay increasing within the process.
    const time = Math.max(this.now(), this.lastTime);
    if (time > MAX_TIME) throw new RangeError("ULID time overflow");
    if (time === this.lastTime) this.increment();
    else {
      this.random.set(randomBytes(10));
      this.lastTime = time;
    }
    return encodeTime(time) + encodeRandom(this.random);
  }

  private increment(): void {
    for (let i = this.random.length - 1; i >= 0; i--) {
      if (this.random[i]! < 255) {
        this.random[i]!++;
        return;
      }
      this.random[i] = 0;
    }
    // 2^80 ids in one millisecond: wait for the next one rather than repeat an id.
    this.lastTime++;
  }
}

function encodeTime(time: number): string {
  let text = "";
  for (let i = 0; i < 10; i++) {
    text = ALPHABET[time % 32]! + text;
    time = Math.floor(time / 32);
  }
  return text;
}

/** 80 bits as 16 base32 characters, most significant first. */
function encodeRandom(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let text = "";
  for (let i = 0; i < 16; i++) {
    text = ALPHABET[Number(value & 31n)]! + text;
    value >>= 5n;
  }
  return text;
}

/** The time a ULID was made (epoch ms). */
export function ulidTime(id: string): number {
  let time = 0;
  for (const char of id.slice(0, 10)) time = time * 32 + ALPHABET.indexOf(char);
  return time;
}
