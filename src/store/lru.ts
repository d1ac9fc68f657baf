/**
 * The two pieces every cache of Rung is made of: a least-recently-used map
 * bounded in (estimated) bytes, and a doorkeeper that admits a key only the
 * second time it is offered.
 *
 * Written here rather than taken from lru-cache: every request looks up two
 * or three of these caches, and lru-cache's `get` (option defaults,
 * diagnostics channels, TTL bookkeeping) measured ~4% of a random item GET;
 * a Map in insertion order is an LRU already.
 *
 * The doorkeeper is TinyLFU's: under random access over many items most
 * values are never asked for again, and caching them would only evict those
 * that are, and make the garbage collector copy what nobody reads. It is a
 * small Bloom filter (two bits per key in a fixed array, cleared when full),
 * so it keeps no key alive; a false positive merely admits a key early.
 *
 * @see Einziger, Friedman, Manes: TinyLFU, A Highly Efficient Cache Admission Policy (2017), §3.4 (doorkeeper)
 */

interface Entry<V> {
  value: V;
  size: number;
}

export class ByteLru<V> {
  private readonly map = new Map<string, Entry<V>>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly sizeOf: (value: V, key: string) => number,
  ) {}

  get(key: string): V | undefined {
    const entry = this.map.get(key);
    if (entry === undefined) return undefined;
    // Most recently used last: the Map's order is the eviction order.
    this.map.delete(key);
    this.map.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    const size = Math.max(1, this.sizeOf(value, key));
    if (size > this.maxBytes) return;
    this.map.set(key, { value, size });
    this.bytes += size;
    while (this.bytes > this.maxBytes) {
      const [oldest, entry] = this.map.entries().next().value as [string, Entry<V>];
      this.map.delete(oldest);
      this.bytes -= entry.size;
    }
  }

  delete(key: string): void {
    const entry = this.map.get(key);
    if (entry === undefined) return;
    this.map.delete(key);
    this.bytes -= entry.size;
  }

  clear(): void {
    this.map.clear();
    this.bytes = 0;
  }

  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  /** Bytes held, as estimated. */
  get size(): number {
    return this.bytes;
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
