/**
 * Issue 3 §6: ketting, a generic hypermedia client that reads RFC 8288
 * Link headers (never JSON-LD properties), works the API from `/` alone:
 * entry point relation → collection → `next` pages → POST → Location.
 */
import { expect } from 'chai';
import { Ketting } from 'ketting';
import { startLiveApi, type LiveApi } from '../helpers.js';

const API_DOCUMENTATION = 'http://www.w3.org/ns/hydra/core#apiDocumentation';

describe('ketting (Link-header client)', () => {
  let server: LiveApi;
  let client: Ketting;

  before(async () => {
    server = await startLiveApi();
  });
  after(() => server.stop());
  beforeEach(() => {
    client = new Ketting(`${server.url}/`);
  });

  const countriesRel = () => `${server.url}/docs#EntryPoint/countries`;

  it('reads the entry point\'s relations and the API documentation from Link headers', async () => {
    const root = await client.go().get();
    expect(root.links.get(countriesRel())?.href).to.equal(`${server.url}/countries`);
    expect(root.links.get(`${server.url}/docs#EntryPoint/events`)?.href).to.equal(`${server.url}/events`);
    expect(root.links.get(API_DOCUMENTATION)?.href).to.equal(`${server.url}/docs`);
  });

  it('follows the entry point to the countries and every `next` page to the last', async () => {
    const countries = await client.go().follow(countriesRel());
    expect(countries.uri).to.equal(`${server.url}/countries`);
    const first = await countries.get();
    const total = first.data.totalItems as number;
    expect(total).to.be.greaterThan(240);
    const last = first.links.get('last')!.href;

    const items = new Set<string>();
    let page = countries;
    let state = first;
    let pages = 1;
    for (;;) {
      for (const link of state.links.getMany('item')) items.add(link.href);
      expect(state.links.get('first')?.href).to.equal(first.links.get('first')?.href);
      if (!state.links.has('next')) break;
      page = await page.follow('next');
      state = await page.get();
      expect(state.links.get('prev'), `prev of ${page.uri}`).to.not.equal(undefined);
      pages++;
      expect(pages).to.be.at.most(Math.ceil(total / 20));
    }
    expect(page.uri).to.equal(last);
    expect(pages).to.equal(Math.ceil(total / 20));
    expect(items.size).to.equal(total);
  });

  it('POSTs a new country to the collection and follows Location to it, then back through `collection` and `up`', async () => {
    const countries = await client.go().follow(countriesRel());
    const created = await countries.postFollow({ data: { name: 'Kettingland', capital: 'Linkstad', area: 8288 } });
    expect(created.uri).to.match(new RegExp(`^${server.url}/countries/\\d+$`));
    const state = await created.get();
    // ketting asks for HAL or plain JSON, not JSON-LD; the links travel in the headers either way.
    expect(state.contentHeaders().get('Content-Type')).to.match(/^application\/([\w.-]+\+)?json\b/);
    expect(state.data).to.include({ name: 'Kettingland', capital: 'Linkstad', area: 8288 });
    expect(state.links.get(API_DOCUMENTATION)?.href).to.equal(`${server.url}/docs`);
    expect((await created.follow('collection')).uri).to.equal(countries.uri);
    expect((await created.follow('up')).uri).to.equal(countries.uri);
    // The typed relation to its events, as an absolute IRI rel.
    const events = await created.follow(`${server.url}/docs#events`);
    const eventsState = await events.get();
    expect(eventsState.data.totalItems).to.equal(0);
    expect(eventsState.links.get('up')?.href).to.equal(`${server.url}/`);
  });
});
