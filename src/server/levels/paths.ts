/**
 * Resource paths below a level's prefix (`/levels/1/events/4/guests/2`):
 * which resource, which route, which ids. The same paths as the real API,
 * so a level-1 or level-2 URL is the level-3 path with a prefix.
 */
import { parseId } from '../../resources/iri.js';
import type { ResourceRegistry } from '../../resources/registry.js';
import type { Resource } from '../../resources/resource.js';

export type Route = 'collection' | 'item';

export interface PathMatch {
  resource: Resource;
  route: Route;
  id?: number;
  parentId?: number;
}

interface Pattern {
  resource: Resource;
  route: Route;
  regex: RegExp;
  names: string[];
}

/** Compiles every resource's collection and item route once. */
export class ResourcePaths {
  private readonly patterns: Pattern[] = [];

  constructor(registry: ResourceRegistry) {
    for (const resource of registry.resources) {
      for (const route of ['collection', 'item'] as Route[]) {
        const template = route === 'collection' ? resource.collectionRoute : resource.itemRoute;
        const names: string[] = [];
        const source = template.replace(/:(\w+)/g, (_, name: string) => (names.push(name), '([^/]+)'));
        this.patterns.push({ resource, route, regex: new RegExp(`^${source}$`), names });
      }
    }
  }

  /** The resource a path (without the level's prefix) names, or undefined (ids must be positive integers). */
  match(path: string): PathMatch | undefined {
    for (const { resource, route, regex, names } of this.patterns) {
      const m = regex.exec(path);
      if (!m) continue;
      const ids: Record<string, number | undefined> = {};
      for (const [i, name] of names.entries()) {
        ids[name] = parseId(m[i + 1]);
        if (ids[name] === undefined) return undefined;
      }
      return { resource, route, id: ids.id, parentId: ids.parentId };
    }
    return undefined;
  }
}

/** Where the levels and their guide are served. */
export const LEVELS_PATH = '/levels';

/**
 * The level a path belongs to when the levels are served: 0–2 below
 * `/levels/0` … `/levels/2`, 3 for the real API (and `/levels/3`, which
 * points there), undefined for the guide and unknown levels.
 */
export function levelOfPath(path: string): 0 | 1 | 2 | 3 | undefined {
  if (path !== LEVELS_PATH && !path.startsWith(`${LEVELS_PATH}/`)) return 3;
  const m = /^\/levels\/([0-3])(\/|$)/.exec(path);
  return m ? (Number(m[1]) as 0 | 1 | 2 | 3) : undefined;
}

/** The guide's URL, marking `level`. */
export function guideUrl(base: string, level?: number): string {
  return level === undefined ? `${base}${LEVELS_PATH}` : `${base}${LEVELS_PATH}?level=${level}#level-${level}`;
}
