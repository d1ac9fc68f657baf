/**
 * The item schema of an imported collection: the POST (else PUT) request body
 * merged with the item GET response (else the collection's array items), and
 * the class name it gives.
 */
import { pointer } from './import-problems.js';
import type { Json, ObjectShape } from './import-schema.js';
import { JSON_TYPE, type Collection, type ImportState } from './import-state.js';
import { pascal, singular } from './import-naming.js';

/** The JSON schema of a request body or of a 200/201 response, and its pointer. */
export function jsonSchema(state: ImportState, path: string | undefined, method: string, part: 'request' | 'response'): { schema: Json; at: string } | undefined {
  const operation = state.operation(path, method);
  if (!operation) return undefined;
  const base = pointer('paths', path!, method);
  const holder =
    part === 'request' ? operation.requestBody && state.schemas.resolve(operation.requestBody, `${base}/requestBody`)
    : (['200', '201'].map((s) => operation.responses?.[s] && state.schemas.resolve(operation.responses[s], `${base}/responses/${s}`)).find(Boolean) as { schema: Json; at: string } | undefined);
  if (!holder) return undefined;
  const content = holder.schema.content ?? {};
  const type = Object.keys(content).find((t) => JSON_TYPE.test(t.split(';')[0].trim()));
  if (!type || !content[type].schema) return undefined;
  return { schema: content[type].schema, at: `${holder.at}${pointer('content', type, 'schema')}` };
}

/** The item schema of a collection: its name, properties and required fields. */
export function readSchema(state: ImportState, c: Collection): void {
  const write = jsonSchema(state, c.collectionPath, 'post', 'request') ?? jsonSchema(state, c.itemPath, 'put', 'request');
  let read = jsonSchema(state, c.itemPath, 'get', 'response');
  if (!read) {
    const list = jsonSchema(state, c.collectionPath, 'get', 'response');
    const resolved = list && state.schemas.resolve(list.schema, list.at);
    if (resolved?.schema.type === 'array' && resolved.schema.items) read = { schema: resolved.schema.items, at: `${resolved.at}/items` };
    else if (resolved) {
      // An envelope such as { data: [...] }: the one array property holds the items.
      const arrays = Object.entries<Json>(resolved.schema.properties ?? {}).filter(([, s]) => state.schemas.resolve(s, resolved.at)?.schema.type === 'array');
      if (arrays.length === 1) {
        const array = state.schemas.resolve(arrays[0][1], `${resolved.at}${pointer('properties', arrays[0][0])}`)!;
        read = { schema: array.schema.items, at: `${array.at}/items` };
      }
    }
  }
  const at = c.collectionPath ? pointer('paths', c.collectionPath) : pointer('paths', c.itemPath!);
  if (!write && !read) return state.problem(at, 'has no JSON schema for its items (a POST request body, or a GET response) to make a resource of');
  const names = [read, write].map((s) => s && state.schemas.refName(s.schema, s.at)).filter((n): n is string => Boolean(n));
  c.name = pascal(names[0] ?? singular(c.segment)) || pascal(singular(c.segment));
  for (const name of names) state.byComponent.set(name, c);
  const shapes = [write, read].flatMap((s) => (s ? [state.schemas.objectShape(s.schema, s.at)] : []));
  if (shapes.some((s) => !s)) return;
  const [first, second] = shapes as ObjectShape[];
  c.shape = { ...first, properties: [...first.properties], required: new Set(first.required) };
  for (const p of second?.properties ?? []) if (!c.shape.properties.some((q) => q.name === p.name)) c.shape.properties.push(p);
  c.shape.description ??= second?.description;
}
