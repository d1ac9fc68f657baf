/**
 * Issue 14 §1–2: bearer tokens stored as hashes, anonymous access, 401 and
 * 403 with RFC 6750 challenges, tokens kept out of logs, and
 * representations that advertise only what the caller may do — with caches
 * that never serve one caller's variant to another.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import pino from 'pino';
import type { Response } from 'supertest';
import {
  anonymousScopes,
  bearerChallenge,
  decideAccess,
  effectiveScopes,
  readCredentials,
  scopeFor,
} from '../src/http/auth.js';
import { privateCacheControl } from '../src/http/cache-control.js';
import { parseScopes } from '../src/store/tokens.js';
import { createCountry, snapshot, startTestApi, type TestApi } from './helpers.js';

function expectProblem(res: Response, status: number, type: string) {
  expect(res.status, res.text).to.equal(status);
  expect(res.headers['content-type']).to.equal('application/problem+json');
  expect(res.body.type).to.match(new RegExp(`/problems/${type}$`));
}

const WRITE_METHODS = ['PATCH', 'PUT', 'DELETE', 'POST'];
/** Methods of every operation the API documentation offers. */
function documentedMethods(docs: Record<string, unknown>): string[] {
  const methods = new Set<string>();
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      if (typeof o.method === 'string') methods.add(o.method);
      Object.values(o).forEach(walk);
    }
  };
  walk(docs);
  return [...methods].sort();
}

