/**
 * Relations between imported collections: the collection a relation names
 * (by component name, collection path or a `<resource>Id` property), and the
 * inverse link each target gets back to the items that point at it.
 */
import type { Collection, ImportState } from './import-state.js';
import { singular } from './import-naming.js';

/** The collection a relation names: by component name or by collection path. */
export function relationTarget(state: ImportState, value: unknown): Collection | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.startsWith('/')) return [...state.collections.values()].find((c) => c.collectionPath === value || `/${c.key}` === value);
  return state.byComponent.get(value) ?? [...state.collections.values()].find((c) => c.name === value);
}

/** A `<resource>Id` / `<resource>_id` property names its target by name or segment. */
export function targetByName(state: ImportState, property: string): Collection | undefined {
  const m = /^(.+?)(Id|_id|ID)$/.exec(property);
  if (!m) return undefined;
  const stem = m[1].toLowerCase().replace(/[-_]/g, '');
  return [...state.collections.values()].find((c) => c.name?.toLowerCase() === stem || singular(c.segment).replace(/-/g, '') === stem || c.segment.replace(/-/g, '') === stem);
}

/**
 * Each target of a relation links back to the items that point at it
 * (`/users?company=1`), under the source's segment, when that name is free.
 */
export function linkBack(state: ImportState): void {
  const definitions = [...state.collections.values()].flatMap((c) => (c.definition ? [c.definition] : []));
  const terms = new Map(definitions.map((d) => [d.name, new Set([...Object.keys(d.schema.properties ?? {}), ...definitions.filter((o) => o.parent?.resource === d.name).map((o) => o.parent!.inverse)])]));
  for (const source of definitions) {
    for (const relation of Object.values(source.relations ?? {})) {
      const taken = terms.get(relation.resource);
      if (!taken || taken.has(source.segment) || source.parent) continue;
      relation.inverse = source.segment;
      taken.add(source.segment);
    }
  }
}
