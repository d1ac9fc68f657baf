/**
 * Reading the Hydra ApiDocumentation the way a generic client would: the
 * class of a representation (its `@type` expanded through its own
 * `@context`), that class's supported operations and writeable properties,
 * and, for a link-valued property, which entry-point collection lists the
 * resources it may point to.
 */
import type { RenderEnv } from '../format.js';
import { termIri } from '../../resources/contexts.js';
import { CONTEXTS_PATH, XSD } from '../../resources/vocabulary.js';

export interface DocProperty {
  title: string;
  description?: string;
  required?: boolean;
  writeable?: boolean;
  /** `range` is a class IRI, or a node describing it (the entry point's collections). */
  property: { '@id': string; '@type'?: string | string[]; label?: string; range?: string | { '@id': string } };
}

/** The IRI of a property's range, whether given as an IRI or as a node. */
export const rangeOf = (p: DocProperty): string | undefined =>
  typeof p.property.range === 'object' ? p.property.range['@id'] : p.property.range;

export interface DocOperation {
  '@id'?: string;
  method: string;
  title?: string;
  description?: string;
  expects?: string;
  returns?: string;
  /** Inline operations may name another target; by default the resource itself. */
  target?: string;
}

export interface DocClass {
  '@id': string;
  subClassOf?: string | string[];
  title?: string;
  description?: string;
  supportedProperty?: DocProperty[];
  supportedOperation?: DocOperation[];
}

/** How a form input is typed and how the script converts its value. */
export type FieldKind = 'string' | 'dateTime' | 'date' | 'number' | 'boolean' | 'iri';

export interface FormField {
  name: string;
  description?: string;
  required: boolean;
  kind: FieldKind;
  /** For links: the entry point's term for the collection listing candidate targets. */
  optionsFrom?: string;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export class ApiDocs {
  readonly title: string;
  readonly description: string;
  readonly entrypoint: string;
  readonly classes: DocClass[];
  private readonly byId = new Map<string, DocClass>();

  constructor(
    documentation: Record<string, unknown>,
    private readonly env: RenderEnv,
  ) {
    this.title = String(documentation.title ?? 'API');
    this.description = String(documentation.description ?? '');
    this.entrypoint = String(documentation.entrypoint ?? `${env.base}/`);
    this.classes = asArray(documentation.supportedClass as DocClass[] | undefined);
    for (const cls of this.classes) this.byId.set(cls['@id'], cls);
  }

  /**
   * The documented class of a compacted document, found through its `@type`
   * terms: the last documented one that is not a subclass of another of them
   * (a `DeletableCountry` is a `Country` whose DELETE is offered inline too).
   */
  classOf(data: Record<string, unknown>): DocClass | undefined {
    const types = asArray(data['@type'] as string | string[] | undefined);
    const context = this.context(data['@context']);
    const found: DocClass[] = [];
    for (const type of [...types].reverse()) {
      const iri = this.expand(context, type);
      const cls = (iri && this.byId.get(iri)) || this.classes.find((c) => c.title === type);
      if (cls) found.push(cls);
    }
    const ids = new Set(found.map((c) => c['@id']));
    return found.find((c) => !asArray(c.subClassOf).some((s) => ids.has(s))) ?? found[0];
  }

  classById(id: string | undefined): DocClass | undefined {
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** Operations the documentation allows on an instance of `cls`, other than GET. */
  writeOperations(cls: DocClass | undefined): DocOperation[] {
    return asArray(cls?.supportedOperation).filter((op) => op.method !== 'GET');
  }

  /** Form fields for a body of class `expects`: its writeable properties. */
  fields(expects: string | undefined): FormField[] {
    const cls = this.classById(expects);
    return asArray(cls?.supportedProperty)
      .filter((p) => p.writeable !== false)
      .map((p) => {
        const isLink = asArray(p.property['@type']).includes('Link');
        return {
          name: p.title,
          description: p.description,
          required: Boolean(p.required),
          kind: isLink ? 'iri' : kindOf(rangeOf(p)),
          optionsFrom: isLink ? this.collectionTermFor(rangeOf(p)) : undefined,
        };
      });
  }

  /**
   * The entry-point term of the collection whose members have class `range`:
   * the collection class is the one whose `member` ranges over `range`, and
   * the entry point documents a property ranging over that collection class.
   */
  collectionTermFor(range: string | undefined): string | undefined {
    if (!range) return undefined;
    const collection = this.classes.find((c) =>
      asArray(c.supportedProperty).some((p) => p.title === 'member' && rangeOf(p) === range),
    );
    if (!collection) return undefined;
    const entrypoint = this.classes.find((c) => c.title === 'EntryPoint' || c['@id'].endsWith('#EntryPoint'));
    return asArray(entrypoint?.supportedProperty).find((p) => rangeOf(p) === collection['@id'])?.title;
  }

  private context(url: unknown): Record<string, unknown> | undefined {
    const prefix = `${this.env.base}${CONTEXTS_PATH}/`;
    if (typeof url !== 'string' || !url.startsWith(prefix)) return undefined;
    return this.env.contexts.document(this.env.base, url.slice(prefix.length))?.['@context'];
  }

  private expand(context: Record<string, unknown> | undefined, term: string): string | undefined {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(term)) return term;
    if (!context) return undefined;
    try {
      return termIri(context, term);
    } catch {
      return undefined;
    }
  }
}

function kindOf(range: string | undefined): FieldKind {
  switch (range) {
    case `${XSD}integer`:
    case `${XSD}decimal`:
    case `${XSD}double`:
    case `${XSD}float`:
      return 'number';
    case `${XSD}boolean`:
      return 'boolean';
    case `${XSD}dateTime`:
      return 'dateTime';
    case `${XSD}date`:
      return 'date';
    default:
      return 'string';
  }
}
