/**
 * Issue 14 §5: a property-based fuzz test (fast-check). Random methods,
 * paths (every route: the API, its documents, /openapi.json, the levels),
 * query strings, headers (Accept in every format, Content-Type,
 * Content-Encoding, Authorization, conditionals) and bodies (JSON, not JSON,
 * prototype-pollution keys, level-0/1 actions) go to one server, and every
 * answer must hold that:
 *
 * - there is never a 5xx;
 * - every error (4xx) is application/problem+json and shows nothing of the
 *   server's insides — except levels 0 and 1, which by design answer 200
 *   with `"ok": false` and the error inside (their refusals count as errors
 *   for the next rule);
 * - a rejected request changes nothing stored;
 * - Object.prototype is never polluted.
 *
 * `npm test` runs a bounded number of cases (FUZZ_RUNS, default 120);
 * `npm run fuzz` runs many more. A failure prints its seed and path:
 * `FUZZ_SEED=<seed> FUZZ_PATH=<path> npm run fuzz` replays it exactly.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import type { Response } from 'supertest';
import { snapshot, startTestApi, type TestApi } from './helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const PATH = process.env.FUZZ_PATH;

/** Text that would show the server's insides: stack frames, SQL, SQLite, file paths, library messages. */
const INSIDES = /\bat .+\(.+:\d+:\d+\)|SELECT |INSERT INTO|UPDATE .+ SET|sqlite|node_modules|\/work\/|\/tmp\/|Maximum call stack|RangeError|TypeError|Unexpected token|Cannot read prop/i;

const METHODS = ['GET', 'GET', 'HEAD', 'POST', 'POST', 'PUT', 'PATCH', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND'];

/** Path segments that are ids, almost ids, and hostile. */
const segment = fc.oneof(
  fc.constantFrom('1', '2', '3', '99'),
  fc.constantFrom('0', '-1', '1.5', '1e3', '0x10', '9007199254740993', '2147483648', '__proto__', 'constructor', 'prototype', '..', '%2e%2e', '%00', '%zz', '%2F', 'toString'),
  fc.integer({ min: -5, max: 3_000_000_000 }).map(String),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);

const path = fc.oneof(
  fc.constantFrom('/', '/docs', '/openapi.json', '/levels', '/levels/', '/levels/0', '/levels/1', '/levels/3', '/levels/4', '/countries', '/events', '/contexts/country.jsonld', '/problems/unauthorized', '/assets/rung.js'),
  fc.tuple(fc.constantFrom('/countries/', '/events/', '/levels/1/countries/', '/levels/2/countries/', '/levels/2/events/', '/levels/3/countries/', '/contexts/', '/problems/', '/assets/', '/'), segment).map(([p, s]) => p + s),
  fc.tuple(fc.constantFrom('/events/', '/levels/1/events/', '/levels/2/events/'), segment, fc.constantFrom('/guests', '/guests/'), fc.option(segment)).map(([p, a, g, b]) => p + a + g + (b ?? '')),
  fc.constantFrom('/levels/2/countries', '/levels/2/events', '/levels/1/countries', '/levels/1/events/1/guests'),
);

const queryKey = fc.constantFrom('page', 'pageSize', 'sort', 'q', 'name', 'capital', 'area_gte', 'area', 'location', 'startDate_lte', '__proto__', 'constructor', 'prototype', '__proto__[polluted]', 'x', 'page[]', 'name_contains');
const queryValue = fc.oneof(
  fc.constantFrom('1', '0', '-1', '2', '100', '101', '100000', 'NaN', 'Infinity', '-name', 'name,-area', 'area', 'Bangkok', '', '%', '[]', '{}', 'true', '1e999'),
  fc.string({ maxLength: 10 }),
);
const query = fc.array(fc.tuple(queryKey, queryValue), { maxLength: 4 }).map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k).replace('%5B', '[').replace('%5D', ']')}=${encodeURIComponent(v)}`).join('&')}` : ''));

const ACCEPT = ['application/ld+json', 'application/json', 'text/turtle', 'application/n-quads', 'application/n-triples', 'application/hal+json', 'application/prs.hal-forms+json', 'text/html', '*/*', 'application/xml', 'text/markdown', 'application/yaml', 'garbage;;q=x', 'application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded"'];
const CONTENT_TYPES = ['application/json', 'application/ld+json', 'application/merge-patch+json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/xml'];

