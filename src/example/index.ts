/**
 * The example API that ships with Rung, declared through Rung's public API
 * exactly as a user would declare theirs.
 */
import { fileURLToPath } from 'node:url';
import { createRung, type Rung, type RungOptions } from '../index.js';
import { country } from './countries.js';
import { event } from './events.js';
import { guest } from './guests.js';
import { seedCountries } from './seed.js';

export const exampleResources = [country, event, guest];

/** The example's JSON-LD contexts ship with Rung (`contexts/`), found from this file, not the working directory. */
const EXAMPLE_CONTEXTS = fileURLToPath(new URL('../../contexts/', import.meta.url));

export async function createExampleApi(options: Omit<RungOptions, 'resources'> & { seed?: boolean } = {}): Promise<Rung> {
  const rung = await createRung({
    title: 'Rung example API',
    description: 'Countries, events held in them, and the guests of each event.',
    // The same data at maturity levels 0, 1 and 2 beside the real API, for teaching.
    levels: true,
    ...options,
    // A playground: anyone may write, unless told otherwise (`rung serve --anonymous read`).
    auth: { anonymous: 'write', ...options.auth },
    contextsDir: options.contextsDir ?? EXAMPLE_CONTEXTS,
    resources: exampleResources,
  });
  if (options.seed !== false) await seedCountries(rung);
  return rung;
}
