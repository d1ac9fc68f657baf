/**
 * Issue 3 §6: every document Rung serves is valid JSON-LD (expanded by
 * jsonld.js in safe mode, contexts fetched from the API itself), collections
 * carry the Hydra controls clients need, and every link in a body is mirrored
 * in an RFC 8288 Link header.
 */
import { expect } from 'chai';
import LinkHeader from 'http-link-header';
import jsonld from 'jsonld';
import { contextLoader, createCountry, createEvent, createGuest, pathOf, startTestApi, type TestApi } from './helpers.js';

const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const API_DOCUMENTATION = `${HYDRA}apiDocumentation`;

type Json = Record<string, any>;

/** Expand in safe mode: any term that does not expand, any dropped value, is an error. */
function expand(api: TestApi, document: Json, url: string) {
  return jsonld.expand(document as jsonld.JsonLdDocument, {
    base: url,
    documentLoader: contextLoader(api),
    safe: true,
  } as jsonld.Options.Expand);
}

/** A document using the context at `url` and every term it defines, each with a value of the right kind. */
function probe(url: string, context: Json): Json {
  const document: Json = { '@context': url, '@id': `${url}#probe` };
  for (const [term, definition] of Object.entries(context)) {
    if (term.startsWith('@')) continue;
    const type = typeof definition === 'object' ? definition['@type'] : undefined;
    document[term] = type === '@id' || type === '@vocab' ? { '@id': `${url}#value` } : 'value';
  }
  return document;
}

function links(res: { headers: Record<string, string | string[] | undefined> }): LinkHeader {
  const raw = res.headers.link;
  return LinkHeader.parse(Array.isArray(raw) ? raw.join(', ') : raw ?? '');
}

const hrefOf = (res: { headers: Record<string, any> }, rel: string) => links(res).rel(rel).map((l) => l.uri);

/** Query parameters named in an RFC 6570 form-style query expansion `{?a,b,c}`. */
const templateVariables = (template: string) => template.match(/\{\?([^}]*)\}/)![1].split(',');

