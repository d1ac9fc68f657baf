/**
 * The one registry of response formats. It drives negotiation, the 406
 * list, `Vary` and the variant part of every ETag: adding a format here is
 * all it takes to offer it everywhere.
 */
import type { Format } from './format.js';
import { compacted, compactedProfile, expanded, flattened } from './jsonld.js';
import { json } from './json.js';

export class FormatRegistry {
  readonly formats: Format[] = [];

  constructor(formats: Format[]) {
    for (const format of formats) this.add(format);
  }

  add(format: Format): void {
    this.formats.push(format);
  }

  /** Formats restricted to the given keys (in registry order). */
  only(keys: string[] | undefined): Format[] {
    return keys ? this.formats.filter((f) => keys.includes(f.key)) : this.formats;
  }
}

/** The JSON family: always available. RDF and HTML formats are added by `createFormats`. */
export const JSON_FORMATS: Format[] = [compacted, compactedProfile, expanded, flattened, json];
