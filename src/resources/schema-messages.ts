/**
 * JSON Schema failures in plain words. ajv says `must be string` and
 * `must NOT have fewer than 1 characters`; a newcomer reads better
 * `must be a string, not 42` and `must not be empty`, and, where the form
 * is not obvious, an example of what is accepted (`must be an RFC 3339
 * date-time such as 2027-05-01T09:00:00Z`). Used for request bodies and
 * for API files alike.
 *
 * @see https://ajv.js.org/api.html#validation-errors (ajv's error objects)
 */
import type { ErrorObject } from 'ajv';
import type { Violation } from '../http/errors.js';

/** What a value of each JSON type is called. */
const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list (a JSON array)',
  null: 'null',
};

/** Formats, each as a phrase with an example of an accepted value. */
export const FORMAT_PHRASES: Record<string, string> = {
  email: 'an e-mail address such as ada@example.org',
  'idn-email': 'an e-mail address such as ada@example.org',
  uri: 'an absolute URI such as https://example.org/page',
  'uri-reference': 'a URI reference such as /countries/5 or https://example.org/page',
  iri: 'an absolute IRI such as https://example.org/page',
  'iri-reference': 'an IRI reference such as /countries/5 or https://example.org/page',
  'uri-template': 'a URI template such as /books{?title}',
  url: 'a URL such as https://example.org/page',
  date: 'an RFC 3339 date such as 2027-05-01',
  'date-time': 'an RFC 3339 date-time such as 2027-05-01T09:00:00Z',
  time: 'an RFC 3339 time such as 09:00:00Z',
  duration: 'an ISO 8601 duration such as P1DT2H',
  uuid: 'a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e',
  ipv4: 'an IPv4 address such as 192.0.2.1',
  ipv6: 'an IPv6 address such as 2001:db8::1',
  hostname: 'a host name such as example.org',
  regex: 'a regular expression',
  'json-pointer': 'a JSON Pointer such as /name',
  byte: 'base64-encoded bytes such as aGVsbG8=',
};

/** A value as it appears in a message: JSON, shortened. */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const listOf = (values: unknown[]) => values.map(shown).join(', ');
const types = (type: unknown) =>
  (Array.isArray(type) ? type : String(type).split(','))
    .map((t) => TYPE_WORDS[t] ?? t)
    .join(' or ');

