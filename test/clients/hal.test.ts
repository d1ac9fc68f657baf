/**
 * Issue 11 §5: HAL and HAL-FORMS, negotiated like every other format and made
 * from the same representation. ketting (whose native format HAL is) works
 * the API through HAL alone: a middleware strips every Link header, so the
 * entry point, paging, search, CURIE relations, embedded members and the
 * HAL-FORMS templates it submits all come from the body.
 */
import { expect } from 'chai';
import { Ketting, type State } from 'ketting';
import { startLiveApi, type LiveApi } from '../helpers.js';

const HAL = 'application/hal+json';
const HAL_FORMS = 'application/prs.hal-forms+json';
type Json = Record<string, any>;

describe('HAL and HAL-FORMS', () => {
  let server: LiveApi;

  before(async () => {
    server = await startLiveApi();
  });
  after(() => server.stop());

  const get = (path: string, accept = HAL) => server.http.get(path).set('Accept', accept).expect(200);
  const one = (links: Json, rel: string) => {
    expect(links[rel], rel).to.be.an('object').and.not.be.an('array');
    return links[rel].href as string;
  };

  describe('the documents', () => {
    it('are negotiated: application/hal+json and application/prs.hal-forms+json, each with its own ETag, listed in a 406', async () => {
      const hal = await get('/countries/220');
      expect(hal.headers['content-type']).to.equal(HAL);
      expect(hal.headers.vary).to.match(/Accept/);
      const forms = await get('/countries/220', HAL_FORMS);
      expect(forms.headers['content-type']).to.equal(HAL_FORMS);
      expect(hal.headers.etag).to.match(/-hal"$/);
      expect(forms.headers.etag).to.match(/-halforms"$/);
      expect((await get('/countries/220', 'application/ld+json')).headers['content-type']).to.equal('application/ld+json');
      const refused = await server.http.get('/countries/220').set('Accept', 'application/xml').expect(406);
      expect(refused.body.available).to.include.members([HAL, HAL_FORMS]);
    });

    it('an item: self, type, its fields, relations as CURIEs to the documentation, and the Link header relations', async () => {
      const { body } = await get('/countries/220');
      expect(Object.keys(body)[0]).to.equal('_links');
      expect(body).to.include({ name: 'Thailand', capital: 'Bangkok', area: 513120 });
      expect(body).to.not.have.any.keys('@context', '@id', '@type', 'operation', 'events', 'collection');
      const links = body._links;
      expect(one(links, 'self')).to.equal(`${server.url}/countries/220`);
      expect(one(links, 'vocab:events')).to.equal(`${server.url}/events?location=220`);
      expect(one(links, 'collection')).to.equal(`${server.url}/countries`);
      expect(one(links, 'up')).to.equal(`${server.url}/countries`);
      expect(one(links, 'describedby')).to.equal(`${server.url}/docs`);
      expect(links.type.map((t: Json) => t.href)).to.deep.equal(['https://schema.org/Country', `${server.url}/docs#DeletableCountry`]);
      expect(links.curies).to.deep.equal([{ name: 'vocab', href: `${server.url}/docs#{rel}`, templated: true }]);
    });

    it('a collection page: paging links from the view, a templated search link, members in _embedded.item', async () => {
      const { body } = await get('/countries?page=2');
      const links = body._links;
      expect(one(links, 'self')).to.equal(`${server.url}/countries?page=2`);
      expect(one(links, 'first')).to.equal(`${server.url}/countries`);
      expect(one(links, 'prev')).to.equal(`${server.url}/countries`);
      expect(one(links, 'next')).to.equal(`${server.url}/countries?page=3`);
      expect(one(links, 'last')).to.match(/\/countries\?page=13$/);
      expect(links.search).to.deep.equal({ href: `${server.url}/countries{?name,name_contains,capital,capital_contains,area,area_gte,area_lte,q,sort,page,pageSize}`, templated: true });
      expect(body.totalItems).to.equal(250);
      const members: Json[] = body._embedded.item;
      expect(members).to.have.length(20);
      for (const member of members) {
        expect(one(member._links, 'self')).to.match(new RegExp(`^${server.url}/countries/\\d+$`));
        expect(one(member._links, 'collection')).to.equal(`${server.url}/countries`);
        expect(one(member._links, 'vocab:events')).to.match(/\/events\?location=\d+$/);
        expect(member.name).to.be.a('string');
      }
      expect(links).to.not.have.property('item');
    });

    it('the entry point links each collection with the relation of the documentation', async () => {
      const { body } = await get('/');
      expect(one(body._links, `${server.url}/docs#EntryPoint/countries`)).to.equal(`${server.url}/countries`);
      expect(one(body._links, `${server.url}/docs#EntryPoint/events`)).to.equal(`${server.url}/events`);
    });

    it('HAL-FORMS: a collection offers create, with properties, required flags and types from the schema', async () => {
      const { body } = await get('/events', HAL_FORMS);
      expect(Object.keys(body._templates)).to.deep.equal(['default']);
      const create = body._templates.default;
      expect(create).to.include({ method: 'POST', contentType: 'application/json', target: `${server.url}/events` });
      expect(create.properties).to.deep.equal([
        { name: 'name', prompt: 'Name', required: true, type: 'text', minLength: 1, maxLength: 200 },
        { name: 'startDate', prompt: 'Start date', required: true, type: 'datetime-local' },
        { name: 'location', prompt: 'Location', required: true, type: 'url' },
      ]);
      const guests = (await server.http.post('/events').set('Content-Type', 'application/json').send({ name: 'Forms Day', startDate: '2027-01-01T10:00:00Z', location: `${server.url}/countries/1` }).expect(201)).headers.location;
      const guestForm = (await get(`${new URL(guests).pathname}/guests`, HAL_FORMS)).body._templates.default;
      expect(guestForm.properties.map((p: Json) => [p.name, p.type, p.required])).to.deep.equal([['name', 'text', true], ['email', 'email', true]]);
    });

    it('HAL-FORMS: an item offers replace (with its values), update, and delete only while deleting is possible', async () => {
      const { body } = await get('/countries/220', HAL_FORMS);
      expect(Object.keys(body._templates)).to.deep.equal(['default', 'update', 'delete']);
      expect(body._templates.default.method).to.equal('PUT');
      expect(body._templates.default.properties.map((p: Json) => [p.name, p.value, p.required])).to.deep.equal([
        ['name', 'Thailand', true],
        ['capital', 'Bangkok', false],
        ['area', 513120, false],
      ]);
      expect(body._templates.default.properties[2]).to.include({ type: 'number', min: 0, step: 'any' });
      expect(body._templates.update.method).to.equal('PATCH');
      expect(body._templates.update.properties.every((p: Json) => p.required === false)).to.equal(true);
      // Albania hosts the event created above: no delete.
      const held = await get('/countries/1', HAL_FORMS);
      expect(Object.keys(held.body._templates)).to.deep.equal(['default', 'update']);
    });
  });

  describe('ketting through HAL alone (every Link header removed)', () => {
    let client: Ketting;
    let linkHeadersSeen: number;

    beforeEach(() => {
      client = new Ketting(`${server.url}/`);
      linkHeadersSeen = 0;
      client.use(async (request, next) => {
        const response = await next(request);
        if (response.headers.has('Link')) linkHeadersSeen++;
        const headers = new Headers(response.headers);
        headers.delete('Link');
        return new Response(response.status === 204 ? null : await response.arrayBuffer(), { status: response.status, statusText: response.statusText, headers });
      });
    });
    afterEach(() => {
      expect(linkHeadersSeen, 'Link headers were stripped').to.be.above(0);
    });

    const countriesRel = () => `${server.url}/docs#EntryPoint/countries`;
    const members = (state: State) => state.getEmbedded().map((m) => m.uri);

    it('asks for HAL-FORMS, and sees no Link header', async () => {
      const root = await client.go().get();
      expect(root.contentHeaders().get('Content-Type')).to.equal(HAL_FORMS);
      expect(root.headers.get('Link')).to.equal(null);
      expect(root.links.get(countriesRel())?.href).to.equal(`${server.url}/countries`);
    });

    it('walks every page of the countries through `next`, reading the members from _embedded', async () => {
      let state = await (await client.go().follow(countriesRel())).get();
      const total = state.data.totalItems as number;
      const seen = new Set<string>(members(state));
      let pages = 1;
      while (state.links.has('next')) {
        state = await (await state.follow('next')).get();
        members(state).forEach((m) => seen.add(m));
        expect(state.links.get('prev'), 'prev').to.not.equal(undefined);
        pages++;
        expect(pages).to.be.at.most(Math.ceil(total / 20));
      }
      expect(pages).to.equal(Math.ceil(total / 20));
      expect(seen.size).to.equal(total);
    });

    it('expands the templated search link: q finds a country by its capital', async () => {
      const found = await (await client.go().follow(countriesRel()).follow('search', { q: 'bangkok' })).get();
      expect(found.uri).to.equal(`${server.url}/countries?q=bangkok`);
      expect(found.data.totalItems).to.equal(1);
      expect(found.getEmbedded().map((m) => m.data.name)).to.deep.equal(['Thailand']);
    });

    it('creates, updates, replaces and deletes through the HAL-FORMS templates; follows CURIE relations', async () => {
      const countries = await (await client.go().follow(countriesRel())).get();
      const created = await countries.action('default').submit({ name: 'Halland', capital: 'Formsby', area: 11 });
      expect(created.data).to.include({ name: 'Halland', capital: 'Formsby', area: 11 });
      const iri = created.links.get('self')!.href;
      expect(iri).to.match(new RegExp(`^${server.url}/countries/\\d+$`));
      const country = client.go(iri);

      let state = await country.refresh();
      expect(state.actions().map((a) => a.name)).to.deep.equal(['default', 'update', 'delete']);
      await state.action('update').submit({ capital: 'Neuhafen' });
      state = await country.refresh();
      expect(state.data).to.include({ name: 'Halland', capital: 'Neuhafen', area: 11 });
      // PUT replaces: ketting fills the fields not given with the template's values.
      await state.action('default').submit({ area: 12 });
      state = await country.refresh();
      expect(state.data).to.include({ name: 'Halland', capital: 'Neuhafen', area: 12 });

      // Its events, through the CURIE relation; create one there from the events' own template.
      const events = await (await state.follow('vocab:events')).get();
      expect(events.data.totalItems).to.equal(0);
      const allEvents = await (await client.go().follow(`${server.url}/docs#EntryPoint/events`)).get();
      const event = await allEvents.action('default').submit({ name: 'HAL Day', startDate: '2027-09-01T09:30', location: iri });
      expect(event.data).to.include({ name: 'HAL Day', startDate: '2027-09-01T09:30:00Z' });
      expect(event.links.get('schema:location')?.href).to.equal(iri);
      expect((await (await country.follow('vocab:events')).refresh()).data.totalItems).to.equal(1);

      // Held: no delete template any more; delete the event, then the country can go.
      state = await country.refresh();
      expect(state.hasAction('delete')).to.equal(false);
      const eventResource = client.go(event.links.get('self')!.href);
      await (await eventResource.refresh()).action('delete').submit({});
      state = await country.refresh();
      await state.action('delete').submit({});
      const gone = await fetch(iri, { headers: { Accept: HAL } });
      expect(gone.status).to.equal(404);
    });
  });
});
