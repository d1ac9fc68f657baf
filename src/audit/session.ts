/**
 * One run of `rung audit`: its options, the HTTP client that counts and keeps
 * every exchange, the checks recorded so far, and how the probes read.
 */
import { Client, HYPERMEDIA_ACCEPT, type Exchange } from '../crawl/client.js';
import type { Check, Evidence } from './evidence.js';

export interface AuditOptions {
  allowWrites?: boolean;
  /** Body of a read request for APIs that read only by POST (RPC). */
  post?: string;
  maxRequests?: number;
  onProgress?(progress: { requests: number; found: number; url: string }): void;
}

export interface AuditSession {
  readonly client: Client;
  readonly options: AuditOptions;
  /** The checks in the order the probes recorded them. */
  readonly checks: Check[];
  add(check: Omit<Check, 'evidence'> & { evidence?: Evidence[] }): Check;
  /** Headers of a request that wants JSON, with `extra` added. */
  jsonHeaders(extra?: Record<string, string>): Record<string, string>;
  /** Read a resource: GET, or the user's read POST for RPC APIs. */
  read(target: string): Promise<Exchange>;
}

export function openSession(options: AuditOptions): AuditSession {
  const client = new Client({
    maxRequests: options.maxRequests ?? 150,
    onExchange: (ex, count) => options.onProgress?.({ requests: count, found: 0, url: ex.url }),
  });
  const checks: Check[] = [];
  const add = (check: Omit<Check, 'evidence'> & { evidence?: Evidence[] }) => {
    const full = { evidence: [], ...check } as Check;
    checks.push(full);
    return full;
  };
  const jsonHeaders = (extra: Record<string, string> = {}) => ({ Accept: 'application/json, application/ld+json;q=0.9, */*;q=0.1', ...extra });
  /** Read a resource: GET, or the user's read POST for RPC APIs. */
  const read = (target: string) =>
    options.post === undefined
      ? client.send('GET', target, { headers: { Accept: HYPERMEDIA_ACCEPT } })
      : client.send('POST', target, { headers: jsonHeaders({ 'Content-Type': 'application/json' }), body: options.post });
  return { client, options, checks, add, jsonHeaders, read };
}
