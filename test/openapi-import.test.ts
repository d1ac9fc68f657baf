/**
 * Issue 9 §4, the design-first path: an OpenAPI document of the kind the
 * Stoplight / Prism tutorials write becomes persistent Rung resources
 * (`rung serve --openapi spec.yaml`), and whatever cannot be mapped is
 * refused with a message naming its place in the document.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { parse as parseYaml, stringify } from 'yaml';
import { importOpenApi, OpenApiImportError, readOpenApiFile, type ImportedApi } from '../src/index.js';
import { CLI, pathOf, startCli, startLiveApi, type Child, type LiveApi } from './helpers.js';

type Json = Record<string, any>;
const COMPANIES = 'test/fixtures/openapi/companies.yaml';
const companies = () => parseYaml(readFileSync(COMPANIES, 'utf8')) as Json;

/** The problems importing `doc` reports (it must fail). */
async function refusal(doc: unknown): Promise<{ pointer: string; message: string }[]> {
  const error = await importOpenApi(doc, 'spec.yaml').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the import fails').to.be.instanceOf(OpenApiImportError);
  return (error as OpenApiImportError).problems;
}

describe('OpenAPI import: a Stoplight-style design served by Rung', () => {
  let api: LiveApi;
  let imported: ImportedApi;
  const json = { 'Content-Type': 'application/json' };

  before(async () => {
    imported = await readOpenApiFile(COMPANIES);
    api = await startLiveApi({ resources: imported.resources, title: imported.title, description: imported.description });
  });
  after(() => api?.stop());

  it('maps component schemas and CRUD paths to resources: fields, required, formats, relations, filters', () => {
    const [company, user] = imported.resources;
    expect(imported.title).to.equal('Companies API');
    expect(company).to.deep.include({ name: 'Company', segment: 'companies', filters: ['name'], sort: ['name'] });
    expect(company.schema).to.deep.equal({
      type: 'object',
      properties: { name: { type: 'string', minLength: 1, maxLength: 200, examples: ['Company One'] } },
      required: ['name'],
    });
    expect(user.name).to.equal('User');
    expect(Object.keys(user.schema.properties!)).to.deep.equal(['name', 'email', 'company']);
    expect(user.schema.properties!.email).to.deep.equal({ type: 'string', format: 'email' });
    expect(user.schema.required).to.deep.equal(['name', 'email', 'company']);
    expect(user.relations).to.deep.equal({ company: { resource: 'Company', onDelete: 'restrict', inverse: 'users' } });
    expect(user.filters).to.have.members(['company', 'name', 'email']);
  });

  it('create, read, filter, update and delete through the imported resources', async () => {
    const acme = await api.http.post('/companies').set(json).send({ name: 'Acme' }).expect(201);
    const globex = await api.http.post('/companies').set(json).send({ name: 'Globex' }).expect(201);
    // Nothing refers to Acme yet, so it may be deleted: it is also a DeletableCompany (issue 11 §3).
    expect((await api.http.get(pathOf(acme.headers.location)).expect(200)).body).to.deep.include({ '@type': ['Company', 'DeletableCompany'], name: 'Acme' });

    const ada = await api.http.post('/users').set(json).send({ name: 'Ada', email: 'ada@example.org', company: pathOf(acme.headers.location) }).expect(201);
    await api.http.post('/users').set(json).send({ name: 'Grace', email: 'grace@example.org', company: globex.headers.location }).expect(201);
    const read = (await api.http.get(pathOf(ada.headers.location)).set('Accept', 'application/json').expect(200)).body;
    expect(read).to.include({ name: 'Ada', email: 'ada@example.org', company: acme.headers.location });

    // Filters from the document's query parameters; the company links back to its users.
    const byCompany = (await api.http.get(`/users?company=${encodeURIComponent(acme.headers.location)}`).expect(200)).body;
    expect(byCompany.member.map((u: Json) => u.name)).to.deep.equal(['Ada']);
    expect((await api.http.get('/users?email=grace@example.org').expect(200)).body.member.map((u: Json) => u.name)).to.deep.equal(['Grace']);
    expect((await api.http.get('/companies?sort=-name').expect(200)).body.member.map((c: Json) => c.name)).to.deep.equal(['Globex', 'Acme']);
    const usersLink = (await api.http.get(pathOf(acme.headers.location)).expect(200)).body.users;
    expect((await api.http.get(pathOf(usersLink)).expect(200)).body.totalItems).to.equal(1);

    // The schema holds: required fields, formats, links to existing companies only.
    const bad = await api.http.post('/users').set(json).send({ name: 'Bob', email: 'not-an-email', company: '/companies/999' }).expect(422);
    expect(bad.body.violations.map((v: Json) => v.pointer)).to.have.members(['/email', '/company']);
    await api.http.get('/users?limit=5').expect(400);

    // Update (merge patch and full replacement), then delete.
    const etag = (await api.http.get(pathOf(ada.headers.location)).expect(200)).headers.etag;
    const patched = await api.http.patch(pathOf(ada.headers.location)).set('Content-Type', 'application/merge-patch+json').set('If-Match', etag).send({ company: globex.headers.location }).expect(200);
    expect(patched.body.company).to.equal(globex.headers.location);
    await api.http.put(pathOf(acme.headers.location)).set(json).send({ name: 'Acme Corp' }).expect(200);
    expect((await api.http.get(pathOf(acme.headers.location)).expect(200)).body.name).to.equal('Acme Corp');
    await api.http.delete(pathOf(globex.headers.location)).expect(409); // still the company of Ada and Grace
    await api.http.delete(pathOf(ada.headers.location)).expect(204);
    await api.http.get(pathOf(ada.headers.location)).expect(404);
    await api.http.delete(pathOf(acme.headers.location)).expect(204);
    expect((await api.http.get('/companies').expect(200)).body.member.map((c: Json) => c.name)).to.deep.equal(['Globex']);
  });

  it('the imported API describes itself in a valid OpenAPI 3.1 document', async () => {
    const doc = (await api.http.get('/openapi.json').expect(200)).body;
    expect((await new Validator().validate(doc)).valid).to.equal(true);
    expect(doc.info.title).to.equal('Companies API');
    expect(Object.keys(doc.paths)).to.include.members(['/companies', '/companies/{id}', '/users', '/users/{id}']);
    expect(doc.components.schemas.User.properties.company['x-rung-relation']).to.equal('Company');
  });
});

