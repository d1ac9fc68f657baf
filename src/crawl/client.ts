/**
 * The HTTP client of `rung crawl` and `rung audit`: every request it sends
 * is counted against a budget and kept as evidence (method, URL, status,
 * headers, body). Nothing of the server: it speaks HTTP to any API.
 */

export interface Exchange {
  method: string;
  /** The URL asked for. */
  url: string;
  /** The URL that answered (after redirects). */
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  /** Request headers the client chose (Accept, Content-Type, If-Match…). */
  requestHeaders: Record<string, string>;
  requestBody?: string;
  /** Media type of the answer, without parameters. */
  mediaType: string;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
  ms: number;
}

export class BudgetExhausted extends Error {
  constructor(readonly limit: number) {
    super(`The request budget (${limit}) is spent.`);
  }
}

export class Unreachable extends Error {}

export interface ClientOptions {
  maxRequests: number;
  timeoutMs?: number;
  /** Called after every exchange (progress). */
  onExchange?(exchange: Exchange, count: number): void;
}

/** Bodies kept per exchange (evidence, not archives). */
const MAX_BODY = 512 * 1024;

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export class Client {
  readonly log: Exchange[] = [];
  private sent = 0;

  constructor(private readonly options: ClientOptions) {}

  get requests(): number {
    return this.sent;
  }

  get remaining(): number {
    return this.options.maxRequests - this.sent;
  }

  /** Send one request (redirects followed). Throws {@link BudgetExhausted} past the budget, {@link Unreachable} on network failure. */
  async send(method: string, url: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<Exchange> {
    if (this.sent >= this.options.maxRequests) throw new BudgetExhausted(this.options.maxRequests);
    this.sent++;
    const started = performance.now();
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: init.headers,
        body: init.body,
        redirect: SAFE.has(method) ? 'follow' : 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new Unreachable(`${method} ${url} failed: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    }
    const text = method === 'HEAD' ? '' : await res.text();
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => (headers[name] = value));
    const mediaType = (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    let json: unknown;
    if (/[/+]json$/.test(mediaType) || (!mediaType && /^\s*[[{]/.test(text))) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    const exchange: Exchange = {
      method,
      url,
      finalUrl: res.url || url,
      status: res.status,
      headers,
      requestHeaders: init.headers ?? {},
      requestBody: init.body,
      mediaType,
      body: text.length > MAX_BODY ? text.slice(0, MAX_BODY) : text,
      json,
      ms: Math.round(performance.now() - started),
    };
    this.log.push(exchange);
    this.options.onExchange?.(exchange, this.sent);
    return exchange;
  }
}

/** The Accept header of a hypermedia client: JSON-LD, HAL, then any JSON. */
export const HYPERMEDIA_ACCEPT = 'application/ld+json, application/hal+json;q=0.9, application/json;q=0.8, */*;q=0.1';
