/**
 * Issue 9 §4: the OpenAPI 3.1 document generated from the resource
 * declarations — valid for a real validator, served with an ETag, linked
 * from the entry point and the API documentation (RFC 8631), and in step
 * with the collections' search templates, read-only resources, custom
 * handlers and the precondition policy. (test/openapi-walk.test.ts calls
 * every operation it lists.)
 */
import { expect } from 'chai';
import { Validator } from '@seriousme/openapi-schema-validator';
import LinkHeader from 'http-link-header';
import supertest from 'supertest';
import { parse as parseYaml } from 'yaml';
import { createRung, defineResource } from '../src/index.js';
import { startTestApi, type TestApi } from './helpers.js';

type Json = Record<string, any>;

async function validate(document: unknown) {
  return new Validator().validate(structuredClone(document) as Json);
}

const serviceDesc = (link: string | undefined) => LinkHeader.parse(link ?? '').rel('service-desc');

describe('OpenAPI: the generated document', () => {
  let api: TestApi;
  let doc: Json;
  before(async () => {
    api = await startTestApi({ seed: false });
    doc = (await api.http.get('/openapi.json').expect(200)).body;
  });
  after(() => api.close());

  it('is a valid OpenAPI 3.1 document (checked by @seriousme/openapi-schema-validator)', async () => {
    expect(doc.openapi).to.equal('3.1.1');
    const result = await validate(doc);
    expect(result.errors, JSON.stringify(result.errors)).to.equal(undefined);
    expect(result.valid).to.equal(true);
  });

  it('the validator is not a rubber stamp: it refuses a broken copy', async () => {
    const broken = structuredClone(doc);
    delete broken.paths['/countries'].get.responses;
    broken.paths['/countries/{id}'].get.parameters.push({ name: 'x', in: 'nowhere' });
    expect((await validate(broken)).valid).to.equal(false);
    const dangling = structuredClone(doc);
    dangling.paths['/countries'].post.requestBody.content['application/json'].schema = { $ref: '#/components/schemas/Nothing' };
    expect((await validate(dangling)).valid).to.equal(false);
  });

  it('describes every resource path with its methods, parameters, bodies and problem types', () => {
    expect(Object.keys(doc.paths)).to.include.members(['/', '/docs', '/contexts/{file}', '/problems/{slug}', '/openapi.json', '/countries', '/countries/{id}', '/events/{eventId}/guests', '/events/{eventId}/guests/{id}']);
    const item = doc.paths['/countries/{id}'];
    expect(Object.keys(item).filter((k) => k !== 'parameters')).to.have.members(['get', 'head', 'put', 'patch', 'delete', 'options']);
    expect(Object.keys(item.patch.requestBody.content)).to.have.members(['application/merge-patch+json', 'application/ld+json', 'application/json']);
    expect(item.put.parameters.map((p: Json) => p.name)).to.include.members(['If-Match', 'If-None-Match']);
    expect(item.get.parameters.map((p: Json) => p.name)).to.include('If-None-Match');
    expect(Object.keys(item.get.responses)).to.deep.equal(['200', '304', '404', '406', '412', '503']);
    expect(Object.keys(item.get.responses[200].content)).to.include.members(['application/ld+json', 'application/json', 'text/turtle; charset=utf-8', 'text/html; charset=utf-8']);
    // DELETE of a country is refused while an event is held there.
    expect(item.delete.responses).to.have.property('409');
    expect(doc.paths['/events/{id}'].delete.responses).to.not.have.property('409');
    // Without --require-preconditions nothing answers 428.
    expect(JSON.stringify(doc.paths)).to.not.include('Problem428');
    // Relations are named, for clients and for the import.
    expect(doc.components.schemas.Event.properties.location['x-rung-relation']).to.equal('Country');
    // A merge patch has no required fields; null removes an optional one (capital), never a required one (name).
    expect(doc.components.schemas.CountryPatch).to.not.have.property('required');
    expect(doc.components.schemas.CountryPatch.properties.capital.anyOf[1]).to.deep.include({ type: 'null' });
    expect(doc.components.schemas.CountryPatch.properties.name.type).to.equal('string');
    // Problem types: each status lists the types it comes with.
    const types415 = doc.components.responses.Problem415.content['application/problem+json'].schema.properties.type.enum;
    expect(types415).to.have.members([`${api.base}/problems/unsupported-media-type`, `${api.base}/problems/unsupported-content-encoding`]);
    expect(doc.components.responses.Problem404.content['application/problem+json'].schema.properties.type.enum).to.deep.equal(['about:blank']);
  });

  it('lists exactly the parameters of each collection\'s hydra:search template', async () => {
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      if (!item.get?.operationId.endsWith('Collection')) continue;
      const concrete = path.replace(/\{[^}]+\}/g, '1');
      if (concrete !== path) await api.http.post('/countries').set('Content-Type', 'application/json').send({ name: 'Narnia' });
      if (concrete.startsWith('/events/1/')) {
        await api.http.post('/events').set('Content-Type', 'application/json').send({ name: 'E', startDate: '2030-01-01T00:00:00Z', location: '/countries/1' });
      }
      const page = (await api.http.get(concrete).set('Accept', 'application/ld+json').expect(200)).body;
      const variables = /\{\?([^}]+)\}/.exec(page.search.template)![1].split(',');
      const documented = item.get.parameters.filter((p: Json) => p.in === 'query').map((p: Json) => p.name);
      expect(documented, path).to.deep.equal(variables);
    }
  });

  it('is served with an ETag, answers 304, and comes as YAML when asked for', async () => {
    const res = await api.http.get('/openapi.json').expect(200);
    expect(res.headers['content-type']).to.equal('application/json');
    expect(res.headers.etag).to.match(/^"[^"]+"$/);
    await api.http.get('/openapi.json').set('If-None-Match', res.headers.etag).expect(304);
    const oai = await api.http.get('/openapi.json').set('Accept', 'application/vnd.oai.openapi+json').expect(200);
    expect(oai.headers['content-type']).to.equal('application/vnd.oai.openapi+json;version=3.1');
    expect(oai.headers.etag).to.not.equal(res.headers.etag);
    const yaml = await api.http.get('/openapi.json').set('Accept', 'application/yaml').expect(200);
    expect(yaml.headers['content-type']).to.equal('application/yaml');
    expect(parseYaml(yaml.text)).to.deep.equal(doc);
    const refused = await api.http.get('/openapi.json').set('Accept', 'text/turtle').expect(406);
    expect(refused.body.available).to.include('application/yaml');
  });

  it('is linked from the entry point and the API documentation (rel="service-desc", RFC 8631)', async () => {
    for (const path of ['/', '/docs']) {
      const res = await api.http.get(path).set('Accept', 'application/ld+json').expect(200);
      const [link] = serviceDesc(res.headers.link);
      expect(link?.uri, `${path} Link`).to.equal(`${api.base}/openapi.json`);
      expect(link?.type).to.equal('application/vnd.oai.openapi+json;version=3.1');
      expect(res.body['rdfs:seeAlso']).to.deep.equal({ '@id': `${api.base}/openapi.json` });
    }
    // A client that follows the link gets the document.
    const [link] = serviceDesc((await api.http.get('/').expect(200)).headers.link);
    expect((await api.http.get(new URL(link.uri).pathname).expect(200)).body.openapi).to.equal('3.1.1');
  });
});

