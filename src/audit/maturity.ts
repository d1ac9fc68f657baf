/**
 * The Richardson maturity model: four levels, what each adds and what it
 * still lacks, and the ladder drawn as inline SVG (no script, no external
 * resource), for the levels guide and the audit's HTML report.
 *
 * @see https://martinfowler.com/articles/richardsonMaturityModel.html
 */

export type Level = 0 | 1 | 2 | 3;

export interface LevelInfo {
  level: Level;
  /** Short name, as on the ladder. */
  name: string;
  /** What a client gets at this level that it did not get below. */
  adds: string;
  /** What is still missing (the next step up). */
  lacks: string;
}

export const LEVELS: readonly LevelInfo[] = [
  {
    level: 0,
    name: 'One endpoint',
    adds: 'HTTP as a tunnel: one URL, one verb (POST); the action and its arguments are in the body',
    lacks: 'a URL per resource: every thing shares one address, so nothing can be linked, bookmarked or cached',
  },
  {
    level: 1,
    name: 'Resources',
    adds: 'one URL per resource (a country, a collection of countries)',
    lacks: 'the uniform interface: still one verb and 200 for everything, so neither clients nor caches know what is safe, idempotent or failed',
  },
  {
    level: 2,
    name: 'HTTP verbs',
    adds: 'methods with their meaning (GET, PUT, PATCH, DELETE), status codes (201, 204, 304, 404, 405, 412, 415, 422), caching and conditional requests',
    lacks: 'links: the client builds every URL from documentation written for people, so the server cannot move or add anything without breaking it',
  },
  {
    level: 3,
    name: 'Hypermedia controls',
    adds: 'links and forms in every answer: from one entry point a client finds every resource and every operation the server allows right now',
    lacks: 'nothing in this model; what is left is shared vocabularies, so that clients understand the data, not only the links',
  },
];

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface LadderOptions {
  /** The rung to highlight ("you are here", or the level an audit reached). */
  current?: Level;
  /** Label next to the highlighted rung. */
  marker?: string;
  /** Per level, a note shown on its rung (e.g. an audit's score "5/6"). */
  notes?: Partial<Record<Level, string>>;
  /** Where each rung links to (e.g. `#level-2`); rungs are plain text without it. */
  href?(level: Level): string;
}

/**
 * The ladder, level 3 at the top. The highlighted rung is filled; every
 * other one is outlined. Pure markup: readable without script or styles.
 */
export function ladderSvg(options: LadderOptions = {}): string {
  const width = 560;
  const rung = 58;
  const top = 14;
  const height = top * 2 + rung * 4;
  const rail = (x: number) => `<line x1="${x}" y1="4" x2="${x}" y2="${height - 4}" stroke="#57606a" stroke-width="6" stroke-linecap="round"/>`;
  const rows = [...LEVELS].reverse().map((info, i) => {
    const y = top + i * rung;
    const here = options.current === info.level;
    const fill = here ? '#0b5cad' : '#ffffff';
    const text = here ? '#ffffff' : '#1f2328';
    const note = options.notes?.[info.level];
    const label = `Level ${info.level} · ${info.name}`;
    let row =
      `<g class="rung${here ? ' here' : ''}" data-level="${info.level}">` +
      `<rect x="34" y="${y + 6}" width="340" height="${rung - 14}" rx="6" fill="${fill}" stroke="#0b5cad" stroke-width="2"/>` +
      `<text x="48" y="${y + rung / 2 + 4}" font-family="system-ui, sans-serif" font-size="16" font-weight="600" fill="${text}">${escape(label)}</text>`;
    if (note) row += `<text x="362" y="${y + rung / 2 + 4}" text-anchor="end" font-family="system-ui, sans-serif" font-size="14" fill="${text}">${escape(note)}</text>`;
    if (here && options.marker) {
      row += `<text x="400" y="${y + rung / 2 + 4}" font-family="system-ui, sans-serif" font-size="15" font-weight="600" fill="#0b5cad">◀ ${escape(options.marker)}</text>`;
    }
    row += '</g>';
    return options.href ? `<a href="${escape(options.href(info.level))}">${row}</a>` : row;
  });
  const title = options.current === undefined ? 'The Richardson maturity ladder' : `The Richardson maturity ladder, level ${options.current} marked`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="ladder" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<title>${escape(title)}</title>${rail(24)}${rail(384)}${rows.join('')}</svg>`
  );
}