describe('hypermedia', () => {
  let api: TestApi;
  let thailand: string;
  let country: Awaited<ReturnType<typeof createCountry>>;
  let idle: Awaited<ReturnType<typeof createCountry>>;
  let event: Awaited<ReturnType<typeof createEvent>>;
  let guest: Awaited<ReturnType<typeof createGuest>>;

  before(async () => {
    api = await startTestApi();
    thailand = (await api.http.get('/countries?name=Thailand').expect(200)).body.member[0]['@id'];
    country = await createCountry(api, { name: 'Hosting Land', capital: 'Venue City', area: 10 });
    idle = await createCountry(api, { name: 'Idle Land', capital: 'Quiet Town', area: 20 });
    event = await createEvent(api, country.iri);
    guest = await createGuest(api, event.path);
  });
  after(() => api.close());

  describe('every document expands with jsonld.js in safe mode', () => {
    const paths = () => [
      '/',
      '/docs',
      ...['rung.jsonld', 'entrypoint.jsonld', 'country.jsonld', 'event.jsonld', 'guest.jsonld'].map((f) => `/contexts/${f}`),
      '/countries',
      '/countries?pageSize=100&page=2',
      '/countries?capital=Bangkok',
      '/events',
      `/events?location=${encodeURIComponent(country.iri)}`,
      `${event.path}/guests`,
      pathOf(thailand),
      country.path,
      idle.path,
      event.path,
      guest.path,
    ];

    it('entry point, documentation, contexts, collections (nested too) and items', async () => {
      for (const path of paths()) {
        const res = await api.http.get(path).set('Accept', 'application/ld+json').expect(200);
        expect(res.headers['content-type'], path).to.match(/^application\/ld\+json/);
        // A context alone describes nothing (safe mode drops an empty object):
        // expand a probe that uses the served context and every one of its terms.
        const document = path.startsWith('/contexts/') ? probe(api.base + path, res.body['@context']) : res.body;
        const expanded = await expand(api, document, api.base + path).catch((err: Error & { details?: unknown }) => {
          throw new Error(`${path} does not expand in safe mode: ${err.message} ${JSON.stringify(err.details)}`);
        });
        expect(expanded, path).to.have.length.above(0);
      }
    });

    it('the document loader refuses anything but the API\'s contexts', async () => {
      const doc = { '@context': 'https://schema.org/', name: 'x' };
      let error: (Error & { details?: { cause?: Error } }) | undefined;
      await expand(api, doc, `${api.base}/`).catch((err) => (error = err));
      expect(error?.details?.cause?.message).to.equal('Refusing to load https://schema.org/');
    });
  });

  describe('collections', () => {
    const PAGE_SIZE = 100;
    let total: number;
    let lastPage: number;
    const page = (n: number) => (n === 1 ? `${api.base}/countries?pageSize=${PAGE_SIZE}` : `${api.base}/countries?page=${n}&pageSize=${PAGE_SIZE}`);

    before(async () => {
      total = (await api.http.get('/countries').expect(200)).body.totalItems;
      lastPage = Math.ceil(total / PAGE_SIZE);
      expect(lastPage, 'the seed needs at least three pages of 100').to.be.at.least(3);
    });

    it('are hydra:Collection with a hydra:PartialCollectionView, in the body (types expanded)', async () => {
      for (const path of ['/countries', '/events', `${event.path}/guests`]) {
        const res = await api.http.get(path).expect(200);
        const [root] = (await expand(api, res.body, api.base + path)).filter((n) => n['@id'] === res.body['@id']);
        expect(root['@type'], path).to.include(`${HYDRA}Collection`);
        const views = root[`${HYDRA}view`] as Json[];
        expect(views, path).to.have.length(1);
        expect(views[0]['@type'], path).to.deep.equal([`${HYDRA}PartialCollectionView`]);
        expect(views[0]['@id']).to.equal(res.body.view['@id']);
        expect(root[`${HYDRA}totalItems`], path).to.have.length(1);
      }
    });

    it('first page: first and next, no previous; Link headers mirror the view', async () => {
      const res = await api.http.get(`/countries?pageSize=${PAGE_SIZE}`).expect(200);
      const { view } = res.body;
      expect(res.body['@id']).to.equal(`${api.base}/countries`);
      expect(view['@id']).to.equal(page(1));
      expect(view).to.include({ first: page(1), last: page(lastPage), next: page(2) });
      expect(view).to.not.have.property('previous');
      expect(res.body.member).to.have.length(PAGE_SIZE);
      expect(hrefOf(res, 'first')).to.deep.equal([page(1)]);
      expect(hrefOf(res, 'next')).to.deep.equal([page(2)]);
      expect(hrefOf(res, 'last')).to.deep.equal([page(lastPage)]);
      expect(hrefOf(res, 'prev')).to.deep.equal([]);
    });

    it('middle page: previous and next', async () => {
      const res = await api.http.get(pathOf(page(2))).expect(200);
      const { view } = res.body;
      expect(view['@id']).to.equal(page(2));
      expect(view).to.include({ first: page(1), last: page(lastPage), previous: page(1), next: page(3) });
      expect(hrefOf(res, 'prev')).to.deep.equal([page(1)]);
      expect(hrefOf(res, 'next')).to.deep.equal([page(3)]);
      expect(hrefOf(res, 'first')).to.deep.equal([page(1)]);
      expect(hrefOf(res, 'last')).to.deep.equal([page(lastPage)]);
    });

    it('last page: previous, no next, the remaining members', async () => {
      const res = await api.http.get(pathOf(page(lastPage))).expect(200);
      const { view } = res.body;
      expect(view['@id']).to.equal(page(lastPage));
      expect(view).to.include({ first: page(1), last: page(lastPage), previous: page(lastPage - 1) });
      expect(view).to.not.have.property('next');
      expect(res.body.member).to.have.length(total - (lastPage - 1) * PAGE_SIZE);
      expect(hrefOf(res, 'next')).to.deep.equal([]);
      expect(hrefOf(res, 'prev')).to.deep.equal([page(lastPage - 1)]);
    });

    // Issue 11: the view is named by the URL fetched, so a client that follows
    // hydra:next only from the URL it fetched (Comunica) walks every page.
    it('the collection is its own first page: the view of /countries is /countries, page 2 is ?page=2', async () => {
      const res = await api.http.get('/countries').expect(200);
      expect(res.body['@id']).to.equal(`${api.base}/countries`);
      expect(res.body.view).to.include({ '@id': `${api.base}/countries`, first: `${api.base}/countries`, next: `${api.base}/countries?page=2` });
      const second = await api.http.get('/countries?page=2').expect(200);
      expect(second.body.view).to.include({ '@id': `${api.base}/countries?page=2`, first: `${api.base}/countries`, previous: `${api.base}/countries` });
    });

    it('a client that asks for page=1 gets its own URL as the view, and first leads to the canonical one', async () => {
      const res = await api.http.get('/countries?page=1').expect(200);
      expect(res.body.view).to.include({ '@id': `${api.base}/countries?page=1`, first: `${api.base}/countries`, next: `${api.base}/countries?page=2` });
      const sized = await api.http.get('/countries?capital=Bangkok&page=1&pageSize=5').expect(200);
      expect(sized.body.view).to.include({
        '@id': `${api.base}/countries?capital=Bangkok&page=1&pageSize=5`,
        first: `${api.base}/countries?capital=Bangkok&pageSize=5`,
        last: `${api.base}/countries?capital=Bangkok&pageSize=5`,
      });
    });

    it('a single page has first = last = the view, and neither next nor previous', async () => {
      const res = await api.http.get('/countries?capital=Bangkok').expect(200);
      const { view } = res.body;
      expect(view.first).to.equal(view['@id']);
      expect(view.last).to.equal(view['@id']);
      expect(view).to.not.have.any.keys('next', 'previous');
      expect(hrefOf(res, 'next').concat(hrefOf(res, 'prev'))).to.deep.equal([]);
    });

    it('filters and sort are kept in every page link', async () => {
      const res = await api.http.get('/countries?area_gte=1&sort=-area&pageSize=10&page=2').expect(200);
      for (const rel of ['first', 'last', 'previous', 'next']) {
        expect(res.body.view[rel], rel).to.match(/[?&]area_gte=1&sort=-area(&|$)/);
        expect(res.body.view[rel], rel).to.include('pageSize=10');
      }
    });

    it('the search template maps every filter, sort and paging parameter the collection understands', async () => {
      for (const path of ['/countries', '/events', `${event.path}/guests`]) {
        const res = await api.http.get(path).expect(200);
        const { search } = res.body;
        expect(search['@type']).to.equal('IriTemplate');
        expect(search.template.startsWith(`${api.base}${path}{?`), search.template).to.equal(true);
        const variables = templateVariables(search.template);
        expect(search.mapping.map((m: Json) => m.variable)).to.have.members(variables);
        for (const mapping of search.mapping) {
          expect(mapping.property, mapping.variable).to.match(/^https?:\/\//);
        }
        // The server's own list of parameters, from the 400 for an unknown one.
        const refused = await api.http.get(`${path}?no_such_parameter=1`).expect(400);
        const understood = refused.body.detail.match(/understands: (.*)\.$/)[1].split(', ');
        expect(variables, path).to.have.members(understood);
        for (const expected of ['sort', 'page', 'pageSize']) expect(variables).to.include(expected);
      }
    });
  });

  describe('Link headers', () => {
    it('apiDocumentation on every response, errors included', async () => {
      const requests = [
        api.http.get('/'),
        api.http.get('/docs'),
        api.http.get('/contexts/rung.jsonld'),
        api.http.get('/countries'),
        api.http.get(country.path),
        api.http.get(`${event.path}/guests`),
        api.http.get(guest.path),
        api.http.head('/countries'),
        api.http.options('/countries'),
        api.http.get('/countries/999999'),
        api.http.get('/nowhere'),
        api.http.get('/countries?bogus=1'),
        api.http.delete('/countries'),
        api.http.post('/countries').set('Content-Type', 'text/plain').send('x'),
        api.http.post('/countries').set('Content-Type', 'application/json').send({ area: -1 }),
        api.http.get('/countries').set('Accept', 'image/png'),
        api.http.post('/countries').set('Content-Type', 'application/json').send({ name: 'Linked Land' }),
      ];
      const seen = new Set<number>();
      for (const request of requests) {
        const res = await request;
        seen.add(res.status);
        expect(hrefOf(res, API_DOCUMENTATION), `${res.status} ${(res as any).req?.path}`).to.deep.equal([`${api.base}/docs`]);
      }
      expect([...seen]).to.include.members([200, 201, 204, 400, 404, 405, 406, 415, 422]);
    });

    it('the entry point links every top-level collection with a typed relation', async () => {
      const res = await api.http.get('/').expect(200);
      expect(res.body['@type']).to.equal('EntryPoint');
      for (const segment of ['countries', 'events']) {
        expect(res.body[segment]).to.equal(`${api.base}/${segment}`);
        expect(hrefOf(res, `${api.base}/docs#EntryPoint/${segment}`)).to.deep.equal([`${api.base}/${segment}`]);
      }
    });

    // Issue 11: Hydra Core §5.1.2 — a client can pick a collection by what its members are.
    it('the entry point lists its collections as hydra:collection, each with a hydra:memberAssertion', async () => {
      const res = await api.http.get('/').expect(200);
      const [root] = (await expand(api, res.body, `${api.base}/`)) as Json[];
      const collections = (root[`${HYDRA}collection`] as Json[]).map((c) => {
        const [assertion] = c[`${HYDRA}memberAssertion`];
        return [c['@id'], c['@type'], assertion[`${HYDRA}property`][0]['@id'], assertion[`${HYDRA}object`][0]['@id']];
      });
      const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
      expect(collections).to.deep.equal([
        [`${api.base}/countries`, [`${HYDRA}Collection`], RDF_TYPE, 'https://schema.org/Country'],
        [`${api.base}/events`, [`${HYDRA}Collection`], RDF_TYPE, 'https://schema.org/Event'],
      ]);
    });

    it('a collection links up, describedby and each item', async () => {
      const res = await api.http.get(`${event.path}/guests`).expect(200);
      expect(hrefOf(res, 'up')).to.deep.equal([event.iri]);
      expect(hrefOf(res, 'describedby')).to.deep.equal([`${api.base}/docs`]);
      expect(hrefOf(res, 'item')).to.deep.equal(res.body.member.map((m: Json) => m['@id']));
      const top = await api.http.get('/countries').expect(200);
      expect(hrefOf(top, 'up')).to.deep.equal([`${api.base}/`]);
      expect(hrefOf(top, 'item')).to.have.length(top.body.member.length);
    });

    it('an item links its collection and up, and mirrors every link of its body', async () => {
      for (const item of [country, event, guest]) {
        const res = await api.http.get(item.path).expect(200);
        const collection = res.body.collection as string;
        expect(hrefOf(res, 'collection')).to.deep.equal([collection]);
        expect(hrefOf(res, 'up')).to.deep.equal([collection]);
        const header = links(res).refs.map((l) => l.uri);
        for (const [term, value] of Object.entries(res.body)) {
          if (term.startsWith('@') || typeof value !== 'string' || !value.startsWith(`${api.base}/`)) continue;
          expect(header, `${item.path} ${term}`).to.include(value);
        }
      }
    });
  });

  describe('links between items', () => {
    it('a country links its events (the filtered events collection) and its collection', async () => {
      const res = await api.http.get(country.path).expect(200);
      expect(res.body.collection).to.equal(`${api.base}/countries`);
      expect(res.body.events).to.equal(`${api.base}/events?location=${country.body['@id'].split('/').pop()}`);
      expect(hrefOf(res, `${api.base}/docs#events`)).to.deep.equal([res.body.events]);
      const events = await api.http.get(pathOf(res.body.events)).expect(200);
      expect(events.body['@type']).to.include('EventCollection');
      expect(events.body.member.map((m: Json) => m['@id'])).to.deep.equal([event.iri]);
      for (const member of events.body.member) expect(member.location).to.equal(country.iri);
    });

    it('an event links its location (a Country) and its guests (a GuestCollection)', async () => {
      const res = await api.http.get(event.path).expect(200);
      expect(res.body.location).to.equal(country.iri);
      expect(res.body.collection).to.equal(`${api.base}/events`);
      expect(hrefOf(res, 'https://schema.org/location')).to.deep.equal([country.iri]);
      const location = await api.http.get(pathOf(res.body.location)).expect(200);
      expect(location.body['@type']).to.equal('Country');
      expect(res.body.guests).to.equal(`${event.iri}/guests`);
      const guests = await api.http.get(pathOf(res.body.guests)).expect(200);
      expect(guests.body['@type']).to.include.members(['Collection', 'GuestCollection']);
      expect(guests.body.member.map((m: Json) => m['@id'])).to.deep.equal([guest.iri]);
    });

    it('a guest links its event', async () => {
      const res = await api.http.get(guest.path).expect(200);
      expect(res.body.event).to.equal(event.iri);
      expect(res.body.collection).to.equal(`${event.iri}/guests`);
      expect(hrefOf(res, `${api.base}/docs#event`)).to.deep.equal([event.iri]);
      const parent = await api.http.get(pathOf(res.body.event)).expect(200);
      expect(parent.body['@type']).to.equal('Event');
    });

    it('a country without events offers DELETE as its own operation; one with events does not', async () => {
      const free = await api.http.get(idle.path).expect(200);
      expect(free.body.operation).to.have.length(1);
      const [operation] = free.body.operation;
      expect(operation.method).to.equal('DELETE');
      expect(operation.possibleStatus.map((s: Json) => s.statusCode)).to.include.members([204, 409]);
      const held = await api.http.get(country.path).expect(200);
      expect(held.body).to.not.have.property('operation');
      const thai = await api.http.get(pathOf(thailand)).expect(200);
      expect(thai.body.operation.map((o: Json) => o.method)).to.deep.equal(['DELETE']);
    });
  });
});