describe('OpenAPI: read-only resources, custom handlers, required preconditions', () => {
  const note = defineResource({
    name: 'Note',
    segment: 'notes',
    schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    readOnly: true,
  });
  const tag = defineResource({
    name: 'Tag',
    segment: 'tags',
    schema: { type: 'object', properties: { label: { type: 'string' } }, required: ['label'] },
    handlers: {
      collection: {
        async post(request) {
          return request.generic.collection.post(request);
        },
      },
    },
  });

  it('documents only GET, HEAD and OPTIONS for a read-only resource; a custom handler keeps the methods', async () => {
    const rung = await createRung({ auth: { anonymous: 'write' }, resources: [note, tag], db: ':memory:' });
    try {
      const http = supertest(rung.app.callback());
      const doc = (await http.get('/openapi.json').expect(200)).body;
      expect((await validate(doc)).valid).to.equal(true);
      expect(Object.keys(doc.paths['/notes']).filter((k) => k !== 'parameters')).to.have.members(['get', 'head', 'options']);
      expect(Object.keys(doc.paths['/notes/{id}']).filter((k) => k !== 'parameters')).to.have.members(['get', 'head', 'options']);
      expect(doc.components.schemas).to.not.have.property('NotesInput');
      await http.post('/notes').set('Content-Type', 'application/json').send({ text: 'x' }).expect(405);
      expect(Object.keys(doc.paths['/tags']).filter((k) => k !== 'parameters')).to.have.members(['get', 'head', 'post', 'options']);
      expect((await http.options('/tags').expect(204)).headers.allow).to.equal('GET, HEAD, POST, OPTIONS');
    } finally {
      await rung.close();
    }
  });

  it('lists 428 for writes when the server requires If-Match, and the server answers it', async () => {
    const rung = await createRung({ auth: { anonymous: 'write' }, resources: [tag], db: ':memory:', requirePreconditions: true });
    try {
      const http = supertest(rung.app.callback());
      const doc = (await http.get('/openapi.json').expect(200)).body;
      for (const method of ['put', 'patch', 'delete']) expect(doc.paths['/tags/{id}'][method].responses, method).to.have.property('428');
      expect(doc.paths['/tags'].post.responses).to.not.have.property('428');
      const created = await http.post('/tags').set('Content-Type', 'application/json').send({ label: 'a' }).expect(201);
      const res = await http.put(new URL(created.headers.location).pathname).set('Content-Type', 'application/json').send({ label: 'b' });
      expect(res.status).to.equal(428);
      const slugs = doc.components.responses.Problem428.content['application/problem+json'].schema.properties.type.enum.map((t: string) => t.replace(/^.*\/problems\//, ''));
      expect(slugs).to.deep.equal(['precondition-required']);
      expect(res.body.type).to.match(/\/problems\/precondition-required$/);
    } finally {
      await rung.close();
    }
  });
});
