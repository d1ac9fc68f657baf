/** First start: every country of the world-countries data package. */
import { createRequire } from 'node:module';
import type { Rung } from '../index.js';

interface WorldCountry {
  name: { common: string };
  capital?: string[];
  area?: number;
}

export function worldCountries(): { name: string; capital?: string; area?: number }[] {
  const require = createRequire(import.meta.url);
  const countries = require('world-countries') as WorldCountry[];
  return countries.map((c) => ({
    name: c.name.common,
    capital: c.capital?.[0] || undefined,
    area: typeof c.area === 'number' && c.area >= 0 ? c.area : undefined,
  }));
}

/** Seed the countries table when it is empty. Returns how many rows were added. */
export function seedCountries(rung: Rung): Promise<number> {
  return rung.seed('Country', worldCountries());
}
