/** The pure HTTP rules, as tables of cases. */
import { expect } from 'chai';
import { formatEtag, parseEtagList, tokenOf } from '../src/http/etag.js';
import { evaluatePreconditions, type ConditionalHeaders, type CurrentState } from '../src/http/preconditions.js';

const current: CurrentState = {
  exists: true,
  token: 'ab.1',
  etag: formatEtag('ab.1', 'jsonld'),
  lastModified: new Date('2026-01-01T12:00:00Z'),
};
const absent: CurrentState = { exists: false };
const EARLIER = 'Wed, 31 Dec 2025 12:00:00 GMT';
const SAME = 'Thu, 01 Jan 2026 12:00:00 GMT';
const LATER = 'Fri, 02 Jan 2026 12:00:00 GMT';

describe('evaluatePreconditions (RFC 9110 §13.2.2)', () => {
  const cases: [string, Partial<ConditionalHeaders> & { method: string }, CurrentState, ReturnType<typeof evaluatePreconditions>, boolean?][] = [
    ['unconditional GET', { method: 'GET' }, current, 'proceed'],
    ['If-None-Match same tag → 304', { method: 'GET', ifNoneMatch: '"ab.1-jsonld"' }, current, 304],
    ['If-None-Match weak form of the tag → 304 (weak comparison)', { method: 'GET', ifNoneMatch: 'W/"ab.1-jsonld"' }, current, 304],
    ['If-None-Match list containing the tag → 304', { method: 'GET', ifNoneMatch: '"x", "ab.1-jsonld"' }, current, 304],
    ['If-None-Match * on an existing resource → 304', { method: 'HEAD', ifNoneMatch: '*' }, current, 304],
    ['If-None-Match another variant of the same state → 200 (variants differ)', { method: 'GET', ifNoneMatch: '"ab.1-ttl"' }, current, 'proceed'],
    ['If-None-Match stale tag → 200', { method: 'GET', ifNoneMatch: '"ab.0-jsonld"' }, current, 'proceed'],
    ['If-Modified-Since not modified → 304', { method: 'GET', ifModifiedSince: SAME }, current, 304],
    ['If-Modified-Since later → 304', { method: 'GET', ifModifiedSince: LATER }, current, 304],
    ['If-Modified-Since earlier → 200', { method: 'GET', ifModifiedSince: EARLIER }, current, 'proceed'],
    ['If-Modified-Since ignored when If-None-Match is present', { method: 'GET', ifNoneMatch: '"zz"', ifModifiedSince: LATER }, current, 'proceed'],
    ['If-Modified-Since unparseable is ignored', { method: 'GET', ifModifiedSince: 'yesterday' }, current, 'proceed'],
    ['If-Modified-Since ignored on PUT', { method: 'PUT', ifModifiedSince: LATER }, current, 'proceed'],
    ['If-Match on GET, stale → 412', { method: 'GET', ifMatch: '"ab.0-jsonld"' }, current, 412],
    ['If-Match on GET, same → proceed', { method: 'GET', ifMatch: '"ab.1-jsonld"' }, current, 'proceed'],
    ['If-Match current (any variant) on PUT → proceed', { method: 'PUT', ifMatch: '"ab.1-ttl"' }, current, 'proceed'],
    ['If-Match stale on PUT → 412', { method: 'PUT', ifMatch: '"ab.0-jsonld"' }, current, 412],
    ['If-Match weak tag never matches (strong comparison)', { method: 'PATCH', ifMatch: 'W/"ab.1-jsonld"' }, current, 412],
    ['If-Match list with the current tag → proceed', { method: 'DELETE', ifMatch: '"old-jsonld", "ab.1-jsonld"' }, current, 'proceed'],
    ['If-Match * on an existing resource → proceed', { method: 'PUT', ifMatch: '*' }, current, 'proceed'],
    ['If-Match * on a missing resource → 412', { method: 'PUT', ifMatch: '*' }, absent, 412],
    ['If-Match garbage → 412', { method: 'PUT', ifMatch: 'garbage' }, current, 412],
    ['If-Unmodified-Since earlier → 412', { method: 'PUT', ifUnmodifiedSince: EARLIER }, current, 412],
    ['If-Unmodified-Since same → proceed', { method: 'PUT', ifUnmodifiedSince: SAME }, current, 'proceed'],
    ['If-Unmodified-Since ignored when If-Match is present', { method: 'PUT', ifMatch: '"ab.1-jsonld"', ifUnmodifiedSince: EARLIER }, current, 'proceed'],
    ['If-None-Match * on PUT to an existing resource → 412 (create-if-absent)', { method: 'PUT', ifNoneMatch: '*' }, current, 412],
    ['If-None-Match * on PUT to a missing resource → proceed', { method: 'PUT', ifNoneMatch: '*' }, absent, 'proceed'],
    ['If-None-Match current tag on DELETE → 412', { method: 'DELETE', ifNoneMatch: '"ab.1-jsonld"' }, current, 412],
    ['required: PUT without If-Match → 428', { method: 'PUT' }, current, 428, true],
    ['required: PATCH without If-Match → 428', { method: 'PATCH' }, current, 428, true],
    ['required: DELETE without If-Match → 428', { method: 'DELETE' }, current, 428, true],
    ['required: DELETE with If-Match stale → 412', { method: 'DELETE', ifMatch: '"x-jsonld"' }, current, 412, true],
    ['required: PUT to create with If-None-Match * → proceed', { method: 'PUT', ifNoneMatch: '*' }, absent, 'proceed', true],
    ['required: PUT to create without a condition → 428', { method: 'PUT' }, absent, 428, true],
    ['required: GET is never required to be conditional', { method: 'GET' }, current, 'proceed', true],
  ];
  for (const [name, headers, state, expected, required] of cases) {
    it(name, () => {
      expect(evaluatePreconditions(headers, state, required ?? false)).to.equal(expected);
    });
  }
});

describe('entity tags', () => {
  it('parses lists, weak tags and *', () => {
    expect(parseEtagList('*')).to.equal('*');
    expect(parseEtagList('"a", W/"b" ,"c-d"')).to.deep.equal([
      { weak: false, opaque: 'a' },
      { weak: true, opaque: 'b' },
      { weak: false, opaque: 'c-d' },
    ]);
    expect(parseEtagList('nonsense')).to.deep.equal([]);
  });
  it('formats "<token>-<variant>" and reads the token back', () => {
    expect(formatEtag('ab.3', 'ttl')).to.equal('"ab.3-ttl"');
    expect(tokenOf({ weak: false, opaque: 'ab.3-ttl' })).to.equal('ab.3');
  });
});
