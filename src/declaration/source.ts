/**
 * Reading an API file's text: YAML 1.2 (JSON is a subset of it, so `.json`
 * files go through the same parser) with source positions kept, so every
 * later problem can name its line.
 *
 * The parser is `yaml` (eemeli/yaml): YAML 1.2 core schema by default (no
 * `yes`/`no` booleans, no implicit dates), duplicate keys refused, alias
 * expansion bounded, and a document model whose nodes keep their offsets.
 */
import { isMap, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { formatPath, type ApiFileProblem, type DataPath } from './problems.js';

export interface Source {
  /** The parsed data (undefined when the text did not parse). */
  data: unknown;
  /** Syntax problems, each with its line. */
  problems: ApiFileProblem[];
  /** A problem at `path`: on the key itself with `onKey` (an unknown setting), else on its value. */
  problem(path: DataPath, message: string, onKey?: boolean): ApiFileProblem;
}

export function readSource(text: string): Source {
  const lineCounter = new LineCounter();
  const document: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number | undefined) => {
    if (offset === undefined) return {};
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  /** The offset of the node at `path`, or of its nearest ancestor that exists. */
  const offsetOf = (path: DataPath, onKey: boolean): number | undefined => {
    for (let length = path.length; length >= 0; length--) {
      const prefix = path.slice(0, length);
      if (onKey && length === path.length && length > 0) {
        const parent = prefix.length > 1 ? document.getIn(prefix.slice(0, -1), true) : document.contents;
        if (isMap(parent)) {
          const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === prefix[prefix.length - 1]);
          const range = (pair?.key as Node | undefined)?.range;
          if (range) return range[0];
        }
        continue;
      }
      const node = (length === 0 ? document.contents : document.getIn(prefix, true)) as Node | null | undefined;
      if (node?.range) return node.range[0];
    }
    return undefined;
  };

  const problems: ApiFileProblem[] = document.errors.map((error) => ({
    path: [],
    at: 'syntax',
    ...position(error.pos[0]),
    message: error.message.split('\n')[0],
  }));
  const data = problems.length ? undefined : document.toJS({ maxAliasCount: 100 });
  return {
    data,
    problems,
    problem: (path, message, onKey = false) => ({ path, at: formatPath(path), ...position(offsetOf(path, onKey)), message }),
  };
}
