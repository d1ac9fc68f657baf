/**
 * Issue 11 §1: API Platform's `@api-platform/api-doc-parser` (what API
 * Platform Admin and its client generator run on) reads Rung's entry point
 * and documentation into resources with their real fields, types, required
 * flags, references and operations — against a real server on loopback,
 * with the parser's own fetches (no Accept header, as in a browser).
 */
import { expect } from 'chai';
import { parseHydraDocumentation } from '@api-platform/api-doc-parser';
import type { Api, Field, Resource } from '@api-platform/api-doc-parser';
import { startLiveApi, type LiveApi } from '../helpers.js';

const SCHEMA = 'https://schema.org/';

describe('api-doc-parser (API Platform)', () => {
  let server: LiveApi;
  let api: Api;

  before(async () => {
    server = await startLiveApi();
    const parsed = await parseHydraDocumentation(server.url);
    expect(parsed.status).to.equal(200);
    api = parsed.api;
  });
  after(() => server.stop());

  const resource = (name: string): Resource => {
    const found = api.resources?.find((r) => r.name === name);
    expect(found, `resource ${name}`).to.not.equal(undefined);
    return found!;
  };
  const field = (r: Resource, name: string): Field => {
    const found = r.fields?.find((f) => f.name === name);
    expect(found, `${r.name}.${name}`).to.not.equal(undefined);
    return found!;
  };
  const names = (fields: Field[] | null | undefined) => (fields ?? []).map((f) => f.name);
  const operations = (r: Resource) => (r.operations ?? []).map((o) => `${o.type}:${o.method}`);

  it('finds each top-level collection with its member class, not the collection class', () => {
    expect(api.title).to.equal('Rung example API');
    expect((api.resources ?? []).map((r) => [r.name, r.url, r.id])).to.deep.equal([
      ['countries', `${server.url}/countries`, `${SCHEMA}Country`],
      ['events', `${server.url}/events`, `${SCHEMA}Event`],
    ]);
    expect(resource('countries').title).to.equal('Country');
  });

  it('reads every field of a country with its type and required flag; links are read-only', () => {
    const countries = resource('countries');
    expect(names(countries.fields)).to.deep.equal(['name', 'capital', 'area', 'events', 'collection']);
    expect(names(countries.writableFields)).to.deep.equal(['name', 'capital', 'area']);
    expect(names(countries.readableFields)).to.deep.equal(['name', 'capital', 'area', 'events', 'collection']);
    const name = field(countries, 'name');
    expect(name).to.include({ id: `${SCHEMA}name`, type: 'string', required: true, description: 'Common name of the country' });
    expect(field(countries, 'capital')).to.include({ id: `${server.url}/docs#capital`, type: 'string', required: false });
    expect(field(countries, 'area')).to.include({ type: 'decimal', required: false });
    // A link to a collection is a reference to no resource of the admin, and no embedded one either.
    expect(field(countries, 'events')).to.include({ reference: null, embedded: null, maxCardinality: null });
  });

  it('reads an event\'s location as a required to-one reference to the countries', () => {
    const events = resource('events');
    expect(names(events.writableFields)).to.deep.equal(['name', 'startDate', 'location']);
    expect(field(events, 'startDate')).to.include({ type: 'dateTime', required: true });
    const location = field(events, 'location');
    expect(location.required).to.equal(true);
    expect(location.maxCardinality).to.equal(1);
    expect(location.embedded).to.equal(null);
    expect((location.reference as Resource | null)?.name, 'location → countries').to.equal('countries');
  });

  it('lists the collection operations from the entry point and the item operations from the class, PATCH first', () => {
    expect(operations(resource('events'))).to.deep.equal(['list:GET', 'create:POST', 'show:GET', 'edit:PATCH', 'edit:PUT', 'delete:DELETE']);
    // A country's DELETE depends on state: it is on the DeletableCountry class, not on Country.
    expect(operations(resource('countries'))).to.deep.equal(['list:GET', 'create:POST', 'show:GET', 'edit:PATCH', 'edit:PUT']);
    const create = resource('countries').operations!.find((o) => o.type === 'create')!;
    expect(create).to.include({ expects: `${SCHEMA}Country`, returns: `${SCHEMA}Country`, name: 'Create a Country' });
  });

  it('reads the search template\'s variables as the collection\'s parameters', async () => {
    const parameters = await resource('countries').getParameters!();
    expect(parameters.map((p) => p.variable)).to.deep.equal([
      'name', 'name_contains', 'capital', 'capital_contains', 'area', 'area_gte', 'area_lte', 'q', 'sort', 'page', 'pageSize',
    ]);
    expect(parameters.every((p) => p.required === false)).to.equal(true);
  });
});
