/**
 * RFC 8288 `Link` header values, written exactly as http-link-header writes
 * them: `<uri>; rel=…; type=…; title=…`, joined by `, `. Every rendered
 * representation carries one, so the common case (rel and type, tokens or
 * quoted strings) is written here directly; a title goes through
 * http-link-header's own formatting.
 */
import LinkHeader from 'http-link-header';
import type { LinkSpec } from './representation.js';

/** @see RFC 9110 §5.6.2 (token) */
const TOKEN = /^[!#$%&'*+\-.^_`|~\da-zA-Z]+$/;

/** A token attribute (`rel`, `type`): bare when a token, a quoted string otherwise. */
const tokenAttribute = (value: string) => (TOKEN.test(value) ? value : `"${value.replace(/"/g, '\\"')}"`);

export function formatLinks(links: LinkSpec[]): string {
  let out = '';
  for (const link of links) {
    let ref = `<${link.href}>; rel=${tokenAttribute(link.rel)}`;
    if (link.type) ref += `; type=${tokenAttribute(link.type)}`;
    if (link.title) ref += `; ${LinkHeader.formatAttribute('title', link.title)}`;
    out += out ? `, ${ref}` : ref;
  }
  return out;
}
