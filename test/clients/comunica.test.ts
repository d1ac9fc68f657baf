/**
 * Issue 11 §4: Comunica, the reference SPARQL engine over Linked Data, given
 * only a collection's URL, follows `hydra:next` page by page — it does so
 * only when the subject is the URL it fetched — and answers over every
 * member: the count of all countries, and the country whose capital is
 * Bangkok (on page 12 of 13).
 */
import { expect } from 'chai';
import { QueryEngine } from '@comunica/query-sparql';
import { startLiveApi, type LiveApi } from '../helpers.js';

const PREFIXES = 'PREFIX schema: <https://schema.org/>\n';

describe('Comunica (SPARQL over the API)', function () {
  this.timeout(60_000);
  let server: LiveApi;
  let total: number;

  before(async () => {
    server = await startLiveApi();
    total = (await server.http.get('/countries').expect(200)).body.totalItems;
  });
  after(() => server.stop());

  /** Run a SELECT with a fresh engine (no cached pages) over `source`; count the GETs it makes. */
  async function select(source: string, query: string) {
    const requested: string[] = [];
    const fetchCounting: typeof fetch = (input, init) => {
      requested.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      return fetch(input, init);
    };
    const stream = await new QueryEngine().queryBindings(PREFIXES + query, { sources: [source], fetch: fetchCounting, lenient: false });
    const rows = (await stream.toArray()).map((b) => Object.fromEntries([...b].map(([k, v]) => [k.value, v.value])));
    return { rows, requested };
  }

  it('given /countries, counts every country: it follows hydra:next through all the pages', async () => {
    const { rows, requested } = await select(`${server.url}/countries`, 'SELECT (COUNT(?c) AS ?n) WHERE { ?c a schema:Country }');
    expect(rows).to.deep.equal([{ n: String(total) }]);
    expect(total).to.equal(250);
    const pages = Math.ceil(total / 20);
    expect(requested.filter((u) => u.startsWith(`${server.url}/countries`))).to.have.length(pages);
    expect(requested).to.include(`${server.url}/countries?page=${pages}`);
  });

  it('finds the country whose capital is Bangkok', async () => {
    const { rows } = await select(`${server.url}/countries`, `SELECT ?country ?name WHERE { ?country <${server.url}/docs#capital> "Bangkok"; schema:name ?name }`);
    expect(rows).to.deep.equal([{ country: `${server.url}/countries/220`, name: 'Thailand' }]);
  });

  it('walks a filtered, sorted collection with a page size too', async () => {
    const expected = (await server.http.get('/countries?q=guinea&pageSize=100').expect(200)).body.member.map((m: { name: string }) => m.name).sort();
    expect(expected.length).to.be.at.least(3);
    const { rows, requested } = await select(`${server.url}/countries?q=guinea&sort=-area&pageSize=2`, 'SELECT ?name WHERE { ?c a schema:Country; schema:name ?name }');
    expect(rows.map((r) => r.name).sort()).to.deep.equal(expected);
    expect(requested).to.have.length(Math.ceil(expected.length / 2));
  });
});
