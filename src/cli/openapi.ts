/**
 * `rung serve --openapi <file>`: the resources an OpenAPI 3.0 / 3.1 document
 * declares, served by Rung. A document Rung cannot map is one message per
 * problem, each naming its place in the document, and exit status 1 — never
 * a stack trace.
 */
import { createRung, OpenApiImportError, readOpenApiFile, type Rung, type RungOptions } from '../index.js';

export async function createOpenApiRung(file: string, options: Omit<RungOptions, 'resources'>): Promise<Rung> {
  try {
    const api = await readOpenApiFile(file);
    return await createRung({ title: api.title, description: api.description, ...options, resources: api.resources });
  } catch (err) {
    if (err instanceof OpenApiImportError) console.error(err.message);
    else console.error(`Cannot serve ${file}: ${(err as Error).message}`);
    process.exit(1);
  }
}