describe('OpenAPI import: the other ways to name a relation, nesting, OpenAPI 3.0', () => {
  const doc30 = {
    openapi: '3.0.3',
    info: { title: 'Events', version: '1' },
    paths: {
      '/venues': { get: { parameters: [{ name: 'capacity_gte', in: 'query', schema: { type: 'integer' } }], responses: { 200: { description: 'OK', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Venue' } } } } } } } },
      '/events': {
        get: { responses: { 200: { description: 'OK', content: { 'application/json': { schema: { type: 'object', properties: { data: { type: 'array', items: { $ref: '#/components/schemas/Event' } } } } } } } } },
        post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Event' } } } }, responses: { 201: { description: 'Created' } } },
      },
      '/events/{eventId}': {
        parameters: [{ name: 'eventId', in: 'path', required: true, schema: { type: 'integer' } }],
        get: { responses: { 200: { description: 'OK', content: { 'application/json': { schema: { $ref: '#/components/schemas/Event' } } } } } },
        delete: { responses: { 204: { description: 'Deleted' } } },
      },
      '/events/{eventId}/guests': {
        parameters: [{ name: 'eventId', in: 'path', required: true, schema: { type: 'integer' } }],
        get: { responses: { 200: { description: 'OK' } } },
        post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Guest' } } } }, responses: { 201: { description: 'Created' } } },
      },
      '/events/{eventId}/guests/{guestId}': {
        parameters: [
          { name: 'eventId', in: 'path', required: true, schema: { type: 'integer' } },
          { name: 'guestId', in: 'path', required: true, schema: { type: 'integer' } },
        ],
        get: { responses: { 200: { description: 'OK', content: { 'application/json': { schema: { $ref: '#/components/schemas/Guest' } } } } } },
      },
    },
    components: {
      schemas: {
        Venue: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, capacity: { type: 'integer', minimum: 0, exclusiveMinimum: true } }, required: ['name'] },
        Event: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            startDate: { type: 'string', format: 'date-time' },
            venueId: { type: 'integer', description: 'Where it is held' },
            organiser: { type: 'string', format: 'uri', 'x-rung-relation': '/venues', 'x-rung-on-delete': 'cascade', nullable: true },
          },
          required: ['name'],
        },
        Guest: { type: 'object', properties: { eventId: { type: 'integer' }, name: { type: 'string', nullable: true } } },
      },
    },
  };

  it('a <resource>Id property, x-rung-relation, an enveloped list, nested paths and 3.0 keywords', async () => {
    const { resources } = await importOpenApi(doc30);
    const [venue, event, guest] = resources;
    expect(venue).to.deep.include({ name: 'Venue', readOnly: true, filters: ['capacity'] });
    expect(venue.schema.properties!.capacity).to.deep.equal({ type: 'integer', exclusiveMinimum: 0 });
    expect(event.relations).to.deep.equal({
      venueId: { resource: 'Venue', onDelete: 'restrict', inverse: 'events' },
      organiser: { resource: 'Venue', onDelete: 'cascade' },
    });
    expect(event.schema.properties!.venueId).to.deep.include({ type: 'string', format: 'uri-reference', description: 'Where it is held' });
    expect(guest).to.deep.include({ name: 'Guest', segment: 'guests', parent: { resource: 'Event', term: 'eventId', inverse: 'guests' } });
    expect(guest.schema.properties).to.deep.equal({ name: { type: ['string', 'null'] } });

    const api = await startLiveApi({ resources });
    try {
      await api.rung.seed('Venue', [{ name: 'Hall', capacity: 300 }]);
      const event = await api.http.post('/events').set('Content-Type', 'application/json').send({ name: 'Launch', venueId: '/venues/1' }).expect(201);
      const guest = await api.http.post(`${pathOf(event.headers.location)}/guests`).set('Content-Type', 'application/json').send({ name: 'Ada' }).expect(201);
      expect(pathOf(guest.headers.location)).to.match(/^\/events\/\d+\/guests\/\d+$/);
      expect((await api.http.get(pathOf(guest.headers.location)).expect(200)).body.eventId).to.equal(event.headers.location);
      await api.http.get('/venues?capacity_gte=100').expect(200);
      await api.http.post('/venues').set('Content-Type', 'application/json').send({ name: 'x' }).expect(405);
    } finally {
      await api.stop();
    }
  });
});

