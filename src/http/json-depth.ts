/**
 * Nesting depth of a parsed JSON value, measured without recursion so that
 * measuring a hostile body cannot itself overflow the stack. Every walk Rung
 * makes over a body (merge patch, JSON-LD processing, schema validation) is
 * recursive, so bodies deeper than the limit are refused before any of them.
 */

/** Default limit on the nesting depth of request bodies. */
export const DEFAULT_MAX_JSON_DEPTH = 64;

/**
 * Does `value` nest arrays and objects more than `limit` levels deep? A
 * scalar has depth 0, `{}` and `[]` depth 1, `{"a":[1]}` depth 2.
 */
export function exceedsJsonDepth(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