const levelAction = fc.record(
  {
    action: fc.constantFrom('listCountries', 'getCountry', 'createCountry', 'updateCountry', 'deleteCountry', 'createEvent', 'read', 'create', 'update', 'delete', 'list', '__proto__', 'constructor', 'nothing'),
    id: fc.oneof(fc.integer({ min: -1, max: 4 }), fc.string({ maxLength: 3 })),
    data: fc.dictionary(fc.constantFrom('name', 'capital', 'area', 'startDate', 'location', '__proto__', 'constructor'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    params: fc.dictionary(fc.constantFrom('capital', 'page', 'pageSize', '__proto__'), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
  },
  { requiredKeys: ['action'] },
);

const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.dictionary(fc.constantFrom('name', 'capital', 'area', 'startDate', 'location', 'email', '@context', '@id', '@type', '__proto__', 'constructor', 'prototype'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }).map((o) => JSON.stringify(o)),
  fc.constantFrom(
    '{"__proto__": {"polluted": 1}, "name": "Proto"}',
    '{"constructor": {"prototype": {"polluted": 1}}, "name": "Ctor"}',
    '{"name": "x", "@context": {"@vocab": "http://evil.example/"}}',
    '{"name": "x", "@context": "http://example.org/remote.jsonld"}',
    '{"name": ',
    '[]',
    'null',
    '{"action": "createCountry", "data": {"name": "Fuzzed"}}',
  ),
  levelAction.map((o) => JSON.stringify(o)),
  fc.string({ maxLength: 40 }),
);

const authorization = fc.constantFrom('none', 'read', 'write', 'write', 'unknown', 'malformed', 'basic');
const request = fc.record({
  method: fc.constantFrom(...METHODS),
  path,
  query,
  accept: fc.option(fc.constantFrom(...ACCEPT), { nil: undefined }),
  contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }),
  contentEncoding: fc.option(fc.constantFrom('gzip', 'br', 'deflate', 'compress', 'identity'), { freq: 6, nil: undefined }),
  ifMatch: fc.option(fc.constantFrom('*', '"x"', 'W/"x"', 'garbage'), { freq: 4, nil: undefined }),
  authorization,
  body,
});
type FuzzRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

/** Levels 0 and 1 answer 200 by design, with the outcome in the body. */
const rpcLevel = (p: string) => /^\/levels\/[01](\/|$|\?)/.test(p);

describe('fuzz: random requests to every route (fast-check)', function () {
  this.timeout(Math.max(120_000, RUNS * 400));
  let api: TestApi;
  let tokens: Record<string, string>;

  before(async () => {
    api = await startTestApi({ seed: false, auth: { anonymous: 'read' }, rateLimit: false });
    const write = (await api.rung.tokens.create({ scopes: ['read', 'write'] })).token;
    const read = (await api.rung.tokens.create({ scopes: ['read'] })).token;
    tokens = { read: `Bearer ${read}`, write: `Bearer ${write}`, unknown: 'Bearer rung_unknown', malformed: 'Bearer two words', basic: 'Basic dXNlcjpwYXNz' };
    const auth = { Authorization: tokens.write };
    for (const name of ['Atlantis', 'Lemuria', 'Mu']) {
      await api.http.post('/countries').set(auth).send({ name, capital: 'Poseidonia', area: 5000 }).expect(201);
    }
    await api.http.post('/events').set(auth).send({ name: 'RestConf', startDate: '2027-05-01T09:00:00Z', location: 1 }).expect(201);
    await api.http.post('/events/1/guests').set(auth).send({ name: 'Ada', email: 'ada@example.org' }).expect(201);
  });
  after(() => api?.close());

  async function send(r: FuzzRequest): Promise<Response> {
    const agent = api.http as unknown as Record<string, (url: string) => ReturnType<typeof api.http.get>>;
    let req = agent[r.method.toLowerCase()](r.path + r.query);
    if (r.accept) req = req.set('Accept', r.accept);
    if (r.contentType) req = req.set('Content-Type', r.contentType);
    if (r.contentEncoding) req = req.set('Content-Encoding', r.contentEncoding);
    if (r.ifMatch) req = req.set('If-Match', r.ifMatch);
    if (r.authorization !== 'none') req = req.set('Authorization', tokens[r.authorization]);
    if (r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD') req = req.send(r.body);
    return req.ok(() => true);
  }

  it(`holds for ${RUNS} random requests: no 5xx, errors are problem+json, rejected requests change nothing`, async () => {
    let errors = 0;
    let successes = 0;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const before = snapshot(api);
        const res = await send(r);
        const what = `${r.method} ${r.path}${r.query} → ${res.status} ${res.text?.slice(0, 300)}`;
        expect(res.status, what).to.be.below(500);
        const rpc = rpcLevel(r.path) && res.status === 200 && r.method === 'POST';
        const refusedInBody = rpc && (res.body?.ok === false || res.body?.ok === undefined);
        if (res.status >= 400) {
          errors++;
          expect(res.headers['content-type'], what).to.equal('application/problem+json');
          if (r.method !== 'HEAD') {
            expect(res.body.status, what).to.equal(res.status);
            expect(res.body.type, what).to.be.a('string');
          }
        } else successes++;
        if (res.text && (res.status >= 400 || refusedInBody)) expect(res.text, what).to.not.match(INSIDES);
        if (res.status >= 400 || refusedInBody) expect(snapshot(api), `changed by a rejected request: ${what}`).to.deep.equal(before);
        expect(({} as Record<string, unknown>).polluted, what).to.equal(undefined);
        expect(Object.prototype).to.not.have.property('polluted');
      }),
      { numRuns: RUNS, seed: SEED, path: PATH },
    );
    // The generators reach both sides: the test cannot pass by only sending nonsense.
    expect(errors).to.be.greaterThan(RUNS / 10);
    expect(successes).to.be.greaterThan(RUNS / 20);
  });
});
