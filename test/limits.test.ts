/**
 * Issue 14 §3–4: per-client rate limits with the IETF RateLimit headers,
 * security headers, CORS, and the configuration that sets them (options,
 * API file, command line).
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import supertest from 'supertest';
import { parseRateLimit } from '../src/cli/security-flags.js';
import { formatPolicy, formatServiceLimit, rateLimitHeaders } from '../src/http/rate-limit.js';
import { ApiFileError, createRung, loadApiFile } from '../src/index.js';
import { exampleResources } from '../src/example/index.js';
import { snapshot, startTestApi, type TestApi } from './helpers.js';

/** `"default";r=4;t=60` → { name, r, t } (an sf-list of one item). */
function parseItem(field: string): Record<string, string | number> {
  const [name, ...params] = field.split(';');
  const out: Record<string, string | number> = { name: JSON.parse(name) };
  for (const p of params) {
    const [k, v] = p.split('=');
    out[k] = Number(v);
  }
  return out;
}

describe('rate limits', () => {
  it('formats the draft\'s fields (draft-ietf-httpapi-ratelimit-headers-11 §3, §4)', () => {
    const policy = { name: 'default', quota: 100, window: 60 };
    expect(formatPolicy(policy)).to.equal('"default";q=100;w=60');
    expect(formatServiceLimit(policy, 42, 16.2)).to.equal('"default";r=42;t=17');
    expect(formatServiceLimit(policy, -3, -1)).to.equal('"default";r=0;t=0');
    expect(rateLimitHeaders(policy, 1, 500)).to.deep.equal({ 'RateLimit-Policy': '"default";q=100;w=60', RateLimit: '"default";r=1;t=1' });
    expect(parseRateLimit('100/60')).to.deep.equal({ requests: 100, window: 60 });
    expect(parseRateLimit(' 5 / 1s ')).to.deep.equal({ requests: 5, window: 1 });
    expect(parseRateLimit('off')).to.equal(false);
    for (const bad of ['', '100', '0/60', '10/0', 'x/y', '1e3/60']) expect(() => parseRateLimit(bad), bad).to.throw(/--rate-limit/);
  });

  describe('per client', () => {
    let api: TestApi;
    beforeEach(async () => {
      api = await startTestApi({ seed: false, rateLimit: { requests: 3, window: 60 } });
    });
    afterEach(() => api.close());

    it('counts down in RateLimit, then answers 429 with Retry-After, problem+json, and does nothing', async () => {
      const remaining: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await api.http.get('/countries').expect(200);
        expect(res.headers['ratelimit-policy']).to.equal('"default";q=3;w=60');
        const item = parseItem(res.headers.ratelimit);
        expect(item.name).to.equal('default');
        expect(item.t).to.be.within(1, 60);
        remaining.push(item.r as number);
      }
      expect(remaining).to.deep.equal([2, 1, 0]);
      const before = snapshot(api);
      const res = await api.http.post('/countries').set('Content-Type', 'application/json').send({ name: 'Too many' });
      expect(res.status).to.equal(429);
      expect(res.headers['content-type']).to.equal('application/problem+json');
      expect(res.body.type).to.match(/\/problems\/too-many-requests$/);
      expect(res.body['violated-policies']).to.deep.equal(['default']);
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).to.be.within(1, 60);
      expect(parseItem(res.headers.ratelimit)).to.deep.include({ r: 0 });
      // Retry-After is not earlier than the end of the effective window (draft §6).
      expect(retryAfter).to.be.at.least(parseItem(res.headers.ratelimit).t as number);
      expect(snapshot(api)).to.deep.equal(before);
      await api.http.get('/problems/too-many-requests').expect(429);
    });

    it('a token is its own partition: another client (by token) still has its quota', async () => {
      const token = (await api.rung.tokens.create({ scopes: ['read'] })).token;
      for (let i = 0; i < 3; i++) await api.http.get('/').expect(200);
      await api.http.get('/').expect(429);
      const res = await api.http.get('/').set('Authorization', `Bearer ${token}`).expect(200);
      expect(parseItem(res.headers.ratelimit).r).to.equal(2);
    });

    it('guessing tokens counts against the address: unknown tokens are rate limited too', async () => {
      for (let i = 0; i < 3; i++) await api.http.get('/').set('Authorization', `Bearer rung_guess${i}`).expect(401);
      await api.http.get('/').set('Authorization', 'Bearer rung_guess4').expect(429);
    });
  });

  it('can be switched off (benchmarks), and a limiter of one\'s own sets the policy (a shared store)', async () => {
    const off = await startTestApi({ seed: false, rateLimit: false });
    try {
      for (let i = 0; i < 5; i++) {
        const res = await off.http.get('/').expect(200);
        expect(res.headers).to.not.have.property('ratelimit');
        expect(res.headers).to.not.have.property('ratelimit-policy');
      }
    } finally {
      await off.close();
    }
    const limiter = new RateLimiterMemory({ points: 2, duration: 10 });
    const own = await startTestApi({ seed: false, rateLimit: { limiter } });
    try {
      const res = await own.http.get('/').expect(200);
      expect(res.headers['ratelimit-policy']).to.equal('"default";q=2;w=10');
      await own.http.get('/').expect(200);
      await own.http.get('/').expect(429);
    } finally {
      await own.close();
    }
  });

  it('defaults to 1000 requests per 60 s', async () => {
    const api = await startTestApi({ seed: false });
    try {
      const res = await api.http.get('/').expect(200);
      expect(res.headers['ratelimit-policy']).to.equal('"default";q=1000;w=60');
    } finally {
      await api.close();
    }
  });
});

