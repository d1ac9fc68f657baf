/**
 * `rung crawl`: from `/` a hypermedia client reaches every resource type of
 * Rung and every operation its API documentation (and its items) offer, by
 * links alone; it follows HAL too, sends only GET, stays on the start's
 * origin and within its limits.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import jsonld from 'jsonld';
import { crawl, crawlTree } from '../src/index.js';
import { hal, type FixtureApi } from './fixtures/apis.js';
import { CLI, startLiveApi, type LiveApi } from './helpers.js';

const run = promisify(execFile);
const HYDRA = 'http://www.w3.org/ns/hydra/core#';

describe('rung crawl', function () {
  this.timeout(60_000);
  let api: LiveApi;
  let freeCountry: string;

  before(async () => {
    api = await startLiveApi({ seed: false, shutdownGraceMs: 500 });
    const post = async (path: string, body: Record<string, unknown>) => {
      const res = await fetch(`${api.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).to.equal(201);
      return res.headers.get('location')!;
    };
    const country = await post('/countries', { name: 'Wakanda', capital: 'Birnin Zana', area: 1000 });
    freeCountry = await post('/countries', { name: 'Genovia' });
    const event = await post('/events', { name: 'RestConf', startDate: '2027-05-01T09:00:00Z', location: country });
    await post(`${new URL(event).pathname}/guests`, { name: 'Ada Lovelace', email: 'ada@example.org' });
  });
  after(() => api.stop());

  it('reaches every resource type and every operation of Rung from the entry point', async () => {
    const result = await crawl(`${api.url}/`);
    // What the API documentation says exists: each class and its operations.
    const docs = (await jsonld.expand(await (await fetch(`${api.url}/docs`)).json(), {
      documentLoader: (async (url: string) => ({ contextUrl: undefined, documentUrl: url, document: await (await fetch(url)).json() })) as never,
    })) as Record<string, unknown>[];
    const classes = (docs[0][`${HYDRA}supportedClass`] as Record<string, unknown>[]).map((c) => ({
      iri: c['@id'] as string,
      methods: ((c[`${HYDRA}supportedOperation`] ?? []) as Record<string, { '@value': string }[]>[]).map((op) => op[`${HYDRA}method`][0]['@value']),
    }));
    expect(classes.length).to.be.greaterThan(5);
    const fetched = result.resources.filter((r) => r.status === 200);
    for (const cls of classes) {
      const instances = fetched.filter((r) => r.types.includes(cls.iri));
      expect(instances, `a resource of ${cls.iri}`).to.not.be.empty;
      const methods = new Set(instances.flatMap((r) => r.operations.map((o) => o.method)));
      for (const method of cls.methods) expect([...methods], `${cls.iri} ${method}`).to.include(method);
    }
    // The state-dependent DELETE, offered on the country nothing refers to (and only there).
    const genovia = fetched.find((r) => r.url === freeCountry)!;
    expect(genovia.operations.find((o) => o.method === 'DELETE')).to.deep.include({ source: 'hydra' });
    const wakanda = fetched.find((r) => r.types.includes('https://schema.org/Country') && r.url !== freeCountry)!;
    expect(wakanda.operations.map((o) => o.method)).to.not.include('DELETE');
    // A guest, four links away: entry point → events → event → guests → guest.
    expect(fetched.some((r) => /\/events\/\d+\/guests\/\d+$/.test(r.url))).to.equal(true);
    // Templates are recorded, not followed.
    expect(result.links.some((l) => l.templated && l.rel === `${HYDRA}search`)).to.equal(true);
    expect(fetched.some((r) => r.url.includes('{'))).to.equal(false);
    const tree = crawlTree(result);
    expect(tree.split('\n')[0]).to.match(/^\/ {2}200 {2}EntryPoint/);
    expect(tree).to.contain('guests → /events/');
  });

  it('follows HAL _links and _embedded, with GET only', async () => {
    const fixture: FixtureApi = await hal();
    try {
      const result = await crawl(`${fixture.url}/`);
      const urls = result.resources.filter((r) => r.status === 200).map((r) => new URL(r.url).pathname);
      expect(urls).to.include.members(['/', '/orders', '/orders/1', '/orders/2', '/customers/1']);
      expect(result.links).to.deep.include({ from: `${fixture.url}/`, to: `${fixture.url}/orders{/id}`, rel: 'find', source: 'hal', templated: true });
      expect(fixture.requests.every((r) => r.startsWith('GET '))).to.equal(true);
    } finally {
      await fixture.stop();
    }
  });

  it('respects its limits: requests, depth, same origin', async () => {
    const limited = await crawl(`${api.url}/`, { maxRequests: 5 });
    expect(limited.requests).to.equal(5);
    expect(limited.limited).to.include('maxRequests');
    const shallow = await crawl(`${api.url}/`, { maxDepth: 1 });
    expect(Math.max(...shallow.resources.filter((r) => r.status !== undefined).map((r) => r.depth))).to.equal(1);
    expect(shallow.limited).to.include('maxDepth');
    const full = await crawl(`${api.url}/`);
    const foreign = full.resources.filter((r) => new URL(r.url).origin !== api.url);
    expect(foreign.length).to.be.greaterThan(0); // schema.org terms in the documentation
    expect(foreign.every((r) => r.skipped === 'other origin' && r.status === undefined)).to.equal(true);
  });

  it('the command prints --json with resources and links; a redirect is one hop of the tree', async () => {
    const { stdout } = await run(process.execPath, [...CLI, 'crawl', `${api.url}/`, '--json', '--quiet']);
    const result = JSON.parse(stdout);
    expect(result.start).to.equal(`${api.url}/`);
    const events = result.resources.find((r: { url: string }) => r.url === `${api.url}/events`);
    expect(events.types).to.include(`${HYDRA}Collection`);
    expect(events.operations.map((o: { method: string }) => o.method)).to.include.members(['GET', 'POST']);
    expect(result.links).to.deep.include({ from: `${api.url}/`, to: `${api.url}/events`, rel: `${api.url}/docs#EntryPoint/events`, source: 'link-header' });
    const tree = crawlTree(await crawl(`${api.url}/levels/3`));
    expect(tree.split('\n').slice(0, 2)).to.deep.equal(['/levels/3  redirects to /', '└─ redirect → /  200  EntryPoint  [GET]']);
  });
});