describe('OpenAPI import: refusals name the place in the document', () => {
  const edit = (change: (doc: Json) => void) => {
    const doc = companies();
    change(doc);
    return doc;
  };

  const cases: [string, (doc: Json) => void, string, RegExp][] = [
    ['a path that is not a collection or an item', (d) => (d.paths['/companies/{companyId}/users/{userId}/avatar'] = { get: { responses: { 200: { description: 'OK' } } } }), '/paths/~1companies~1{companyId}~1users~1{userId}~1avatar', /Rung serves collections \(\/things\), their items \(\/things\/\{id\}\) and collections nested in an item/],
    ['a segment that is not lowercase', (d) => (d.paths['/Companies'] = d.paths['/companies']), '/paths/~1Companies', /"Companies" must be a lowercase path segment/],
    ['a paging parameter of another style', (d) => d.paths['/users'].get.parameters.push({ name: 'limit', in: 'query', schema: { type: 'integer' } }), '/paths/~1users/get/parameters/4', /query parameter "limit" names no field of User \(name, email, company\)\. Rung pages with "page" \(from 1\) and "pageSize"/],
    ['a read-only field other than the id', (d) => (d.components.schemas.User.properties.createdAt = { type: 'string', format: 'date-time', readOnly: true }), '/components/schemas/User/properties/createdAt', /is readOnly, but Rung computes no field of its own/],
    ['a format Rung does not validate', (d) => (d.components.schemas.User.properties.phone = { type: 'string', format: 'phone' }), '/components/schemas/User/properties/phone/format', /format "phone" is not one Rung validates \(known: .*email/],
    ['authentication', (d) => (d.security = [{ apiKey: [] }]), '/security', /Rung serves no authentication/],
    ['ids that are not integers', (d) => (d.paths['/users/{userId}'].parameters[0].schema = { type: 'string', format: 'uuid' }), '/paths/~1users~1{userId}/parameters/0/schema', /Rung identifies items by positive integer ids; \{userId\} cannot be "string" \(uuid\)/],
    ['an x-rung-relation that names nothing', (d) => (d.components.schemas.User.properties.mentor = { type: 'string', 'x-rung-relation': 'Mentor' }), '/components/schemas/User/properties/mentor/x-rung-relation', /names no collection of this document \(Company, User\)/],
    ['a body that is not JSON', (d) => (d.paths['/companies'].post.requestBody.content = { 'application/xml': { schema: { type: 'object' } } }), '/paths/~1companies/post/requestBody/content', /Rung reads JSON bodies .* not application\/xml/],
    ['a keyword Rung cannot honour', (d) => (d.components.schemas.Company.properties.tags = { type: 'array', prefixItems: [{ type: 'string' }] }), '/components/schemas/Company/properties/tags/prefixItems', /keyword "prefixItems" is not supported in a field schema/],
    ['a list of other resources', (d) => (d.components.schemas.Company.properties.staff = { type: 'array', items: { $ref: '#/components/schemas/User' } }), '/components/schemas/Company/properties/staff', /is a list of other resources/],
    ['a write-only field', (d) => (d.components.schemas.User.properties.password = { type: 'string', writeOnly: true }), '/components/schemas/User/properties/password', /is writeOnly, but Rung shows every stored field/],
    ['DELETE on a collection', (d) => (d.paths['/users'].delete = { responses: { 204: { description: 'Gone' } } }), '/paths/~1users/delete', /Rung answers GET, POST on a collection, not DELETE/],
    ['a header parameter of its own', (d) => d.paths['/users'].post.parameters = [{ name: 'X-Tenant', in: 'header', schema: { type: 'string' } }], '/paths/~1users/post/parameters/0', /Rung reads no header parameter "X-Tenant" here/],
    ['a $ref into another file', (d) => (d.components.schemas.User.properties.address = { $ref: 'common.yaml#/Address' }), '/components/schemas/User/properties/address/$ref', /points outside this document; bundle the document into one file first/],
    ['a schema ajv would refuse at start', (d) => (d.components.schemas.Company.properties.code = { minLength: 2 }), '/components/schemas/Company/properties/code', /cannot be validated: missing type "string" for keyword "minLength"/],
  ];
  for (const [what, change, at, message] of cases) {
    it(`refuses ${what}`, async () => {
      const problems = await refusal(edit(change));
      const problem = problems.find((p) => p.pointer === at);
      expect(problem, `a problem at ${at} among ${JSON.stringify(problems)}`).to.not.equal(undefined);
      expect(problem!.message).to.match(message);
    });
  }

  it('refuses a document that is not valid OpenAPI, in the validator\'s words, located', async () => {
    const problems = await refusal(edit((d) => delete d.info));
    expect(problems).to.deep.include({ pointer: '', message: 'must have "info" (OpenAPI schema)' });
    const swagger = await refusal({ swagger: '2.0', info: { title: 'x', version: '1' }, paths: {} });
    expect(swagger).to.deep.equal([{ pointer: '/openapi', message: 'must be an OpenAPI 3.0 or 3.1 version ("3.1.0"), not "2.0"' }]);
  });

  it('a file that is not YAML is refused with its line and column; every problem is listed at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rung-openapi-'));
    try {
      const file = join(dir, 'spec.yaml');
      writeFileSync(file, 'openapi: 3.1.0\ninfo:\n  title: [unclosed\n');
      const error = await readOpenApiFile(file).catch((e: Error) => e);
      expect(error).to.be.instanceOf(OpenApiImportError);
      expect((error as Error).message).to.match(/^Cannot serve .*spec\.yaml: it is not well-formed YAML or JSON\n {2}\/: line \d+, column \d+: Flow sequence/);
      const several = await refusal(edit((d) => {
        d.security = [{ key: [] }];
        d.paths['/Companies'] = d.paths['/companies'];
      }));
      expect(several.map((p) => p.pointer)).to.include.members(['/security', '/paths/~1Companies']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('rung serve --openapi', () => {
  let dir: string;
  let child: Child | undefined;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rung-openapi-cli-'));
  });
  after(async () => {
    if (child) {
      child.process.kill('SIGTERM');
      await child.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the resources of the document', async () => {
    child = await startCli(['--anonymous', 'write', '--openapi', COMPANIES, '--db', join(dir, 'api.db')], { LOG_LEVEL: 'silent' });
    const created = await fetch(`${child.url}/companies`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Initech' }) });
    expect(created.status).to.equal(201);
    const page = await (await fetch(`${child.url}/companies?name=Initech`)).json();
    expect(page.totalItems).to.equal(1);
    expect((await (await fetch(`${child.url}/openapi.json`)).json()).info.title).to.equal('Companies API');
  });

  it('exits 1 with one line per problem and no stack trace when the document cannot be mapped', () => {
    const doc = companies();
    doc.paths['/users'].get.parameters.push({ name: 'q', in: 'query', schema: { type: 'string' } });
    doc.components.schemas.User.properties.createdAt = { type: 'string', readOnly: true };
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, stringify(doc));
    const out = spawnSync(process.execPath, [...CLI, 'serve', '--port', '0', '--openapi', file, '--db', join(dir, 'bad.db')], { encoding: 'utf8', timeout: 20_000 });
    expect(out.status).to.equal(1);
    expect(out.stdout).to.equal('');
    const lines = out.stderr.trim().split('\n');
    expect(lines[0]).to.equal(`Cannot serve ${file}: 2 things in it cannot be mapped to Rung resources`);
    expect(lines.slice(1)).to.have.members([
      '  /components/schemas/User/properties/createdAt: is readOnly, but Rung computes no field of its own (only "id", which becomes the item\'s IRI); leave it out or make it writable',
      `  /paths/~1users/get/parameters/4: query parameter "q" names no field of User (name, email, company). Rung filters by a field's name, by <field>_gte / <field>_lte, sorts with "sort" and pages with "page" and "pageSize"`,
    ]);
    expect(out.stderr).to.not.match(/\n\s+at /);
  });

  it('a missing file is one line too', () => {
    const out = spawnSync(process.execPath, [...CLI, 'serve', '--port', '0', '--openapi', join(dir, 'nope.yaml'), '--db', join(dir, 'x.db')], { encoding: 'utf8', timeout: 20_000 });
    expect(out.status).to.equal(1);
    expect(out.stderr.trim()).to.equal(`Cannot serve ${join(dir, 'nope.yaml')}: the file cannot be read\n  /: cannot be read (ENOENT)`);
  });
});
