/**
 * The flags of `rung serve` for access and limits, each with its variable,
 * and what they mean as createRung options:
 *
 *   --anonymous <none|read|write>   RUNG_ANONYMOUS    auth.anonymous
 *   --realm <name>                  RUNG_REALM        auth.realm
 *   --rate-limit <n/seconds|off>    RUNG_RATE_LIMIT   rateLimit
 *   --cors-origin <origins|*>       RUNG_CORS_ORIGIN  cors.origin
 *
 * Only the flags given (or their variables) become options, so an API
 * file's settings stay in force for the others.
 */
import { Option, type Command } from 'commander';
import type { AuthOptions, RungOptions } from '../index.js';

export function addSecurityFlags(command: Command): Command {
  return command
    .addOption(
      new Option('--anonymous <access>', 'what callers without a token may do: none, read, write (default: read; the example API: write)')
        .env('RUNG_ANONYMOUS')
        .choices(['none', 'read', 'write']),
    )
    .addOption(new Option('--realm <name>', 'the realm in WWW-Authenticate (default: the API title)').env('RUNG_REALM'))
    .addOption(
      new Option('--rate-limit <limit>', 'requests per window for each client, as <requests>/<seconds> (default 1000/60), or off').env('RUNG_RATE_LIMIT'),
    )
    .addOption(new Option('--cors-origin <origins>', 'let browser apps on these origins call the API: * or a comma-separated list (default: off)').env('RUNG_CORS_ORIGIN'));
}

/** `1000/60` → 1000 requests per 60 s; `off` → false. Throws with a message for anything else. */
export function parseRateLimit(value: string): RungOptions['rateLimit'] {
  const text = value.trim().toLowerCase();
  if (['off', 'false', 'none', '0'].includes(text)) return false;
  const match = /^(\d+)\s*\/\s*(\d+)\s*s?$/.exec(text);
  const requests = match ? Number(match[1]) : NaN;
  const window = match ? Number(match[2]) : NaN;
  if (!(requests >= 1 && window >= 1 && Number.isSafeInteger(requests) && Number.isSafeInteger(window))) {
    throw new Error(`--rate-limit is <requests>/<seconds> (e.g. 1000/60) or off, not ${value}`);
  }
  return { requests, window };
}

/** The options the security flags give (none for a flag not given). `fileAuth`: the API file's, kept where no flag says otherwise. */
export function securityOptions(opts: Record<string, unknown>, command: Command, fileAuth?: AuthOptions): Partial<Pick<RungOptions, 'auth' | 'rateLimit' | 'cors'>> {
  const out: Partial<Pick<RungOptions, 'auth' | 'rateLimit' | 'cors'>> = {};
  const auth: AuthOptions = { ...fileAuth };
  if (opts.anonymous !== undefined) auth.anonymous = opts.anonymous as AuthOptions['anonymous'];
  if (opts.realm !== undefined) auth.realm = String(opts.realm);
  if (Object.keys(auth).length) out.auth = auth;
  if (opts.rateLimit !== undefined) {
    try {
      out.rateLimit = parseRateLimit(String(opts.rateLimit));
    } catch (err) {
      command.error(`rung: ${(err as Error).message}`);
    }
  }
  if (opts.corsOrigin !== undefined) {
    const origins = String(opts.corsOrigin).split(',').map((o) => o.trim()).filter(Boolean);
    const bad = origins.find((o) => o !== '*' && !/^https?:\/\/[^/\s]+$/.test(o.replace(/\/$/, '')));
    if (!origins.length || bad) command.error(`rung: --cors-origin is * or origins such as https://admin.example.org${bad ? `, not ${bad}` : ''}`);
    out.cors = { origin: origins.includes('*') ? '*' : origins };
  }
  return out;
}