describe('security headers', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({ seed: false });
  });
  after(() => api.close());

  it('X-Content-Type-Options: nosniff on every response: representations, errors, 304, 204, assets, levels', async () => {
    const first = await api.http.get('/').expect(200);
    const responses = [
      first,
      await api.http.get('/').set('If-None-Match', first.headers.etag).expect(304),
      await api.http.get('/nowhere').expect(404),
      await api.http.post('/countries').set('Content-Type', 'text/plain').send('x').expect(415),
      await api.http.options('/countries').expect(204),
      await api.http.get('/assets/rung.js').expect(200),
      await api.http.get('/levels').set('Accept', 'text/html').expect(200),
      await api.http.post('/levels/0').send({ action: 'nothing' }).expect(200),
      await api.http.get('/openapi.json').expect(200),
      await api.http.get('/countries').set('Accept', 'text/turtle').expect(200),
    ];
    for (const res of responses) expect(res.headers['x-content-type-options'], `${res.status} ${res.headers['content-type']}`).to.equal('nosniff');
  });

  it('a Content-Security-Policy on HTML pages (no inline code, no framing), none on data', async () => {
    for (const path of ['/', '/countries', '/docs', '/levels']) {
      const res = await api.http.get(path).set('Accept', 'text/html').expect(200);
      const csp = res.headers['content-security-policy'];
      expect(csp, path).to.include("script-src 'self'");
      expect(csp).to.include("style-src 'self'");
      expect(csp).to.include("frame-ancestors 'none'");
      expect(csp).to.not.include('unsafe-inline');
      expect(res.text).to.not.match(/<script>|<style>|\son[a-z]+="/);
    }
    const json = await api.http.get('/countries').expect(200);
    expect(json.headers).to.not.have.property('content-security-policy');
  });
});

