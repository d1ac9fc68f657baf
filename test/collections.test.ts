/** Issue 2 §3: filtering, sorting and paging collections. */
import { expect } from 'chai';
import { parseTemplate } from 'url-template';
import { createCountry, pathOf, startTestApi, type TestApi } from './helpers.js';

describe('collections', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());

  it('filters by equality: ?capital=Bangkok', async () => {
    const res = await api.http.get('/countries?capital=Bangkok').expect(200);
    expect(res.body.totalItems).to.equal(1);
    expect(res.body.member.map((m: { name: string }) => m.name)).to.deep.equal(['Thailand']);
  });

  it('filters numeric ranges: area at least / at most', async () => {
    const res = await api.http.get('/countries?area_gte=7000000&area_lte=8000000&pageSize=100').expect(200);
    const names = res.body.member.map((m: { name: string }) => m.name);
    expect(names).to.include('Australia');
    for (const m of res.body.member) expect(m.area).to.be.within(7000000, 8000000);
    expect(res.body.totalItems).to.equal(res.body.member.length);
  });

  it('sorts ascending and descending, by several fields', async () => {
    const asc = await api.http.get('/countries?sort=area&area_gte=1&pageSize=5').expect(200);
    const areas = asc.body.member.map((m: { area: number }) => m.area);
    expect(areas).to.deep.equal([...areas].sort((a: number, b: number) => a - b));
    const desc = await api.http.get('/countries?sort=-area&pageSize=3').expect(200);
    expect(desc.body.member[0].name).to.equal('Russia');
    const two = await api.http.get('/countries?sort=capital,-name&pageSize=3').expect(200);
    expect(two.status).to.equal(200);
  });

  it('default order is by name', async () => {
    const res = await api.http.get('/countries?pageSize=3').expect(200);
    const names = res.body.member.map((m: { name: string }) => m.name);
    expect(names).to.deep.equal([...names].sort());
  });

  it('paginates: 20 per page by default, pages cover every item exactly once', async () => {
    const first = await api.http.get('/countries').expect(200);
    expect(first.body.member).to.have.length(20);
    const total = first.body.totalItems as number;
    const seen = new Set<string>();
    for (let page = 1; page <= Math.ceil(total / 100); page++) {
      const res = await api.http.get(`/countries?pageSize=100&page=${page}`).expect(200);
      for (const m of res.body.member) seen.add(m['@id']);
    }
    expect(seen.size).to.equal(total);
  });

  it('page links are expansions of the search template and lead to the next page', async () => {
    const first = await api.http.get('/countries?sort=capital,-name&area_gte=1&pageSize=7').expect(200);
    const template = parseTemplate(first.body.search.template as string);
    expect(first.body.view.next).to.equal(template.expand({ area_gte: '1', sort: 'capital,-name', page: 2, pageSize: 7 }));
    const next = await api.http.get(pathOf(first.body.view.next)).expect(200);
    expect(next.body.view.previous).to.equal(first.body.view['@id']);
    expect(next.body.member[0].capital >= first.body.member[6].capital).to.equal(true);
  });

  it('caps the page size at 100', async () => {
    const res = await api.http.get('/countries?pageSize=1000').expect(200);
    expect(res.body.member).to.have.length(100);
    expect(res.body.view['@id']).to.include('pageSize=100');
  });

  it('an empty result is a 200 with no members', async () => {
    const res = await api.http.get('/countries?capital=Atlantis').expect(200);
    expect(res.body.totalItems).to.equal(0);
    expect(res.body.member).to.deep.equal([]);
  });

  it('sees writes at once (the collection version moves)', async () => {
    const before = await api.http.get('/countries?capital=Nowhereville').expect(200);
    expect(before.body.totalItems).to.equal(0);
    await createCountry(api, { name: 'Nowhereland', capital: 'Nowhereville' });
    const after = await api.http.get('/countries?capital=Nowhereville').expect(200);
    expect(after.body.totalItems).to.equal(1);
    expect(after.headers.etag).to.not.equal(before.headers.etag);
  });
});
