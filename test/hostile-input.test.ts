/**
 * Issue 17 §2–5: input built to break the server gets a clear 4xx problem,
 * changes nothing stored, and never shows the server's insides — deep JSON,
 * bodies in a content coding they are not in, lookups through
 * Object.prototype, and messages of the libraries underneath.
 */
import { expect } from 'chai';
import { Writable } from 'node:stream';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import pino from 'pino';
import type { Response } from 'supertest';
import { createExampleApi } from '../src/example/index.js';
import { SqliteStore, type Store } from '../src/index.js';
import { createCountry, snapshot, startTestApi, type TestApi } from './helpers.js';
import supertest from 'supertest';

/** Text that would show the server's insides: stack frames, SQL, SQLite, file paths, library messages. */
const INSIDES = /\bat .+\(.+:\d+:\d+\)|SELECT|INSERT|UPDATE .+ SET|sqlite|node_modules|\/work\/|\/tmp\/|Maximum call stack|RangeError|Unexpected token|incorrect header check|Decompression failed|Refusing to load/i;

function expectProblem(res: Response, status: number, type?: string) {
  expect(res.status, res.text).to.equal(status);
  expect(res.headers['content-type']).to.equal('application/problem+json');
  expect(res.body.status).to.equal(status);
  if (type) expect(res.body.type).to.match(new RegExp(`/problems/${type}$`));
  expect(res.text).to.not.match(INSIDES);
}

