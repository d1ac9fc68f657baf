/** RFC 8288 `Link` header values, formatted by http-link-header. */
import LinkHeader from 'http-link-header';
import type { LinkSpec } from './representation.js';

export function formatLinks(links: LinkSpec[]): string {
  const header = new LinkHeader();
  for (const link of links) {
    const ref: LinkHeader.Reference = { uri: link.href, rel: link.rel };
    if (link.type) ref.type = link.type;
    if (link.title) ref.title = link.title;
    header.set(ref);
  }
  return header.toString();
}
