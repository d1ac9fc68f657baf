/**
 * Escaping for the HTML format. Every page is built with the `html` tagged
 * template: interpolated values are escaped unless they are already
 * {@link Html} (the output of another `html` template), so no string from a
 * representation reaches the page unescaped.
 *
 * @see https://html.spec.whatwg.org/multipage/parsing.html#escapingString
 */

/** A fragment of markup that is safe to insert as is. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for use in element content and in quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A value that may be interpolated into a template. */
export type Interpolation = Html | string | number | boolean | null | undefined | Interpolation[];

function fragment(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(fragment).join('');
  return escapeHtml(String(value));
}

/** Tagged template: literal parts are markup, interpolations are escaped. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += fragment(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Markup trusted by construction (e.g. a constant); never pass data here. */
export const raw = (markup: string) => new Html(markup);

/** An absolute http(s) IRI: the only kind of value rendered as a link (no `javascript:`). */
export function isHttpIri(value: unknown): value is string {
  return typeof value === 'string' && /^https?:\/\/[^\s<>"]+$/i.test(value);
}