describe('hostile input', () => {
  let api: TestApi;
  let countryPath: string;
  beforeEach(async () => {
    api = await startTestApi({ seed: false });
    countryPath = (await createCountry(api)).path;
  });
  afterEach(() => api.close());

  async function unchanged(request: () => PromiseLike<Response>): Promise<Response> {
    const before = snapshot(api);
    const res = await request();
    expect(snapshot(api)).to.deep.equal(before);
    return res;
  }

  describe('deep JSON (§2)', () => {
    const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

    it('a body nested 10,000 deep is a 400 naming the limit, for every method and body type', async () => {
      const cases = [
        ['patch', countryPath, 'application/merge-patch+json'],
        ['patch', countryPath, 'application/ld+json'],
        ['put', countryPath, 'application/json'],
        ['post', '/countries', 'application/ld+json'],
        ['post', '/countries', 'application/json'],
      ] as const;
      for (const [method, path, type] of cases) {
        const res = await unchanged(() => api.http[method](path).set('Content-Type', type).send(deep(10_000)));
        expectProblem(res, 400, 'body-too-deep');
        expect(res.body.maxDepth, `${method} ${type}`).to.equal(64);
        expect(res.body.detail).to.include('64 levels');
      }
    });

    it('arrays count like objects; the limit is an option', async () => {
      const strict = await startTestApi({ seed: false, maxJsonDepth: 3 });
      try {
        const ok = await strict.http.post('/countries').set('Content-Type', 'application/json').send({ name: 'Flat' });
        expect(ok.status).to.equal(201);
        const res = await strict.http.post('/countries').set('Content-Type', 'application/json').send({ name: 'x', a: [[{}]] });
        expectProblem(res, 400, 'body-too-deep');
        expect(res.body.maxDepth).to.equal(3);
        // Exactly at the limit it is read, then judged by the schema (a is not a field).
        const atLimit = await strict.http.post('/countries').set('Content-Type', 'application/json').send({ name: 'x', a: [[]] });
        expectProblem(atLimit, 422, 'validation-failed');
      } finally {
        await strict.close();
      }
    });
  });

  describe('content codings (§3)', () => {
    const body = JSON.stringify({ name: 'Codeland' });

    for (const coding of ['gzip', 'br', 'deflate']) {
      it(`a body that is not ${coding} data, sent as ${coding}: 400, nothing stored`, async () => {
        const res = await unchanged(() =>
          api.http.post('/countries').set('Content-Type', 'application/json').set('Content-Encoding', coding).send(body),
        );
        expectProblem(res, 400, 'undecodable-body');
        expect(res.body.detail).to.include(coding);
      });
    }

    it('bodies really in gzip, br or deflate are decoded', async () => {
      const encoders = { gzip: gzipSync, br: brotliCompressSync, deflate: deflateSync };
      for (const [coding, encode] of Object.entries(encoders)) {
        // fetch sends the bytes as they are (superagent would serialise a Buffer as JSON).
        const res = await fetch(`${api.base}/countries`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Content-Encoding': coding },
          body: encode(Buffer.from(JSON.stringify({ name: `Packed ${coding}` }))),
        });
        expect(res.status, coding).to.equal(201);
        expect((await res.json()).name).to.equal(`Packed ${coding}`);
      }
    });

    it('an unknown coding is 415 with Accept-Encoding listing the supported ones', async () => {
      for (const coding of ['x-unknown', 'compress', 'gzip, br']) {
        const res = await unchanged(() =>
          api.http.post('/countries').set('Content-Type', 'application/json').set('Content-Encoding', coding).send(body),
        );
        expectProblem(res, 415, 'unsupported-content-encoding');
        expect(res.headers['accept-encoding']).to.equal('gzip, deflate, br, identity');
        expect(res.body.accepted).to.deep.equal(['gzip', 'deflate', 'br', 'identity']);
      }
    });

    it('the path is checked before the body is read: no such item is 404 whatever the body', async () => {
      for (const path of ['/countries/-1', '/countries/abc', '/events/0/guests/1']) {
        const res = await api.http.put(path).set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send(body);
        expectProblem(res, 404);
      }
      const post = await api.http.post('/events/x/guests').set('Content-Type', 'application/json').set('Content-Encoding', 'x-unknown').send(body);
      expectProblem(post, 404);
    });
  });

  describe('lookups keyed by request input (§4)', () => {
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      it(`"${key}" names nothing: problem types, contexts and assets answer 404`, async () => {
        for (const path of [`/problems/${key}`, `/contexts/${key}`, `/assets/${key}`]) {
          const res = await api.http.get(path);
          expectProblem(res, 404);
        }
      });
    }

    it('"constructor" and "__proto__" are unknown query parameters, and no fields', async () => {
      for (const name of ['constructor', '__proto__', 'toString']) {
        const res = await api.http.get(`/countries?${name}=1`);
        expectProblem(res, 400, 'invalid-query-parameter');
        expect(res.body.parameter).to.equal(name);
      }
      const res = await unchanged(() => api.http.post('/countries').set('Content-Type', 'application/json').send({ name: 'x', constructor: 'y' }));
      expectProblem(res, 422, 'validation-failed');
      expect(res.body.violations).to.deep.include({ pointer: '/constructor', message: 'is not a field of Country' });
    });
  });

  describe('prototype pollution and bounds (issue 14 §4)', () => {
    afterEach(() => {
      expect(Object.prototype).to.not.have.property('polluted');
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    });

    it('"__proto__", "constructor" and "prototype" keys in a body are refused as fields, at any depth, and pollute nothing', async () => {
      // __proto__ is refused by the body reader (400); constructor and prototype are no fields (422).
      const bodies: [string, number, string][] = [
        ['{"name": "x", "__proto__": {"polluted": true}}', 400, 'malformed-body'],
        ['{"name": "x", "area": {"__proto__": {"polluted": true}}}', 400, 'malformed-body'],
        ['{"name": "x", "constructor": {"prototype": {"polluted": true}}}', 422, 'validation-failed'],
        ['{"name": "x", "prototype": {"polluted": true}}', 422, 'validation-failed'],
      ];
      for (const [body, status, type] of bodies) {
        for (const [method, path, mediaType] of [['post', '/countries', 'application/json'], ['patch', countryPath, 'application/merge-patch+json'], ['put', countryPath, 'application/ld+json']] as const) {
          const res = await unchanged(() => api.http[method](path).set('Content-Type', mediaType).send(body));
          expectProblem(res, status, type);
        }
      }
    });

    it('pollution keys in the query string and in level-0 actions are refused, and pollute nothing', async () => {
      for (const query of ['__proto__[polluted]=1', 'constructor[prototype][polluted]=1', '__proto__.polluted=1', 'prototype=1']) {
        expectProblem(await api.http.get(`/countries?${query}`), 400, 'invalid-query-parameter');
      }
      for (const action of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
        const res = await unchanged(() => api.http.post('/levels/0').send({ action, data: { __proto__: { polluted: true } } }));
        expect(res.status).to.equal(200);
        expect(res.body.ok).to.equal(false);
      }
      const res = await unchanged(() => api.http.post('/levels/0').set('Content-Type', 'application/json').send('{"action": "createCountry", "data": {"name": "x", "__proto__": {"polluted": true}}}'));
      expect(res.body.ok).to.equal(false);
    });

    it('the page size is capped, and paths and query values are validated', async () => {
      const page = await api.http.get('/countries?pageSize=100000').expect(200);
      // Named, and linked, with the size it has: the cap.
      expect(page.body.view['@id']).to.match(/pageSize=100$/);
      expect(page.body.member.length).to.be.at.most(100);
      for (const bad of ['pageSize=0', 'pageSize=-1', 'pageSize=1e3', 'page=0', 'page=abc', 'page=9007199254740993', 'sort=nosuchfield', 'area_gte=many']) {
        expectProblem(await api.http.get(`/countries?${bad}`), 400, 'invalid-query-parameter');
      }
      for (const path of ['/countries/0', '/countries/-1', '/countries/1.5', '/countries/1e3', '/countries/0x10', '/countries/%00', '/countries/9007199254740993', '/events/abc/guests', '/countries/1/../1']) {
        expectProblem(await api.http.get(path), 404);
      }
    });
  });

  describe('no runtime error text in responses (§5)', () => {
    it('malformed JSON, a remote @context and undecodable bodies are described in our words', async () => {
      const responses = [
        await api.http.post('/countries').set('Content-Type', 'application/json').send('{"name": "Oops",'),
        await api.http.post('/countries').set('Content-Type', 'application/json').send('{"name": x}'),
        await api.http.post('/countries').set('Content-Type', 'application/ld+json').send({ '@context': 'http://example.org/c.jsonld', name: 'x' }),
        await api.http.post('/countries').set('Content-Type', 'application/ld+json').send({ '@context': { '@version': 2 }, name: 'x' }),
      ];
      expect(responses.map((r) => r.status)).to.deep.equal([400, 400, 400, 400]);
      for (const res of responses) expectProblem(res, res.status);
      expect(responses[0].body.detail).to.equal('The request body is not well-formed JSON: it ends before the JSON value is complete.');
      expect(responses[1].body.detail).to.equal('The request body is not well-formed JSON: unexpected character "x".');
      expect(responses[2].body.detail).to.match(/remote @context/);
    });

    it('a store failing with SQLite text, a file path and a stack: 500 says none of it, the log has it with the request id', async () => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      });
      const real = new SqliteStore({ path: ':memory:' });
      const failure = Object.assign(new Error('SQLITE_CORRUPT: database disk image is malformed at /var/lib/rung/secret.db'), {
        code: 'SQLITE_CORRUPT',
        stack: 'Error: SQLITE_CORRUPT\n    at Statement.get (/work/main/node_modules/better-sqlite3/lib/x.js:1:2)',
      });
      const broken: Store = Object.assign(Object.create(real), {
        get: async () => {
          throw failure;
        },
      });
      const rung = await createExampleApi({ store: broken, seed: false, logger: pino({ level: 'info' }, sink) });
      try {
        const res = await supertest(rung.app.callback()).get('/countries/1');
        expectProblem(res, 500);
        expect(res.text).to.not.match(/CORRUPT|malformed|secret|var\/lib/);
        const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request failed');
        expect(logged.requestId).to.equal(res.body.requestId);
        expect(logged.err.message).to.include('secret.db');
      } finally {
        await real.close();
      }
    });
  });
});
