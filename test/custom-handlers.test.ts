/**
 * Issue 2 §1, 5: resources declared through the public API, custom handlers
 * rendered like generic ones, and schema migration at start.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import supertest from 'supertest';
import { createRung, defineResource, HttpError, type ResourceDefinition } from '../src/index.js';

const CONTEXTS = 'test/fixtures/contexts';

const noteV1 = (handlers?: ResourceDefinition['handlers']) =>
  defineResource({
    name: 'Note',
    segment: 'notes',
    context: 'note.jsonld',
    schema: { type: 'object', properties: { text: { type: 'string', minLength: 1 } }, required: ['text'] },
    filters: ['text'],
    handlers,
  });

async function start(resources: ResourceDefinition[], db: string) {
  const rung = await createRung({ auth: { anonymous: 'write' }, resources, db, contextsDir: CONTEXTS });
  const server = createServer(rung.app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    http: supertest(server),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rung.close();
    },
  };
}

describe('resources declared through the public API', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rung-custom-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a custom Falcon-style handler replaces one method and is rendered like the generic ones', async () => {
    const api = await start(
      [
        noteV1({
          item: {
            // Decorate the generic GET: same representation, plus a header of our own.
            async get(request) {
              request.ctx.set('X-Handled-By', 'custom');
              return request.generic.item.get(request);
            },
          },
          collection: {
            async post(request) {
              const body = request.body as { text?: string };
              if (body.text?.includes('spam')) throw new HttpError(422, { type: 'validation-failed', detail: 'No spam, please.' });
              return request.generic.collection.post(request);
            },
          },
        }),
      ],
      join(dir, 'notes.db'),
    );
    try {
      const spam = await api.http.post('/notes').set('Content-Type', 'application/json').send({ text: 'buy spam' }).expect(422);
      expect(spam.headers['content-type']).to.equal('application/problem+json');
      expect(spam.body.detail).to.equal('No spam, please.');
      const created = await api.http.post('/notes').set('Content-Type', 'application/json').send({ text: 'hello' }).expect(201);
      const path = new URL(created.headers.location).pathname;
      const got = await api.http.get(path).expect(200);
      expect(got.headers['x-handled-by']).to.equal('custom');
      // Every GET reaches the custom handler: its responses are not reused whole.
      const again = await api.http.get(path).expect(200);
      expect(again.headers['x-handled-by']).to.equal('custom');
      expect(again.headers.etag).to.equal(got.headers.etag);
      expect(got.body).to.include({ '@type': 'Note', text: 'hello' });
      expect(got.headers.etag).to.match(/-jsonld"$/);
      const ttl = await api.http.get(path).set('Accept', 'text/turtle').expect(200);
      expect(ttl.text).to.include('schema:NoteDigitalDocument');
      expect(ttl.headers.etag).to.match(/-ttl"$/);
      await api.http.get(path).set('If-None-Match', got.headers.etag).expect(304);
      // The generic handlers still serve the methods not replaced.
      await api.http.delete(path).expect(204);
    } finally {
      await api.close();
    }
  });

  it('creates the schema at start and migrates it when a definition gains a field, keeping the data', async () => {
    const db = join(dir, 'migrate.db');
    const first = await start([noteV1()], db);
    let path: string;
    try {
      const created = await first.http.post('/notes').set('Content-Type', 'application/json').send({ text: 'kept' }).expect(201);
      path = new URL(created.headers.location).pathname;
    } finally {
      await first.close();
    }
    const noteV2 = defineResource({
      ...noteV1(),
      schema: {
        type: 'object',
        properties: { text: { type: 'string', minLength: 1 }, stars: { type: 'integer', minimum: 0, maximum: 5 } },
        required: ['text'],
      },
      filters: ['text', 'stars'],
    });
    const second = await start([noteV2], db);
    try {
      const old = await second.http.get(path).expect(200);
      expect(old.body).to.include({ text: 'kept' });
      expect(old.body).to.not.have.property('stars');
      await second.http.patch(path).set('Content-Type', 'application/json').send({ stars: 4 }).expect(200);
      const rated = await second.http.get('/notes?stars_gte=3').expect(200);
      expect(rated.body.member.map((m: { text: string }) => m.text)).to.deep.equal(['kept']);
      await second.http.patch(path).set('Content-Type', 'application/json').send({ stars: 9 }).expect(422);
    } finally {
      await second.close();
    }
  });

  it('refuses to start when a context file does not define a term the resource uses', async () => {
    const broken = defineResource({ ...noteV1(), schema: { type: 'object', properties: { text: { type: 'string' }, mood: { type: 'string' } } } });
    let error: Error | undefined;
    try {
      await createRung({ resources: [broken], db: join(dir, 'broken.db'), contextsDir: CONTEXTS });
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).to.equal('test/fixtures/contexts/note.jsonld does not define mood (used by Note)');
  });
});
