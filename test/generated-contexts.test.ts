/**
 * Issue 9 §3: a resource without a context file gets a JSON-LD context
 * generated from its definition — fields in the API's vocabulary unless
 * `iris` maps them elsewhere, links typed @id, dates typed — and such an API
 * starts from any working directory.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import jsonld from 'jsonld';
import { createRung, defineResource, type ResourceDefinition } from '../src/index.js';
import { contextLoader, pathOf, startLiveApi, type LiveApi } from './helpers.js';

const SCHEMA = 'https://schema.org/';

const author = defineResource({
  name: 'Author',
  segment: 'authors',
  iris: { Author: 'schema:Person', name: 'schema:name', books: 'schema:workExample' },
  schema: { type: 'object', properties: { name: { type: 'string' }, born: { type: 'string', format: 'date' } }, required: ['name'] },
});
const book = defineResource({
  name: 'Book',
  segment: 'books',
  iris: { Book: 'https://schema.org/Book' },
  schema: {
    type: 'object',
    properties: {
      title: { type: 'string' },
      published: { type: 'string', format: 'date-time' },
      author: { type: 'string', format: 'uri-reference' },
    },
    required: ['title'],
  },
  relations: { author: { resource: 'Author', onDelete: 'cascade', inverse: 'books' } },
});
const chapter = defineResource({
  name: 'BookChapter',
  segment: 'chapters',
  schema: { type: 'object', properties: { heading: { type: 'string' } } },
  parent: { resource: 'Book', term: 'book', inverse: 'chapters' },
});

describe('generated JSON-LD contexts', () => {
  let api: LiveApi;
  before(async () => {
    api = await startLiveApi({ resources: [author, book, chapter] });
  });
  after(() => api.stop());

  it('serves a context per resource: vocab terms by default, iris where given, links @id, dates typed', async () => {
    const res = await api.http.get('/contexts/book.jsonld').set('Accept', 'application/ld+json').expect(200);
    const context = res.body['@context'];
    expect(context.vocab).to.equal(`${api.url}/docs#`);
    expect(context.Book).to.equal('https://schema.org/Book');
    expect(context.title).to.equal('vocab:title');
    expect(context.published).to.deep.equal({ '@id': 'vocab:published', '@type': 'xsd:dateTime' });
    expect(context.author).to.deep.equal({ '@id': 'vocab:author', '@type': '@id' });
    expect(context.chapters).to.deep.equal({ '@id': 'vocab:chapters', '@type': '@id' });
    const authorContext = (await api.http.get('/contexts/author.jsonld').expect(200)).body['@context'];
    expect(authorContext).to.include({ Author: 'schema:Person', name: 'schema:name' });
    expect(authorContext.born).to.deep.equal({ '@id': 'vocab:born', '@type': 'xsd:date' });
    expect(authorContext.books).to.deep.equal({ '@id': 'schema:workExample', '@type': '@id' });
    expect((await api.http.get('/contexts/book-chapter.jsonld').expect(200)).body['@context'].book).to.deep.equal({ '@id': 'vocab:book', '@type': '@id' });
  });

  it('items expand to the mapped IRIs (checked by jsonld.js against the served contexts)', async () => {
    const created = await api.http.post('/authors').set('Content-Type', 'application/json').send({ name: 'Ursula', born: '1929-10-21' }).expect(201);
    const bookRes = await api.http
      .post('/books')
      .set('Content-Type', 'application/json')
      .send({ title: 'The Dispossessed', published: '1974-05-01T00:00:00Z', author: created.headers.location })
      .expect(201);
    const book = (await api.http.get(pathOf(bookRes.headers.location)).set('Accept', 'application/ld+json').expect(200)).body;
    const [node] = (await jsonld.expand(book, { documentLoader: contextLoader({ base: api.url, http: api.http }) as never })) as Record<string, unknown>[];
    const vocab = `${api.url}/docs#`;
    expect(node['@type']).to.deep.equal([`${SCHEMA}Book`]);
    expect(node[`${vocab}title`]).to.deep.equal([{ '@value': 'The Dispossessed' }]);
    expect(node[`${vocab}published`]).to.deep.equal([{ '@value': '1974-05-01T00:00:00Z', '@type': 'http://www.w3.org/2001/XMLSchema#dateTime' }]);
    expect(node[`${vocab}author`]).to.deep.equal([{ '@id': created.headers.location }]);
    const authorNode = (await api.http.get(pathOf(created.headers.location)).set('Accept', 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"').expect(200)).body[0];
    expect(authorNode['@type']).to.deep.equal([`${SCHEMA}Person`]);
    expect(authorNode[`${SCHEMA}name`]).to.deep.equal([{ '@value': 'Ursula' }]);
    expect(authorNode[`${SCHEMA}workExample`][0]['@id']).to.match(/\/books\?author=\d+$/);
  });

  it('the API documentation describes the generated terms', async () => {
    const docs = (await api.http.get('/docs').set('Accept', 'application/ld+json').expect(200)).body;
    const bookClass = docs.supportedClass.find((c: { '@id': string }) => c['@id'] === 'https://schema.org/Book');
    expect(bookClass.supportedProperty.map((p: { property: { '@id': string } }) => p.property['@id'])).to.include(`${api.url}/docs#title`);
  });
});

describe('generated contexts: declaration errors', () => {
  const start = (definition: Partial<ResourceDefinition>) =>
    createRung({
      db: ':memory:',
      resources: [{ name: 'Thing', segment: 'things', schema: { type: 'object', properties: { label: { type: 'string' } } }, ...definition } as ResourceDefinition],
    });

  it('an iri for a term the resource does not have fails the start, naming the terms it has', async () => {
    const error = await start({ iris: { lable: 'schema:name' } }).then(() => undefined, (e: Error) => e);
    expect(error?.message).to.equal('Resource Thing: iris.lable: Thing has no term "lable" (its terms: Thing, label)');
  });

  it('an iri with an unknown prefix fails the start, naming the known ones', async () => {
    const error = await start({ iris: { label: 'foaf:name' } }).then(() => undefined, (e: Error) => e);
    expect(error?.message).to.match(/^Resource Thing: iris\.label: "foaf:name" is neither an absolute IRI .* known prefix \(hydra:, schema:/);
  });

  it('iris next to a hand-written context file is refused: the file defines the terms', async () => {
    const error = await start({ context: 'thing.jsonld', iris: { label: 'schema:name' } }).then(() => undefined, (e: Error) => e);
    expect(error?.message).to.match(/"iris" is for generated contexts/);
  });
});

describe('an API with generated contexts', () => {
  it('starts and answers from any working directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rung-cwd-'));
    try {
      const script = join(dir, 'api.mts');
      writeFileSync(
        script,
        `import { createRung, defineResource } from ${JSON.stringify(resolve('src/index.ts'))};
import supertest from ${JSON.stringify(resolve('node_modules/supertest/index.js'))};
const note = defineResource({ name: 'Note', segment: 'notes', schema: { type: 'object', properties: { text: { type: 'string' } } } });
const rung = await createRung({ auth: { anonymous: 'write' }, resources: [note], db: ':memory:' });
const res = await supertest(rung.app.callback()).post('/notes').set('Content-Type', 'application/json').send({ text: 'hi' });
console.log(res.status, res.body['@context']);
`,
      );
      const out = spawnSync(process.execPath, ['--import', resolve('node_modules/tsx/dist/esm/index.mjs'), script], { cwd: dir, encoding: 'utf8' });
      expect(out.stderr).to.equal('');
      expect(out.stdout.trim()).to.match(/^201 http:\/\/127\.0\.0\.1:\d+\/contexts\/note\.jsonld$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reserved segments', () => {
  it('a top-level resource may not take a path Rung serves itself', async () => {
    for (const segment of ['docs', 'levels', 'problems']) {
      const error = await createRung({
        db: ':memory:',
        resources: [{ name: 'Thing', segment, schema: { type: 'object', properties: { label: { type: 'string' } } } }],
      }).then(() => undefined, (e: Error) => e);
      expect(error?.message, segment).to.equal(
        `Resource Thing: the segment "${segment}" is a path Rung serves itself (/docs, /contexts, /problems, /assets, /levels, /health); choose another`,
      );
    }
  });
});