describe('CORS', () => {
  it('is off unless configured: no Access-Control headers, a preflight is a plain OPTIONS', async () => {
    const api = await startTestApi({ seed: false });
    try {
      const res = await api.http.get('/').set('Origin', 'https://admin.example.org').expect(200);
      expect(res.headers).to.not.have.property('access-control-allow-origin');
      const preflight = await api.http.options('/countries').set('Origin', 'https://admin.example.org').set('Access-Control-Request-Method', 'POST');
      expect(preflight.headers).to.not.have.property('access-control-allow-origin');
    } finally {
      await api.close();
    }
  });

  it('lets the configured origins in, exposes the headers hypermedia clients follow, and answers preflights', async () => {
    const origin = 'https://admin.example.org';
    const api = await startTestApi({ seed: false, cors: { origin: [origin] }, auth: { anonymous: 'read' } });
    try {
      const res = await api.http.get('/').set('Origin', origin).expect(200);
      expect(res.headers['access-control-allow-origin']).to.equal(origin);
      const exposed = res.headers['access-control-expose-headers'].split(',').map((h: string) => h.trim().toLowerCase());
      for (const name of ['etag', 'link', 'location', 'content-location', 'ratelimit', 'ratelimit-policy', 'retry-after', 'www-authenticate']) {
        expect(exposed, name).to.include(name);
      }
      expect(res.headers.vary).to.equal('Origin, Accept, Authorization');
      const preflight = await api.http
        .options('/countries')
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization, content-type, if-match')
        .expect(204);
      expect(preflight.headers['access-control-allow-origin']).to.equal(origin);
      expect(preflight.headers['access-control-allow-methods']).to.include('PATCH');
      expect(preflight.headers['access-control-allow-headers'].toLowerCase()).to.include('authorization');
      expect(preflight.headers['access-control-allow-headers'].toLowerCase()).to.include('if-match');
      // Errors are readable cross-origin too (a 401 with its challenge).
      const refused = await api.http.post('/countries').set('Origin', origin).send({ name: 'x' }).expect(401);
      expect(refused.headers['access-control-allow-origin']).to.equal(origin);
      // Another origin is not let in.
      const other = await api.http.get('/').set('Origin', 'https://evil.example').expect(200);
      expect(other.headers).to.not.have.property('access-control-allow-origin');
    } finally {
      await api.close();
    }
  });

  it('origin * lets any origin in', async () => {
    const api = await startTestApi({ seed: false, cors: { origin: '*' } });
    try {
      const res = await api.http.get('/countries').set('Origin', 'https://anywhere.example').expect(200);
      expect(res.headers['access-control-allow-origin']).to.equal('*');
    } finally {
      await api.close();
    }
  });
});

describe('configuration: one set of settings in code, API files and the command line', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rung-security-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (text: string) => {
    const file = join(dir, 'api.yaml');
    writeFileSync(file, text);
    return file;
  };

  it('an API file gives auth, rateLimit and cors', async () => {
    const file = write(`auth:\n  anonymous: none\n  realm: Books\nrateLimit:\n  requests: 2\n  window: 30\ncors:\n  origin: [https://admin.example.org]\nresources:\n  Book:\n    segment: books\n    fields: { title: string }\n`);
    const loaded = loadApiFile(file);
    expect(loaded.options.auth).to.deep.equal({ anonymous: 'none', realm: 'Books' });
    expect(loaded.options.rateLimit).to.deep.equal({ requests: 2, window: 30 });
    expect(loaded.options.cors).to.deep.equal({ origin: ['https://admin.example.org'] });
    const off = loadApiFile(write('rateLimit: false\nresources:\n  Book:\n    segment: books\n'));
    expect(off.options.rateLimit).to.equal(false);
  });

  it('wrong settings are refused at their line', () => {
    const cases: [string, RegExp][] = [
      ['auth:\n  anonymous: everyone\n', /auth\.anonymous.*(none|read|write)/],
      ['rateLimit: true\n', /rateLimit/],
      ['rateLimit:\n  requests: 0\n', /rateLimit\.requests/],
      ['cors:\n  origin: admin.example.org\n', /cors\.origin/],
      ['auth:\n  tokens: x\n', /tokens/],
    ];
    for (const [text, message] of cases) {
      const file = write(`${text}resources:\n  Book:\n    segment: books\n`);
      try {
        loadApiFile(file);
        expect.fail(`accepted: ${text}`);
      } catch (err) {
        expect(err, text).to.be.instanceOf(ApiFileError);
        expect((err as Error).message, text).to.match(message);
        expect((err as Error).message, text).to.match(/:1:|:2:/);
      }
    }
  });

  it('createRung defaults to anonymous read with the title as realm', async () => {
    const rung = await createRung({ resources: exampleResources, db: ':memory:', contextsDir: 'contexts', title: 'Realm Test' });
    try {
      const res = await supertest(rung.app.callback()).post('/countries').send({ name: 'x' }).expect(401);
      expect(res.headers['www-authenticate']).to.equal('Bearer realm="Realm Test"');
    } finally {
      await rung.close();
    }
  });
});
