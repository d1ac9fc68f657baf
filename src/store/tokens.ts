/**
 * API tokens: opaque random keys that callers send as `Authorization:
 * Bearer <token>`. The store keeps only a hash of each token; the token
 * itself is shown once, when it is created, and never again.
 *
 * Why SHA-256 and not a password hash (bcrypt, scrypt, argon2): a password
 * hash is slow on purpose, to make guessing *low-entropy* secrets costly. A
 * Rung token is 32 bytes from `crypto.randomBytes` (256 bits): nobody can
 * guess it, or find it from its hash, however fast the hash. A fast,
 * unsalted hash is what lets a request's token be found with one indexed
 * lookup (`findByHash`) instead of a slow comparison per stored token, and a
 * leaked database still gives nobody a token to send.
 *
 * The contract is asynchronous and engine-neutral: SQLite implements it
 * (`sqlite-tokens.ts`); PostgreSQL can, with the same table.
 */
import { createHash, randomBytes } from 'node:crypto';

/** What a token allows. `read`: GET, HEAD, OPTIONS; `write`: POST, PUT, PATCH, DELETE too. */
export type Scope = 'read' | 'write';
export const SCOPES: readonly Scope[] = ['read', 'write'];

export interface TokenRecord {
  id: number;
  /** A label for people (`ci`, `admin UI`); not secret. */
  name?: string;
  scopes: Scope[];
  createdAt: Date;
  /** Set once revoked: the token is refused from then on. */
  revokedAt?: Date;
}

export interface CreatedToken {
  /** The token itself: shown once, stored nowhere. */
  token: string;
  record: TokenRecord;
}

export interface TokenStore {
  /** Make a new token with these scopes. */
  create(options: { scopes: Scope[]; name?: string }): Promise<CreatedToken>;
  /** Every token, revoked ones too, oldest first (never the tokens themselves). */
  list(): Promise<TokenRecord[]>;
  /** Revoke a token: false when there is no such id (or it was revoked already). */
  revoke(id: number): Promise<boolean>;
  /** The live (unrevoked) token whose hash this is. */
  findByHash(hash: string): Promise<TokenRecord | undefined>;
  close(): Promise<void>;
}

/** Tokens start with this, so secret scanners and people can tell what they are. */
export const TOKEN_PREFIX = 'rung_';

/** A new token: the prefix and 32 random bytes, base64url (no padding). */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** The hash a token is stored and looked up by: SHA-256, hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Parse a scope list such as `read,write`; throws on an unknown scope.
 * `write` includes `read` (a writer reads what it writes); duplicates are
 * dropped, order is canonical.
 */
export function parseScopes(list: string | string[]): Scope[] {
  const words = (Array.isArray(list) ? list : list.split(',')).map((s) => s.trim()).filter(Boolean);
  if (!words.length) throw new Error(`name at least one scope: ${SCOPES.join(', ')}`);
  for (const word of words) {
    if (!(SCOPES as readonly string[]).includes(word)) throw new Error(`unknown scope "${word}": the scopes are ${SCOPES.join(', ')}`);
  }
  return SCOPES.filter((s) => words.includes(s) || (s === 'read' && words.includes('write')));
}

/** A row of `rung_tokens`, as both engines store it (times in milliseconds). */
export interface TokenRow {
  id: number;
  name: string | null;
  scopes: string;
  created_at: number;
  revoked_at: number | null;
}

export function tokenRecord(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    ...(row.name ? { name: row.name } : {}),
    scopes: parseScopes(row.scopes),
    createdAt: new Date(row.created_at),
    ...(row.revoked_at ? { revokedAt: new Date(row.revoked_at) } : {}),
  };
}