describe('authentication: the rules as tables', () => {
  it('reads Authorization (RFC 6750 §2.1)', () => {
    const cases: [string | undefined, ReturnType<typeof readCredentials>][] = [
      [undefined, { kind: 'none' }],
      ['', { kind: 'none' }],
      ['Bearer abc.DEF-_~+/==', { kind: 'bearer', token: 'abc.DEF-_~+/==' }],
      ['bearer abc', { kind: 'bearer', token: 'abc' }],
      ['Basic dXNlcjpwYXNz', { kind: 'none' }],
      ['Bearer', { kind: 'malformed' }],
      ['Bearer a b', { kind: 'malformed' }],
      ['Bearer "abc"', { kind: 'malformed' }],
    ];
    for (const [field, expected] of cases) expect(readCredentials(field), String(field)).to.deep.equal(expected);
  });

  it('decides: safe methods read, others write; no token → 401, a token without the scope → 403', () => {
    expect(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'].map(scopeFor)).to.deep.equal(['read', 'read', 'read', 'write', 'write', 'write', 'write']);
    expect(decideAccess(['read'], 'read', false)).to.equal('allow');
    expect(decideAccess(['read'], 'write', false)).to.equal(401);
    expect(decideAccess(['read'], 'write', true)).to.equal(403);
    expect(decideAccess([], 'read', false)).to.equal(401);
    expect(effectiveScopes(['read'], ['write'])).to.deep.equal(['read', 'write']);
    expect(effectiveScopes([], ['write'])).to.deep.equal(['read', 'write']);
    expect(anonymousScopes('none')).to.deep.equal([]);
    expect(anonymousScopes('read')).to.deep.equal(['read']);
    expect(anonymousScopes('write')).to.deep.equal(['read', 'write']);
    expect(parseScopes('write')).to.deep.equal(['read', 'write']);
    expect(parseScopes(' read , read')).to.deep.equal(['read']);
    expect(() => parseScopes('admin')).to.throw(/unknown scope "admin"/);
    expect(() => parseScopes('')).to.throw(/at least one scope/);
  });

  it('writes challenges with quoted, escaped parameters (RFC 6750 §3)', () => {
    expect(bearerChallenge('My "API"')).to.equal('Bearer realm="My \\"API\\""');
    expect(bearerChallenge('r', { code: 'insufficient_scope', scope: 'write' })).to.equal('Bearer realm="r", error="insufficient_scope", scope="write"');
    expect(privateCacheControl('no-cache')).to.equal('private, no-cache');
    expect(privateCacheControl('public, max-age=3600, s-maxage=60')).to.equal('private, max-age=3600');
  });
});

describe('authentication', () => {
  let api: TestApi;
  let readToken: string;
  let writeToken: string;
  let countryPath: string;
  const lines: string[] = [];
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeEach(async () => {
    lines.length = 0;
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    api = await startTestApi({ seed: false, auth: { anonymous: 'read', realm: 'Test API' }, logger: pino({ level: 'trace' }, sink) });
    readToken = (await api.rung.tokens.create({ scopes: ['read'], name: 'reader' })).token;
    writeToken = (await api.rung.tokens.create({ scopes: ['read', 'write'], name: 'writer' })).token;
    const res = await api.http.post('/countries').set(bearer(writeToken)).send({ name: 'Wakanda', capital: 'Birnin Zana', area: 1000 }).expect(201);
    countryPath = new URL(res.headers.location).pathname;
  });
  afterEach(() => api.close());

  it('stores only a SHA-256 hash of each token, never the token', async () => {
    expect(readToken).to.match(/^rung_[A-Za-z0-9_-]{43}$/);
    const db = new Database(api.dbPath, { readonly: true });
    try {
      const rows = db.prepare('SELECT * FROM rung_tokens ORDER BY id').all() as Record<string, unknown>[];
      expect(rows).to.have.length(2);
      const everything = JSON.stringify(rows);
      expect(everything).to.not.include(readToken.slice(5));
      expect(everything).to.not.include(writeToken.slice(5));
      expect(rows[0].hash).to.equal(createHash('sha256').update(readToken).digest('hex'));
      expect(rows.map((r) => [r.name, r.scopes])).to.deep.equal([
        ['reader', 'read'],
        ['writer', 'read,write'],
      ]);
    } finally {
      db.close();
    }
    expect((await api.rung.tokens.list()).map((t) => t.name)).to.deep.equal(['reader', 'writer']);
  });

  it('anonymous callers read, but a write without a token is 401 with a Bearer challenge, and changes nothing', async () => {
    await api.http.get(countryPath).expect(200);
    await api.http.get('/countries').expect(200);
    await api.http.get('/').expect(200);
    for (const method of WRITE_METHODS) {
      const before = snapshot(api);
      const path = method === 'POST' ? '/countries' : countryPath;
      const res = await api.http[method.toLowerCase() as 'post'](path).set('Content-Type', 'application/json').send({ name: 'Changed' });
      expectProblem(res, 401, 'unauthorized');
      expect(res.headers['www-authenticate'], method).to.equal('Bearer realm="Test API"');
      expect(res.body.scope).to.equal('write');
      expect(snapshot(api)).to.deep.equal(before);
    }
  });

  it('an unknown or revoked token is 401 invalid_token, even where anonymous callers may read', async () => {
    for (const token of ['rung_nope', `${writeToken}x`]) {
      const res = await api.http.get(countryPath).set(bearer(token));
      expectProblem(res, 401, 'unauthorized');
      expect(res.headers['www-authenticate']).to.match(/^Bearer realm="Test API", error="invalid_token"/);
    }
    const [, writer] = await api.rung.tokens.list();
    expect(await api.rung.tokens.revoke(writer.id)).to.equal(true);
    expect(await api.rung.tokens.revoke(writer.id)).to.equal(false);
    const res = await api.http.patch(countryPath).set(bearer(writeToken)).set('Content-Type', 'application/merge-patch+json').send({ area: 1 });
    expectProblem(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).to.include('error="invalid_token"');
    expect((await api.rung.tokens.list())[1].revokedAt).to.be.instanceOf(Date);
  });

  it('a malformed Authorization is 400 invalid_request', async () => {
    const res = await api.http.get(countryPath).set('Authorization', 'Bearer two words');
    expectProblem(res, 400, 'invalid-authorization');
    expect(res.headers['www-authenticate']).to.include('error="invalid_request"');
  });

  it('a valid token without the scope is 403 insufficient_scope naming it; with it, the write happens', async () => {
    const before = snapshot(api);
    const res = await api.http.delete(countryPath).set(bearer(readToken));
    expectProblem(res, 403, 'insufficient-scope');
    expect(res.headers['www-authenticate']).to.equal('Bearer realm="Test API", error="insufficient_scope", error_description="The \\"write\\" scope is needed", scope="write"');
    expect(res.body.scope).to.equal('write');
    expect(snapshot(api)).to.deep.equal(before);
    await api.http.get(countryPath).set(bearer(readToken)).expect(200);
    await api.http.delete(countryPath).set(bearer(writeToken)).expect(204);
    await api.http.get(countryPath).expect(404);
  });

  it('anonymous: none refuses reads too, but contexts, problem types and assets stay public', async () => {
    const closed = await startTestApi({ seed: false, auth: { anonymous: 'none' } });
    try {
      const token = (await closed.rung.tokens.create({ scopes: ['read'] })).token;
      for (const path of ['/', '/countries', '/docs', '/openapi.json', '/levels', '/countries/1']) {
        const res = await closed.http.get(path);
        expectProblem(res, 401, 'unauthorized');
        expect(res.headers['www-authenticate']).to.equal('Bearer realm="Rung example API"');
      }
      await closed.http.get('/').set(bearer(token)).expect(200);
      await closed.http.get('/countries').set(bearer(token)).expect(200);
      await closed.http.get('/contexts/country.jsonld').expect(200);
      await closed.http.get('/problems/unauthorized').expect(200);
      await closed.http.get('/assets/rung.css').expect(200);
    } finally {
      await closed.close();
    }
  });

  it('the OpenAPI description says which operations need a bearer token', async () => {
    const doc = (await api.http.get('/openapi.json').expect(200)).body;
    expect(doc.components.securitySchemes.bearerToken).to.include({ type: 'http', scheme: 'bearer' });
    expect(doc.security).to.deep.equal([{}, { bearerToken: [] }]);
    expect(doc.paths['/countries'].post.security).to.deep.equal([{ bearerToken: [] }]);
    expect(doc.paths['/countries/{id}'].delete.security).to.deep.equal([{ bearerToken: [] }]);
    expect(doc.paths['/countries'].get.security).to.equal(undefined);
  });

  it('the levels check the scope of each action: level 0/1 refuse inside their 200, level 2 with 401/403', async () => {
    const before = snapshot(api);
    const zero = await api.http.post('/levels/0').send({ action: 'createCountry', data: { name: 'Atlantis' } }).expect(200);
    expect(zero.body).to.deep.include({ ok: false });
    expect(zero.body.error.code).to.equal('unauthorized');
    const one = await api.http.post(`/levels/1${countryPath}`).set(bearer(readToken)).send({ action: 'delete' }).expect(200);
    expect(one.body.error.code).to.equal('insufficient-scope');
    const two = await api.http.post('/levels/2/countries').send({ name: 'Atlantis' });
    expectProblem(two, 401, 'unauthorized');
    expect(two.headers['www-authenticate']).to.equal('Bearer realm="Test API"');
    expect(snapshot(api)).to.deep.equal(before);
    // Reading is anonymous at every level; writing with the token works.
    const read = await api.http.post('/levels/0').send({ action: 'listCountries' }).expect(200);
    expect(read.body.ok).to.equal(true);
    const created = await api.http.post('/levels/0').set(bearer(writeToken)).send({ action: 'createCountry', data: { name: 'Atlantis' } }).expect(200);
    expect(created.body.ok, created.text).to.equal(true);
  });

  it('tokens never appear in the log, whatever the request', async () => {
    await api.http.get(countryPath).set(bearer(writeToken));
    await api.http.get(`/countries?access_token=${readToken}`).set(bearer(readToken));
    await api.http.get(countryPath).set(bearer(`${writeToken}zz`));
    await api.http.post('/countries').set(bearer(readToken)).send({ name: 'x' });
    await api.http.post('/countries').set('Authorization', `Bearer ${writeToken} x`).send({ name: 'x' });
    const log = lines.join('');
    expect(lines.length).to.be.greaterThan(5);
    for (const token of [readToken, writeToken]) {
      expect(log).to.not.include(token);
      expect(log).to.not.include(token.slice(5, 25));
    }
  });
});

describe('least privilege in the hypermedia', () => {
  let api: TestApi;
  let writeToken: string;
  let readToken: string;
  let countryPath: string;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeEach(async () => {
    api = await startTestApi({ seed: false, auth: { anonymous: 'read' } });
    writeToken = (await api.rung.tokens.create({ scopes: ['write'] })).token;
    readToken = (await api.rung.tokens.create({ scopes: ['read'] })).token;
    const res = await api.http.post('/countries').set(bearer(writeToken)).send({ name: 'Wakanda', capital: 'Birnin Zana', area: 1000 }).expect(201);
    countryPath = new URL(res.headers.location).pathname;
  });
  afterEach(() => api.close());

  it('the API documentation lists write operations only to callers who may write', async () => {
    const anonymous = (await api.http.get('/docs').expect(200)).body;
    expect(documentedMethods(anonymous)).to.deep.equal(['GET']);
    expect(JSON.stringify(anonymous)).to.not.include('DeletableCountry');
    const reader = (await api.http.get('/docs').set(bearer(readToken)).expect(200)).body;
    expect(documentedMethods(reader)).to.deep.equal(['GET']);
    const writer = (await api.http.get('/docs').set(bearer(writeToken)).expect(200)).body;
    expect(documentedMethods(writer)).to.deep.equal(['DELETE', 'GET', 'PATCH', 'POST', 'PUT']);
    expect(JSON.stringify(writer)).to.include('DeletableCountry');
  });

  it('an item offers its inline DELETE (and the Deletable type) only to a caller who may write', async () => {
    const anonymous = (await api.http.get(countryPath).expect(200)).body;
    expect(anonymous['@type']).to.equal('Country');
    expect(anonymous.operation).to.equal(undefined);
    const writer = (await api.http.get(countryPath).set(bearer(writeToken)).expect(200)).body;
    expect(writer['@type']).to.deep.equal(['Country', 'DeletableCountry']);
    expect(writer.operation[0].method).to.equal('DELETE');
  });

  it('HAL-FORMS templates and HTML forms appear only for a caller who may write', async () => {
    const halForms = 'application/prs.hal-forms+json';
    const anonymous = JSON.parse((await api.http.get(countryPath).set('Accept', halForms).expect(200)).text);
    expect(anonymous._templates).to.equal(undefined);
    const writer = JSON.parse((await api.http.get(countryPath).set('Accept', halForms).set(bearer(writeToken)).expect(200)).text);
    expect(Object.values(writer._templates).map((t) => (t as { method: string }).method).sort()).to.deep.equal(['DELETE', 'PATCH', 'PUT']);

    const forms = (res: Response) => [...res.text.matchAll(/data-method="([A-Z]+)"/g)].map((m) => m[1]).sort();
    expect(forms(await api.http.get(countryPath).set('Accept', 'text/html').expect(200))).to.deep.equal([]);
    expect(forms(await api.http.get('/countries').set('Accept', 'text/html').expect(200))).to.deep.equal([]);
    expect(forms(await api.http.get(countryPath).set('Accept', 'text/html').set(bearer(readToken)).expect(200))).to.deep.equal([]);
    expect(forms(await api.http.get(countryPath).set('Accept', 'text/html').set(bearer(writeToken)).expect(200))).to.deep.equal(['DELETE', 'PATCH', 'PUT']);
    expect(forms(await api.http.get('/countries').set('Accept', 'text/html').set(bearer(writeToken)).expect(200))).to.deep.equal(['POST']);
  });

  it('caller-dependent responses carry Vary: Authorization, Cache-Control: private and their own ETags', async () => {
    for (const path of [countryPath, '/countries', '/', '/docs']) {
      const anonymous = await api.http.get(path).expect(200);
      const writer = await api.http.get(path).set(bearer(writeToken)).expect(200);
      for (const res of [anonymous, writer]) {
        expect(res.headers.vary, path).to.equal('Accept, Authorization');
        expect(res.headers['cache-control'], path).to.match(/^private\b/);
        expect(res.headers['cache-control'], path).to.not.include('public');
      }
      expect(anonymous.headers.etag, path).to.not.equal(writer.headers.etag);
      // A validator of one caller's variant does not validate another's.
      await api.http.get(path).set('If-None-Match', anonymous.headers.etag).set(bearer(writeToken)).expect(200);
      await api.http.get(path).set('If-None-Match', writer.headers.etag).set(bearer(writeToken)).expect(304);
    }
    // Documents that do not depend on the caller stay shareable.
    const context = await api.http.get('/contexts/country.jsonld').expect(200);
    expect(context.headers.vary ?? '').to.not.include('Authorization');
    expect(context.headers['cache-control']).to.match(/^public/);
  });

  it('the caches never serve one caller\'s variant to another, in either order', async () => {
    const types = async (headers: Record<string, string>) => (await api.http.get(countryPath).set(headers).expect(200)).body['@type'];
    // The writer's variant first (cached), then the anonymous one, then both again.
    expect(await types(bearer(writeToken))).to.deep.equal(['Country', 'DeletableCountry']);
    expect(await types({})).to.equal('Country');
    expect(await types(bearer(readToken))).to.equal('Country');
    expect(await types(bearer(writeToken))).to.deep.equal(['Country', 'DeletableCountry']);
    expect(await types({})).to.equal('Country');
    for (const accept of ['text/html', 'application/prs.hal-forms+json', 'application/ld+json']) {
      const w1 = await api.http.get('/docs').set('Accept', accept).set(bearer(writeToken));
      const a1 = await api.http.get('/docs').set('Accept', accept);
      expect(w1.text, accept).to.not.equal(a1.text);
      expect(a1.text, accept).to.not.match(/"PATCH"|data-method="PATCH"/);
    }
  });
});

describe('an open API (anonymous write, the example API\'s default)', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApi({ seed: false });
  });
  afterEach(() => api.close());

  it('needs no token, does not vary on Authorization, and a read-only token takes nothing away', async () => {
    const { path } = await createCountry(api);
    const res = await api.http.get(path).expect(200);
    expect(res.headers.vary).to.equal('Accept');
    expect(res.headers['cache-control']).to.equal('no-cache');
    expect(res.body['@type']).to.deep.equal(['Country', 'DeletableCountry']);
    const token = (await api.rung.tokens.create({ scopes: ['read'] })).token;
    await api.http.patch(path).set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/merge-patch+json').send({ area: 5 }).expect(200);
    // …but an unknown token is still refused: a client should learn its token is wrong.
    await api.http.get(path).set('Authorization', 'Bearer rung_unknown').expect(401);
  });
});
