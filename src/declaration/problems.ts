/**
 * What is wrong with an API file: one problem per mistake, each naming the
 * path inside the file (`resources.Book.filters[1]`) and, where the parser
 * knows it, the line and column.
 */

export type DataPath = (string | number)[];

export interface ApiFileProblem {
  /** Where in the file's data, e.g. `['resources', 'Book', 'filters', 1]`. */
  path: DataPath;
  /** `resources.Book.filters[1]` */
  at: string;
  line?: number;
  column?: number;
  message: string;
}

/** `resources.Book.filters[1]`; keys that are not plain names are quoted. */
export function formatPath(path: DataPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out || '(the whole file)';
}

/** An API file that cannot be served, with every problem found in it. */
export class ApiFileError extends Error {
  readonly file: string;
  readonly problems: ApiFileProblem[];

  constructor(file: string, problems: ApiFileProblem[]) {
    super(
      `${file} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n` +
        problems.map((p) => `  ${describeProblem(file, p)}`).join('\n'),
    );
    this.name = 'ApiFileError';
    this.file = file;
    this.problems = problems;
  }
}

/** `api.yaml:12:7: resources.Book.filters[1]: "titel" is not a field of Book` */
export function describeProblem(file: string, problem: ApiFileProblem): string {
  const where = problem.line ? `${file}:${problem.line}:${problem.column ?? 1}` : file;
  return `${where}: ${problem.at}: ${problem.message}`;
}

/** The closest of `candidates` to `word`, when it is close enough to be a typo. */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

/** Edit distance where swapping two neighbours counts as one edit (optimal string alignment). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** " (did you mean "filters"?)" or "". */
export function didYouMean(word: string, candidates: string[]): string {
  const guess = closest(word, candidates);
  return guess ? ` (did you mean "${guess}"?)` : '';
}
