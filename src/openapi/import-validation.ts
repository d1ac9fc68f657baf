/**
 * The problems of a document that is not valid OpenAPI, as the schema
 * validator reports them: one per place, each a JSON Pointer.
 */
import { pointer, type ImportProblem } from './import-problems.js';
import type { Json } from './import-schema.js';

/** Errors of the OpenAPI schema validator, one per place, without the noise of its oneOf/if branches. */
export function validationProblems(document: Json, errors: unknown): ImportProblem[] {
  if (typeof errors === 'string') {
    // The validator resolves local $refs only, and says so without saying where.
    const external = /^Can't resolve (\S+?),? only internal refs/.exec(errors)?.[1];
    const at = external && findRef(document, external);
    if (at !== undefined && at !== false) return [{ pointer: `${at}/$ref`, message: `"${external}" points outside this document; bundle the document into one file first (e.g. npx @redocly/cli bundle)` }];
    return [{ pointer: '', message: errors }];
  }
  const problems = new Map<string, string>();
  for (const e of (errors ?? []) as { instancePath: string; keyword: string; message?: string; params?: Json }[]) {
    if (['oneOf', 'anyOf', 'if', 'then', 'else', '$ref', 'not', 'false schema'].includes(e.keyword)) continue;
    const detail =
      e.keyword === 'additionalProperties' ? `has "${e.params?.additionalProperty}", which OpenAPI does not define here`
      : e.keyword === 'required' ? `must have "${e.params?.missingProperty}"`
      : e.message ?? 'is invalid';
    if (!problems.has(e.instancePath)) problems.set(e.instancePath, detail);
  }
  if (!problems.size) problems.set('', 'is not a valid OpenAPI document');
  return [...problems].slice(0, 12).map(([at, message]) => ({ pointer: at, message: `${message} (OpenAPI schema)` }));
}

/** The JSON Pointer of the first `$ref` to `target` in `value`, or false. */
function findRef(value: unknown, target: string, at = ''): string | false {
  if (!value || typeof value !== 'object') return false;
  if ((value as Json).$ref === target) return at;
  for (const [key, child] of Object.entries(value)) {
    const found = findRef(child, target, at + pointer(key));
    if (found !== false) return found;
  }
  return false;
}
