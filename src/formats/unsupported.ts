/**
 * The signal that a document goes beyond the JSON-LD subset Rung converts to
 * RDF directly; whoever catches it falls back to jsonld.js.
 */

/** Thrown inside the converter for anything outside the subset; caught at the top. */
export class Unsupported extends Error {}
export const unsupported = (why: string): never => {
  throw new Unsupported(why);
};
