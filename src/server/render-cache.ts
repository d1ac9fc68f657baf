/**
 * Rendered representations, kept once per (resource, state token, variant)
 * in an LRU bounded in bytes. The state token is part of the key, so a write
 * invalidates by making a new key; stale entries age out.
 */
import { LRUCache } from 'lru-cache';

export interface RenderedEntry {
  body: Buffer;
  contentType: string;
  /** The full `Link` header value for this variant. */
  link: string;
}

export class RenderCache {
  private readonly lru: LRUCache<string, RenderedEntry>;

  constructor(maxBytes: number) {
    this.lru = new LRUCache<string, RenderedEntry>({
      maxSize: Math.max(maxBytes, 1024),
      sizeCalculation: (entry, key) => entry.body.length + entry.link.length + key.length + 64,
    });
  }

  get(key: string): RenderedEntry | undefined {
    return this.lru.get(key);
  }

  set(key: string, entry: RenderedEntry): void {
    this.lru.set(key, entry);
  }

}