/** The value at a JSON Pointer (RFC 6901) inside `root`. */
function at(root: unknown, pointer: string): unknown {
  let value = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The subschema an error's `schemaPath` (`#/properties/area/minimum`) names the keyword of. */
function schemaOf(root: unknown, schemaPath: string): Record<string, unknown> | undefined {
  const parent = at(root, schemaPath.replace(/^#/, '').replace(/\/[^/]*$/, ''));
  return parent && typeof parent === 'object' ? (parent as Record<string, unknown>) : undefined;
}

/** ", such as X" when the schema gives examples. */
function example(schema: Record<string, unknown> | undefined): string {
  const examples = schema?.examples;
  return Array.isArray(examples) && examples.length ? ` such as ${shown(examples[0])}` : '';
}

export interface MessageContext {
  /** The validated document (to quote what was sent). */
  data: unknown;
  /** The schema it was validated against (to find examples). */
  schema: unknown;
  /**
   * How an unknown member of the object at `pointer` is described; undefined
   * (or no function) for "is not allowed here (allowed: a, b)".
   */
  unknownMember?(pointer: string, member: string, allowed: string[]): string | undefined;
}

/** One ajv error as a sentence (without its pointer), or undefined to leave it out. */
function sentence(error: ErrorObject, context: MessageContext): string | undefined {
  const params = error.params as Record<string, unknown>;
  const schema = schemaOf(context.schema, error.schemaPath);
  const value = at(context.data, error.instancePath);
  const not = value === undefined ? '' : `, not ${shown(value)}`;
  const limit = params.limit as number;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties': {
      const allowed = Object.keys((schema?.properties as object | undefined) ?? {});
      return (
        context.unknownMember?.(error.instancePath, String(params.additionalProperty), allowed) ??
        `is not allowed here${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`
      );
    }
    case 'type':
      return `must be ${types(params.type)}${example(schema)}${not}`;
    case 'minLength':
      return limit === 1 ? 'must not be empty' : `must be at least ${plural(limit, 'character')} long${not}`;
    case 'maxLength':
      return `must be at most ${plural(limit, 'character')} long (this one has ${typeof value === 'string' ? [...value].length : '?'})`;
    case 'minimum':
      return `must be at least ${limit}${not}`;
    case 'maximum':
      return `must be at most ${limit}${not}`;
    case 'exclusiveMinimum':
      return `must be greater than ${limit}${not}`;
    case 'exclusiveMaximum':
      return `must be less than ${limit}${not}`;
    case 'multipleOf':
      return `must be a multiple of ${params.multipleOf}${not}`;
    case 'pattern':
      return `must match the pattern ${params.pattern}${example(schema)}${not}`;
    case 'format': {
      const phrase = FORMAT_PHRASES[params.format as string];
      return `must be ${phrase ?? `a valid ${params.format}`}${not}`;
    }
    case 'enum':
      return `must be one of ${listOf(params.allowedValues as unknown[])}${not}`;
    case 'const':
      return `must be ${shown(params.allowedValue)}${not}`;
    case 'minItems':
      return `must have at least ${plural(limit, 'item')}${Array.isArray(value) ? ` (this one has ${value.length})` : ''}`;
    case 'maxItems':
      return `must have at most ${plural(limit, 'item')}${Array.isArray(value) ? ` (this one has ${value.length})` : ''}`;
    case 'uniqueItems':
      return `must not repeat an item (items ${Math.min(params.i as number, params.j as number)} and ${Math.max(params.i as number, params.j as number)} are equal)`;
    case 'minProperties':
      return `must have at least ${plural(limit, 'member')}`;
    case 'maxProperties':
      return `must have at most ${plural(limit, 'member')}`;
    case 'dependencies':
    case 'dependentRequired':
      return `is required when ${params.property} is given`;
    case 'contains':
      return 'must contain at least one item of the expected form';
    case 'propertyNames':
      return `has a member whose name is not allowed (${shown(params.propertyName)})`;
    case 'not':
      return `must not be ${shown(value)}`;
    case 'false schema':
      return 'is not allowed here';
    case 'if':
      return undefined; // the failing then/else branch says what is wrong
    default:
      return error.message ?? 'is invalid';
  }
}

/**
 * ajv errors as violations in plain words. Failures inside an `anyOf` /
 * `oneOf` are summed up in one sentence: the alternatives' types when each
 * failed on its type ("must be a string or a whole number, not true"), or
 * "must match one of the allowed forms".
 */
export function schemaViolations(errors: ErrorObject[], context: MessageContext): Violation[] {
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const inside = (e: ErrorObject, c: ErrorObject) => e !== c && e.schemaPath.startsWith(`${c.schemaPath}/`);
  const out: Violation[] = [];
  for (const error of errors) {
    if (combinators.some((c) => inside(error, c))) continue;
    const pointer = error.keyword === 'required' || error.keyword === 'additionalProperties' || error.keyword === 'dependencies' || error.keyword === 'dependentRequired'
      ? `${error.instancePath}/${escape(String((error.params as Record<string, unknown>).missingProperty ?? (error.params as Record<string, unknown>).additionalProperty))}`
      : error.instancePath;
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf') {
      const branches = errors.filter((e) => inside(e, error));
      const value = at(context.data, error.instancePath);
      const typeOnly = branches.length > 0 && branches.every((b) => b.keyword === 'type' && b.instancePath === error.instancePath);
      if (error.keyword === 'oneOf' && (error.params as { passingSchemas?: unknown }).passingSchemas) {
        out.push({ pointer, message: 'matches more than one of the allowed forms' });
      } else if (typeOnly) {
        out.push({ pointer, message: `must be ${branches.map((b) => types((b.params as { type: unknown }).type)).join(' or ')}, not ${shown(value)}` });
      } else {
        out.push({ pointer, message: `must match one of the allowed forms, not ${shown(value)}` });
      }
      continue;
    }
    const message = sentence(error, context);
    if (message !== undefined) out.push({ pointer, message });
  }
  return out;
}

const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
