/**
 * Proactive content negotiation on `Accept` (q-values, wildcards,
 * parameters such as the JSON-LD `profile`), parsed by `negotiator`.
 *
 * @see RFC 9110 §12.5.1 (Accept)
 */
import Negotiator from 'negotiator';
import { HttpError } from './errors.js';

/** Anything offered under a media type (Rung offers its formats). */
export interface Offer {
  /** The media range offered, possibly with parameters such as a JSON-LD `profile`. */
  mediaType: string;
}

/** Choose the best offer for an Accept header (the first when Accept is absent); `undefined` when nothing is acceptable. */
export function chooseFormat<T extends Offer>(accept: string | undefined, formats: T[]): T | undefined {
  if (!accept || !accept.trim()) return formats[0];
  const negotiator = new Negotiator({ headers: { accept } });
  const [best] = negotiator.mediaTypes(formats.map((f) => f.mediaType));
  return best === undefined ? undefined : formats.find((f) => f.mediaType === best);
}

/**
 * {@link chooseFormat} remembered per Accept value: clients send a handful of
 * distinct Accept headers, and parsing one costs more than the rest of a
 * cached GET. Bounded, so odd headers cannot grow it without limit.
 */
export class FormatChooser<T extends Offer> {
  private readonly memo = new Map<string, T | null>();

  constructor(
    private readonly formats: T[],
    private readonly limit = 512,
  ) {}

  choose(accept: string | undefined): T | undefined {
    const key = accept ?? '';
    const known = this.memo.get(key);
    if (known !== undefined) return known ?? undefined;
    const format = chooseFormat(accept, this.formats);
    if (this.memo.size >= this.limit) this.memo.clear();
    this.memo.set(key, format ?? null);
    return format;
  }
}

/** 406, listing what is available. */
export function notAcceptable(formats: Offer[]): HttpError {
  const available = [...new Set(formats.map((f) => f.mediaType))];
  return new HttpError(406, {
    type: 'not-acceptable',
    title: 'Not Acceptable',
    detail: `None of the media types in Accept is available. Available: ${available.join(', ')}.`,
    extensions: { available },
    // The 406 depends on Accept like any negotiated response. @see RFC 9110 §12.5.5
    headers: { Vary: 'Accept' },
  });
}
