/**
 * Issue 3 §6: the Hydra client alcaeus works the API from its entry point:
 * links, paging through hydra:view, the hydra:search template, and
 * operations found through the API documentation — against a real server
 * on loopback.
 */
import { expect } from 'chai';
import create from 'alcaeus';
import type { Collection, IriTemplate, PartialCollectionView, Resource, RuntimeOperation } from 'alcaeus';
import rdf, { Environment } from '@zazuko/env-node';
import { startLiveApi, type LiveApi } from '../helpers.js';

const SCHEMA = 'https://schema.org/';
const HYDRA = 'http://www.w3.org/ns/hydra/core#';

function hydraClient() {
  return new Environment(create(), { parent: rdf });
}
type Client = ReturnType<typeof hydraClient>;

describe('alcaeus (Hydra client)', () => {
  let server: LiveApi;
  let env: Client;

  before(async () => {
    server = await startLiveApi();
  });
  after(() => server.stop());
  beforeEach(() => {
    env = hydraClient();
  });

  const text = (resource: Resource, property: string) => resource.pointer.out(env.namedNode(property)).value;

  async function load<T extends Resource = Resource>(uri: string) {
    const { response, representation } = await env.hydra.loadResource<T>(uri);
    expect(response?.xhr.status, uri).to.equal(200);
    expect(representation?.root, `alcaeus found no root in ${uri}`).to.not.equal(undefined);
    return representation!.root! as T;
  }

  /** The entry point's link to a top-level collection, found through the documented link properties. */
  async function collectionFromEntryPoint(segment: string): Promise<Collection> {
    const root = await load(`${server.url}/`);
    expect(root.types.has(env.namedNode(`${server.url}/docs#EntryPoint`))).to.equal(true);
    const link = root.getLinks().find((l) => l.supportedProperty.property?.id.value === `${server.url}/docs#EntryPoint/${segment}`);
    expect(link, `entry point link to ${segment}`).to.not.equal(undefined);
    const [target] = link!.resources;
    return load<Collection>(target.id.value);
  }

  /** Expand a collection's hydra:search template with values keyed by template variable. */
  function expandSearch(collection: Collection, values: Record<string, string>): string {
    const search = collection.search as IriTemplate;
    expect(search, 'hydra:search').to.not.equal(undefined);
    const model = env.clownface().blankNode();
    for (const [variable, value] of Object.entries(values)) {
      const mapping = search.mapping.find((m) => m.variable === variable);
      expect(mapping, `mapping for ${variable}`).to.not.equal(undefined);
      model.addOut(mapping!.property!.id, value);
    }
    return search.expand(model);
  }

  const post = (resource: Resource): RuntimeOperation => {
    const operation = resource.operations.find((o) => o.method === 'POST');
    expect(operation, `POST on ${resource.id.value}`).to.not.equal(undefined);
    return operation!;
  };

  /** Invoke a POST operation, expect 201 and load the new resource from Location. */
  async function create201(operation: RuntimeOperation, body: Record<string, unknown>): Promise<Resource> {
    const { response } = await operation.invoke(JSON.stringify(body), { 'Content-Type': 'application/json' });
    expect(response?.xhr.status).to.equal(201);
    const location = response!.xhr.headers.get('Location');
    expect(location).to.match(new RegExp(`^${server.url}/`));
    return load(location!);
  }

  it('follows the entry point to the countries, a hydra:Collection with a search template', async () => {
    const countries = await collectionFromEntryPoint('countries');
    expect(countries.id.value).to.equal(`${server.url}/countries`);
    expect(countries.types.has(env.namedNode(`${HYDRA}Collection`))).to.equal(true);
    expect(countries.types.has(env.namedNode(`${server.url}/docs#CountryCollection`))).to.equal(true);
    expect(countries.totalItems).to.be.greaterThan(240);
    expect(countries.member).to.have.length(20);
    expect(countries.view).to.have.length(1);
  });

  it('walks every page through hydra:view next until it has totalItems members', async () => {
    const countries = await collectionFromEntryPoint('countries');
    const total = countries.totalItems!;
    let page = await load<Collection>(expandSearch(countries, { pageSize: '50' }));
    const seen = new Set<string>();
    let pages = 0;
    for (;;) {
      pages++;
      expect(page.totalItems).to.equal(total);
      for (const member of page.member) seen.add(member.id.value);
      const view = page.view?.[0] as PartialCollectionView | undefined;
      expect(view, 'hydra:view').to.not.equal(undefined);
      if (!view!.next) break;
      page = await load<Collection>(view!.next.id.value);
      expect(pages).to.be.below(10);
    }
    expect(pages).to.equal(Math.ceil(total / 50));
    expect(seen.size).to.equal(total);
  });

  it('expands the search template to filter by capital: Bangkok is the capital of Thailand', async () => {
    const countries = await collectionFromEntryPoint('countries');
    const url = expandSearch(countries, { capital: 'Bangkok' });
    // alcaeus fills variables by their mapped property: capital_contains (issue 11)
    // is about the capital too, and Bangkok contains Bangkok.
    expect(url).to.equal(`${server.url}/countries?capital=Bangkok&capital_contains=Bangkok`);
    const found = await load<Collection>(url);
    expect(found.totalItems).to.equal(1);
    expect(found.member.map((m) => text(m, `${SCHEMA}name`))).to.deep.equal(['Thailand']);
  });

  it('creates a country with the POST operation the documentation gives the collection, and loads it from Location', async () => {
    const countries = await collectionFromEntryPoint('countries');
    const operation = post(countries);
    expect(operation.expects.map((c) => c.id.value)).to.include(`${SCHEMA}Country`);
    const country = await create201(operation, { name: 'Alcaeia', capital: 'Heraklion', area: 42 });
    expect(country.types.has(env.namedNode(`${SCHEMA}Country`))).to.equal(true);
    expect(text(country, `${SCHEMA}name`)).to.equal('Alcaeia');
    expect(text(country, `${server.url}/docs#capital`)).to.equal('Heraklion');
    // The operations of an item come from its classes in the documentation; nothing
    // refers to this country yet, so it is also a DeletableCountry, whose class has DELETE.
    expect(country.operations.map((o) => o.method).sort()).to.deep.equal(['DELETE', 'GET', 'PATCH', 'PUT']);
  });

  it('creates an event, follows its guests link and creates a guest there', async () => {
    const countries = await load<Collection>(expandSearch(await collectionFromEntryPoint('countries'), { name: 'Thailand' }));
    const thailand = countries.member[0];
    const events = await collectionFromEntryPoint('events');
    const event = await create201(post(events), { name: 'Hydra Day', startDate: '2027-03-01T10:00:00Z', location: thailand.id.value });
    expect(event.types.has(env.namedNode(`${SCHEMA}Event`))).to.equal(true);
    expect(event.pointer.out(env.namedNode(`${SCHEMA}location`)).value).to.equal(thailand.id.value);

    const link = event.getLinks().find((l) => l.supportedProperty.property?.id.value === `${server.url}/docs#guests`);
    expect(link, 'guests link').to.not.equal(undefined);
    const guests = await load<Collection>(link!.resources[0].id.value);
    expect(guests.types.has(env.namedNode(`${server.url}/docs#GuestCollection`))).to.equal(true);
    expect(guests.totalItems).to.equal(0);

    const guest = await create201(post(guests), { name: 'Tomasz', email: 'tomasz@example.org' });
    expect(guest.types.has(env.namedNode(`${SCHEMA}Person`))).to.equal(true);
    expect(guest.id.value.startsWith(`${event.id.value}/guests/`)).to.equal(true);
    expect(guest.pointer.out(env.namedNode(`${server.url}/docs#event`)).value).to.equal(event.id.value);
    const after = await load<Collection>(guests.id.value);
    expect(after.member.map((m) => m.id.value)).to.deep.equal([guest.id.value]);
  });

  it('a country without events carries a DELETE operation, a country with events does not', async () => {
    const countries = await collectionFromEntryPoint('countries');
    const held = await create201(post(countries), { name: 'Busy Land' });
    await create201(post(await collectionFromEntryPoint('events')), { name: 'Busy Day', startDate: '2027-04-01T10:00:00Z', location: held.id.value });
    const free = await create201(post(countries), { name: 'Fleeting Land' });

    // hydra:operation on the resource itself, for clients that read it. alcaeus 3
    // keeps it in the graph but lists only class operations among `operations`…
    const inline = (resource: Resource) =>
      resource.pointer.out(env.namedNode(`${HYDRA}operation`)).out(env.namedNode(`${HYDRA}method`)).values;
    expect(inline(free)).to.deep.equal(['DELETE']);
    const country = await load(held.id.value);
    expect(text(country, `${SCHEMA}name`)).to.equal('Busy Land');
    expect(inline(country)).to.deep.equal([]);
    expect(country.operations.map((o) => o.method)).to.not.include('DELETE');
    expect(country.types.has(env.namedNode(`${server.url}/docs#DeletableCountry`))).to.equal(false);

    // …so a deletable country is also a DeletableCountry, whose class carries DELETE (issue 11).
    const fleeting = await load(free.id.value);
    expect(fleeting.types.has(env.namedNode(`${server.url}/docs#DeletableCountry`))).to.equal(true);
    const deletion = fleeting.operations.find((o) => o.method === 'DELETE');
    expect(deletion, 'DELETE among the operations alcaeus offers').to.not.equal(undefined);
    expect(deletion!.title).to.equal('Delete a Country');
    const { response } = await deletion!.invoke('');
    expect(response?.xhr.status).to.equal(204);
    const gone = await env.hydra.loadResource(free.id.value);
    expect(gone.response?.xhr.status).to.equal(404);
  });
});
