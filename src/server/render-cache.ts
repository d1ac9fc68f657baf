/**
 * Rendered representations, kept once per (resource, state token, variant)
 * in an LRU bounded in bytes. The state token is part of the key, so a write
 * invalidates by making a new key; stale entries age out.
 *
 * Both this cache and the whole-response cache admit a key only the second
 * time it is offered (a "doorkeeper", as in TinyLFU): under random access
 * over many items most renderings are never asked for again, and keeping
 * them would only evict the ones that are, and make the garbage collector
 * copy and scan bytes nobody reads.
 */
import { ByteLru, Doorkeeper } from '../store/lru.js';

export interface RenderedEntry {
  body: Buffer;
  contentType: string;
  /** The full `Link` header value for this variant. */
  link: string;
}

/**
 * A Buffer of its own, for keeping. Small Buffers are slices of Node's shared
 * 8 KB pool: one kept slice keeps its whole slab alive, so a cache of 1 KB
 * bodies could hold several times its budget outside the V8 heap.
 */
export function ownBuffer(buffer: Buffer): Buffer {
  if (buffer.byteOffset === 0 && buffer.buffer.byteLength === buffer.length) return buffer;
  const own = Buffer.allocUnsafeSlow(buffer.length);
  buffer.copy(own);
  return own;
}

/** An LRU bounded in (estimated) bytes that admits a key on its second offer. */
export class ByteCache<V extends {}> {
  private readonly lru: ByteLru<V>;
  private readonly doorkeeper: Doorkeeper;

  constructor(maxBytes: number, size: (value: V, key: string) => number) {
    this.lru = new ByteLru<V>(Math.max(maxBytes, 1024), size);
    // One remembered key per ~2 KB of budget: enough to see a key come back before it is forgotten.
    this.doorkeeper = new Doorkeeper(Math.max(1024, Math.floor(maxBytes / 2048)));
  }

  get(key: string): V | undefined {
    return this.lru.get(key);
  }

  /** Keep `value` (made by `make`, called only then) if `key` was offered before; returns whether it is kept. */
  offer(key: string, make: () => V): boolean {
    if (!this.doorkeeper.admit(key)) return false;
    this.lru.set(key, make());
    return true;
  }

  delete(key: string): void {
    this.lru.delete(key);
  }

  /** Bytes held (as estimated). */
  get bytes(): number {
    return this.lru.size;
  }
}

export class RenderCache extends ByteCache<RenderedEntry> {
  constructor(maxBytes: number) {
    super(maxBytes, (entry, key) => entry.body.length + entry.link.length * 2 + key.length * 2 + 96);
  }
}
