/**
 * Issue 11 §7: search people type. A free-text parameter (`q`, mapped to
 * hydra:freetextQuery) over the fields a definition marks searchable, a
 * case-insensitive `<field>_contains` per text filter, both in the search
 * template; and API Platform's `itemsPerPage` and `order[field]=asc|desc`,
 * which API Platform Admin sends to any API.
 */
import { expect } from 'chai';
import { createCountry, createEvent, createGuest, startTestApi, type TestApi } from './helpers.js';

type Json = Record<string, any>;
const HYDRA = 'http://www.w3.org/ns/hydra/core#';

describe('search: free text, contains, API Platform parameters', () => {
  let api: TestApi;

  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());

  const names = (res: { body: Json }) => (res.body.member as Json[]).map((m) => m.name);
  const get = (path: string) => api.http.get(path).set('Accept', 'application/ld+json');

  it('name_contains finds a substring ignoring case; name= stays exact', async () => {
    expect(names(await get('/countries?name=thai').expect(200))).to.deep.equal([]);
    expect(names(await get('/countries?name_contains=thai').expect(200))).to.deep.equal(['Thailand']);
    expect(names(await get('/countries?name_contains=LAND&capital_contains=bang').expect(200))).to.deep.equal(['Thailand']);
    const land = await get('/countries?name_contains=land&pageSize=100').expect(200);
    expect(land.body.totalItems).to.be.above(20);
    for (const name of names(land)) expect(name.toLowerCase()).to.include('land');
  });

  it('ignores case beyond ASCII', async () => {
    await createCountry(api, { name: 'Ørkenland', capital: 'Ærøby' });
    expect(names(await get(`/countries?name_contains=${encodeURIComponent('ØRKEN')}`).expect(200))).to.deep.equal(['Ørkenland']);
    expect(names(await get(`/countries?q=${encodeURIComponent('ærø')}`).expect(200))).to.deep.equal(['Ørkenland']);
  });

  it('q searches every field the definition marks searchable; every word must appear in one of them', async () => {
    // Bangkok is a capital, not a name: found through `capital`.
    expect(names(await get('/countries?q=bangkok').expect(200))).to.deep.equal(['Thailand']);
    expect(names(await get('/countries?q=THAI').expect(200))).to.deep.equal(['Thailand']);
    // Two words: one in the name, one in the capital.
    expect(names(await get('/countries?q=thai%20bangkok').expect(200))).to.deep.equal(['Thailand']);
    expect(names(await get('/countries?q=thai%20paris').expect(200))).to.deep.equal([]);
    // Combined with filters and sort.
    const res = await get('/countries?q=guinea&sort=-area&pageSize=2').expect(200);
    expect(res.body.totalItems).to.be.at.least(3);
    expect(res.body.member[0].area).to.be.at.least(res.body.member[1].area);
    expect(res.body.view.next).to.equal(`${api.base}/countries?q=guinea&sort=-area&page=2&pageSize=2`);
  });

  it('events and guests are searchable too (by name; a guest also by e-mail)', async () => {
    const country = await createCountry(api, { name: 'Eventia' });
    const event = await createEvent(api, country.iri, { name: 'Linked Data Summit' });
    await createGuest(api, event.path, { name: 'Grace Hopper', email: 'grace@navy.example' });
    expect(names(await get('/events?q=summit').expect(200))).to.deep.equal(['Linked Data Summit']);
    expect(names(await get(`${event.path}/guests?q=NAVY`).expect(200))).to.deep.equal(['Grace Hopper']);
    expect(names(await get(`${event.path}/guests?email_contains=grace`).expect(200))).to.deep.equal(['Grace Hopper']);
  });

  it('the search template offers q (hydra:freetextQuery) and a _contains variable per text filter', async () => {
    const res = await get('/countries').expect(200);
    const { template, mapping } = res.body.search;
    expect(template).to.equal(`${api.base}/countries{?name,name_contains,capital,capital_contains,area,area_gte,area_lte,q,sort,page,pageSize}`);
    const byVariable = Object.fromEntries((mapping as Json[]).map((m) => [m.variable, m]));
    expect(byVariable.q.property).to.equal(`${HYDRA}freetextQuery`);
    expect(byVariable.q.description).to.match(/name or capital/);
    expect(byVariable.capital_contains.property).to.equal(`${api.base}/docs#capital`);
    expect(byVariable.capital_contains.description).to.match(/ignoring case/);
    // Links and dates are not searched as text.
    const events = await get('/events').expect(200);
    expect(events.body.search.template).to.equal(`${api.base}/events{?name,name_contains,location,startDate,startDate_gte,startDate_lte,q,sort,page,pageSize}`);
  });

  it('takes itemsPerPage for pageSize, and names pages with pageSize', async () => {
    const res = await get('/countries?itemsPerPage=7').expect(200);
    expect(res.body.member).to.have.length(7);
    expect(res.body.view['@id']).to.equal(`${api.base}/countries?pageSize=7`);
    expect(res.body.view.next).to.equal(`${api.base}/countries?page=2&pageSize=7`);
    const both = await get('/countries?itemsPerPage=7&pageSize=7').expect(400);
    expect(both.body.parameter).to.equal('itemsPerPage');
    expect((await get('/countries?itemsPerPage=0').expect(400)).body.parameter).to.equal('itemsPerPage');
  });

  it('takes order[field]=asc|desc (any case) for sort, the id included, as API Platform Admin sends it', async () => {
    const byArea = await get('/countries?order%5Barea%5D=DESC&itemsPerPage=3&page=1').expect(200);
    const areas = (byArea.body.member as Json[]).map((m) => m.area);
    expect(areas).to.deep.equal([...areas].sort((a, b) => b - a));
    expect(byArea.body.member[0].name).to.equal('Russia');
    expect(byArea.body.view['@id']).to.equal(`${api.base}/countries?sort=-area&page=1&pageSize=3`);
    const byId = await get('/countries?order%5Bid%5D=asc&itemsPerPage=2').expect(200);
    const ids = (byId.body.member as Json[]).map((m) => Number(m['@id'].split('/').pop()));
    expect(ids).to.deep.equal([1, 2]);
    const newest = await get('/countries?sort=-id&pageSize=1').expect(200);
    expect(Number(newest.body.member[0]['@id'].split('/').pop())).to.be.above(250);
    const two = await get('/countries?order%5Bcapital%5D=asc&order%5Bname%5D=desc&pageSize=100').expect(200);
    expect(two.body.view['@id']).to.equal(`${api.base}/countries?sort=capital%2C-name&pageSize=100`);
  });

  it('refuses bad search parameters with 400 naming them', async () => {
    const cases: [string, string][] = [
      ['/countries?order%5Bpopulation%5D=asc', 'order[population]'],
      ['/countries?order%5Bname%5D=up', 'order[name]'],
      ['/countries?order%5Bname%5D=asc&sort=area', 'order[name]'],
      ['/countries?q=a&q=b', 'q'],
      ['/countries?area_contains=1', 'area_contains'],
      ['/events?location_contains=1', 'location_contains'],
    ];
    for (const [path, parameter] of cases) {
      const res = await get(path).expect(400);
      expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(res.body.parameter, path).to.equal(parameter);
    }
  });
});
