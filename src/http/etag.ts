/**
 * Entity tags. A Rung ETag is `"<token>-<variant>"`: the *token* names the
 * state of the resource (derived from stored versions, never from hashing
 * bytes), the *variant* names the representation (JSON-LD, Turtle, HTML…),
 * so each variant has its own strong validator and none needs rendering to
 * compute it.
 *
 * @see RFC 9110 §8.8.3 (ETag), §8.8.3.2 (comparison)
 */

export interface EntityTag {
  weak: boolean;
  /** The opaque-tag without quotes. */
  opaque: string;
}

/** Format the strong ETag of a variant of the state named by `token`. */
export function formatEtag(token: string, variant: string): string {
  return `"${token}-${variant}"`;
}

/** The state token of one of our own opaque tags (everything before the last `-`). */
export function tokenOf(tag: EntityTag): string {
  const dash = tag.opaque.lastIndexOf('-');
  return dash < 0 ? tag.opaque : tag.opaque.slice(0, dash);
}

/**
 * Parse an `If-Match` / `If-None-Match` field value: `*` or a list of
 * entity tags. Malformed members are ignored (they can never match).
 */
export function parseEtagList(value: string): '*' | EntityTag[] {
  const trimmed = value.trim();
  if (trimmed === '*') return '*';
  const tags: EntityTag[] = [];
  const re = /(W\/)?"([^"]*)"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(trimmed)) !== null) tags.push({ weak: Boolean(m[1]), opaque: m[2] });
  return tags;
}

/** @see RFC 9110 §8.8.3.2: strong comparison — both strong and identical. */
export function strongMatch(a: EntityTag, b: EntityTag): boolean {
  return !a.weak && !b.weak && a.opaque === b.opaque;
}

/** @see RFC 9110 §8.8.3.2: weak comparison — identical opaque-tags. */
export function weakMatch(a: EntityTag, b: EntityTag): boolean {
  return a.opaque === b.opaque;
}
