/**
 * What the OpenAPI import could not map, each located by a JSON Pointer
 * (RFC 6901) into the document, reported together in one error.
 */

export interface ImportProblem {
  /** JSON Pointer into the OpenAPI document, e.g. `/paths/~1users/get/parameters/0`. */
  pointer: string;
  message: string;
}

/** A JSON Pointer from reference tokens (escaped: `~` → `~0`, `/` → `~1`). */
export function pointer(...tokens: (string | number)[]): string {
  return tokens.map((t) => `/${String(t).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export class OpenApiImportError extends Error {
  readonly problems: ImportProblem[];

  /** `headline` says what kind of failure it is; by default, that parts of the document cannot be mapped. */
  constructor(source: string, problems: ImportProblem[], headline?: string) {
    const what = headline ?? `${problems.length === 1 ? 'one thing' : `${problems.length} things`} in it cannot be mapped to Rung resources`;
    super(`Cannot serve ${source}: ${what}\n${problems.map((p) => `  ${p.pointer || '/'}: ${p.message}`).join('\n')}`);
    this.name = 'OpenApiImportError';
    this.problems = problems;
  }
}
