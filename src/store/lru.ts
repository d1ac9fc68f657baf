/**
 * The two pieces every cache of Rung is made of: a least-recently-used map
 * bounded in (estimated) bytes — lru-cache, with `maxSize` and a size per
 * entry — and a doorkeeper that admits a key only the second time it is
 * offered.
 *
 * The doorkeeper is TinyLFU's: under random access over many items most
 * values are never asked for again, and caching them would only evict those
 * that are, and make the garbage collector copy what nobody reads. It is a
 * small Bloom filter (two bits per key in a fixed array, cleared when full),
 * so it keeps no key alive; a false positive merely admits a key early. No
 * npm package offers one this small.
 *
 * @see Einziger, Friedman, Manes: TinyLFU, A Highly Efficient Cache Admission Policy (2017), §3.4 (doorkeeper)
 */
import { LRUCache } from 'lru-cache';

/** An LRU map bounded in bytes; a value larger than the whole budget is not kept. */
export class ByteLru<V extends {}> {
  private readonly lru: LRUCache<string, V>;

  constructor(maxBytes: number, sizeOf: (value: V, key: string) => number) {
    this.lru = new LRUCache<string, V>({
      maxSize: maxBytes,
      maxEntrySize: maxBytes,
      sizeCalculation: (value, key) => Math.max(1, sizeOf(value, key)),
    });
  }

  get(key: string): V | undefined {
    return this.lru.get(key);
  }

  set(key: string, value: V): void {
    this.lru.set(key, value);
  }

  delete(key: string): void {
    this.lru.delete(key);
  }

  clear(): void {
    this.lru.clear();
  }

  keys(): IterableIterator<string> {
    return this.lru.keys();
  }

  /** Bytes held, as estimated. */
  get size(): number {
    return this.lru.calculatedSize;
  }
}

export class Doorkeeper {
  private readonly bits: Uint32Array;
  private readonly mask: number;
  private added = 0;

  /** `capacity`: keys remembered before the filter is cleared (8 bits of filter each). */
  constructor(private readonly capacity: number) {
    let size = 1024;
    while (size < capacity * 8) size *= 2;
    this.bits = new Uint32Array(size / 32);
    this.mask = size - 1;
  }

  /** Has `key` been offered since the last clearing? If not, remember it now. */
  admit(key: string): boolean {
    // FNV-1a, and a second index from a multiplicative remix of it.
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    const a = h & this.mask;
    const b = (Math.imul(h, 0x9e3779b1) >>> 11) & this.mask;
    const bits = this.bits;
    if (bits[a >>> 5] & (1 << (a & 31)) && bits[b >>> 5] & (1 << (b & 31))) return true;
    bits[a >>> 5] |= 1 << (a & 31);
    bits[b >>> 5] |= 1 << (b & 31);
    if (++this.added >= this.capacity) {
      bits.fill(0);
      this.added = 0;
    }
    return false;
  }
}
