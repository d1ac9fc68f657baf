/**
 * What an OpenAPI import has read so far: the document, the problems found,
 * the collections its paths declare (with the schema, definition and
 * component names of each), and the strict validator fields must compile in.
 */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ResourceDefinition } from '../resources/definition.js';
import type { ImportProblem } from './import-problems.js';
import { SchemaReader, type Json, type ObjectShape } from './import-schema.js';

type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

/** A JSON media type (application/json, application/ld+json, application/merge-patch+json…). */
export const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;

/** One collection of the document: its paths and operations, then what they declare. */
export interface Collection {
  key: string;
  segment: string;
  parentKey?: string;
  collectionPath?: string;
  itemPath?: string;
  itemParameter?: string;
  name?: string;
  shape?: ObjectShape;
  definition?: ResourceDefinition;
}

function knownFormats(): Set<string> {
  const ajv = new Ajv();
  addFormats(ajv);
  return new Set(Object.keys(ajv.formats));
}

export class ImportState {
  readonly problems: ImportProblem[] = [];
  readonly schemas: SchemaReader;
  readonly collections = new Map<string, Collection>();
  readonly byComponent = new Map<string, Collection>();
  readonly strictAjv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });

  constructor(readonly doc: Json) {
    this.schemas = new SchemaReader(doc, this.problems, knownFormats());
    addFormats(this.strictAjv);
  }

  problem(at: string, message: string): void {
    this.problems.push({ pointer: at, message });
  }

  operation(path: string | undefined, method: string): Json | undefined {
    return path ? this.doc.paths[path]?.[method] : undefined;
  }
}
