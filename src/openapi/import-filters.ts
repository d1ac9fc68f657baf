/**
 * The filters, sort and paging of an imported collection, read from the query
 * parameters of its GET: a field's name, `<field>_gte` / `<field>_lte`,
 * `sort`, `page` and `pageSize`.
 */
import { PAGE, PAGE_SIZE, SORT } from '../resources/query.js';
import { pointer } from './import-problems.js';
import type { Json } from './import-schema.js';
import type { Collection, ImportState } from './import-state.js';

const PAGING_ELSEWHERE = new Set(['limit', 'offset', 'per_page', 'perpage', 'page_size', 'size', 'skip', 'take', 'cursor']);

/** Filters, sort and paging from the query parameters of the collection GET. */
export function readFilters(state: ImportState, c: Collection): void {
  const definition = c.definition;
  const operation = state.operation(c.collectionPath, 'get');
  if (!definition || !operation) return;
  const fields = Object.keys(definition.schema.properties ?? {});
  const filters = new Set<string>(Object.keys(definition.relations ?? {}));
  let sort: string[] | undefined;
  const item = state.doc.paths[c.collectionPath!];
  const parameters = [...(item.parameters ?? []).map((p: Json, i: number) => ({ p, at: `${pointer('paths', c.collectionPath!)}/parameters/${i}` })), ...(operation.parameters ?? []).map((p: Json, i: number) => ({ p, at: `${pointer('paths', c.collectionPath!, 'get')}/parameters/${i}` }))];
  for (const { p, at } of parameters) {
    const parameter = state.schemas.resolve(p, at)?.schema;
    if (parameter?.in !== 'query') continue;
    const name: string = parameter.name;
    const range = /^(.+)_(gte|lte)$/.exec(name);
    const kind = (field: string) => {
      const s = definition.schema.properties?.[field];
      const type = Array.isArray(s?.type) ? s.type.find((t) => t !== 'null') : s?.type;
      return { type, date: s?.format === 'date' || s?.format === 'date-time' };
    };
    if (name === PAGE || name === PAGE_SIZE) continue;
    if (name === SORT) {
      const schema = state.schemas.resolve(parameter.schema ?? {}, `${at}/schema`)?.schema ?? {};
      const values: unknown[] | undefined = schema.enum ?? (schema.items && state.schemas.resolve(schema.items, `${at}/schema/items`)?.schema.enum);
      sort = values
        ? [...new Set(values.flatMap((v) => String(v).split(',')).map((v) => v.replace(/^[-+]/, '')))]
        : fields.filter((f) => ['string', 'integer', 'number', 'boolean'].includes(String(kind(f).type)) && !definition.relations?.[f]);
      const unknown = sort.filter((f) => !fields.includes(f));
      if (unknown.length) state.problem(`${at}/schema`, `sorts by ${unknown.join(', ')}, which ${unknown.length === 1 ? 'is not a field' : 'are not fields'} of ${definition.name}`);
      continue;
    }
    if (fields.includes(name)) {
      filters.add(name);
      continue;
    }
    if (range && fields.includes(range[1])) {
      const { type, date } = kind(range[1]);
      if (type === 'integer' || type === 'number' || date) {
        filters.add(range[1]);
        continue;
      }
      state.problem(at, `"${name}": ranges apply to numbers and dates, and ${range[1]} is neither`);
      continue;
    }
    const hint = PAGING_ELSEWHERE.has(name.toLowerCase()) ? ' Rung pages with "page" (from 1) and "pageSize".' : '';
    state.problem(at, `query parameter "${name}" names no field of ${definition.name} (${fields.join(', ') || 'none'}).${hint} Rung filters by a field's name, by <field>_gte / <field>_lte, sorts with "sort" and pages with "page" and "pageSize"`);
  }
  if (filters.size) definition.filters = [...filters];
  if (sort?.length) definition.sort = sort.filter((f) => fields.includes(f));
}
