/**
 * Issue 9 §2: APIs declared in a file. `rung serve api.yaml` serves what the
 * file declares (fields, relations, nesting, filters, sort, read-only, page
 * sizes, seed rows, settings), with paths relative to the file; a flag or a
 * variable wins over the file, the file over the defaults; a bad file gets
 * one line per problem naming its path and line, no stack trace, exit 1;
 * `rung init` writes a starting file and never overwrites one; and the file
 * form covers everything the TypeScript example uses.
 */
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import supertest from 'supertest';
import { createExampleApi } from '../src/example/index.js';
import { ApiFileError, createRungFromFile, loadApiFile, type Rung } from '../src/index.js';
import { CLI } from './helpers.js';

const ROOT = resolve('.');
/** The CLI from any working directory: tsx and the entry file by absolute location. */
const RUNG = ['--import', import.meta.resolve('tsx'), join(ROOT, CLI[2])];

const BOOKSHOP = `# A bookshop: authors, their books, reviews nested in each book, and read-only genres.
title: Bookshop
description: Authors, books and reviews.
db: data/shop.db
port: 0
auth: { anonymous: write }      # an open API (issue 14's auth has tests of its own)
logLevel: silent
paging: { defaultPageSize: 10 }
seed:
  Genre: genres.yaml
  Author:
    - { name: Ursula K. Le Guin, born: 1929-10-21 }
resources:
  Genre:
    segment: genres
    readOnly: true
    fields: { label: string }
    required: [label]
    sort: [label]
    defaultSort: label
  Author:
    segment: authors
    iris: { Author: 'schema:Person', name: 'schema:name' }
    fields:
      name: { type: string, minLength: 1 }
      born: date
    required: [name]
    filters: [name, born]
    sort: [name, born]
  Book:
    segment: books
    title: Books
    description: A book by one author.
    fields:
      title: { type: string, minLength: 1 }
      pages: { type: integer, minimum: 1 }
      genre: string
    relations:
      author: { resource: Author, inverse: books }
    required: [title, author]
    filters: [title, author, pages]
    sort: [title, pages]
    defaultSort: title
    paging: { defaultPageSize: 2, maxPageSize: 3 }
  Review:
    segment: reviews
    parent: { resource: Book, term: book, inverse: reviews }
    fields:
      stars: { type: integer, minimum: 1, maximum: 5 }
    required: [stars]
    filters: [stars]
`;

interface Served {
  url: string;
  lines: string[];
  stop(): Promise<number | null>;
}

/** `rung serve <args>` in `cwd`, with exactly `env` on top of PATH; resolves on its "listening" line. */
function serve(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [...RUNG, 'serve', ...args], {
    cwd,
    env: { PATH: process.env.PATH!, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdout!.on('data', (d) => {
      buffer += d;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        lines.push(line);
        const m = /^Rung listening on (http:\/\/\S+)/.exec(line);
        if (m) resolve({ url: m[1], lines, stop: () => (child.kill('SIGTERM'), exited) });
      }
    });
    exited.then((code) => reject(new Error(`rung serve exited with ${code}: ${stderr}`)));
  });
}

/** `rung <args>` to completion. */
const run = (args: string[], cwd: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [...RUNG, ...args], { cwd, env: { PATH: process.env.PATH!, ...env }, encoding: 'utf8' });

describe('APIs declared in a file', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rung-api-file-'));
    mkdirSync(join(dir, 'api'));
    mkdirSync(join(dir, 'elsewhere'));
    writeFileSync(join(dir, 'api', 'shop.yaml'), BOOKSHOP);
    writeFileSync(join(dir, 'api', 'genres.yaml'), '- { label: Science fiction }\n- { label: Fantasy }\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rung serve api.yaml: create, read, filter, sort, page, update, delete; paths relative to the file', async () => {
    // Started from another folder: the database and the seed file are found beside the API file.
    const server = await serve(['../api/shop.yaml'], join(dir, 'elsewhere'));
    const http = supertest(server.url);
    try {
      expect(new URL(server.url).port).to.not.equal('3000'); // the file's port: 0 won over the default 3000
      expect(existsSync(join(dir, 'api', 'data', 'shop.db'))).to.equal(true);
      expect(existsSync(join(dir, 'elsewhere', 'data'))).to.equal(false);

      const entry = await http.get('/').expect(200);
      expect(entry.body).to.include({ genres: `${server.url}/genres`, authors: `${server.url}/authors`, books: `${server.url}/books` });
      const docs = await http.get('/docs').set('Accept', 'application/ld+json').expect(200);
      expect(docs.body).to.include({ title: 'Bookshop', description: 'Authors, books and reviews.' });

      // Seeded: genres from genres.yaml (read-only: writes are 405), one author inline.
      const genres = await http.get('/genres').expect(200);
      expect(genres.body.member.map((g: { label: string }) => g.label)).to.deep.equal(['Fantasy', 'Science fiction']);
      await http.post('/genres').send({ label: 'Poetry' }).expect(405);
      const ursula = (await http.get('/authors?name=Ursula K. Le Guin').expect(200)).body.member[0];
      expect(ursula).to.include({ '@type': 'Author', born: '1929-10-21' });
      const authorContext = (await http.get('/contexts/author.jsonld').expect(200)).body['@context'];
      expect(authorContext).to.include({ Author: 'schema:Person', name: 'schema:name' });

      // Create: a book links to its author by IRI, by path or by bare id.
      const authorPath = new URL(ursula['@id']).pathname;
      const created: string[] = [];
      for (const [title, author, pages] of [['The Dispossessed', ursula['@id'], 387], ['The Left Hand of Darkness', authorPath, 286], ['The Lathe of Heaven', Number(authorPath.split('/').pop()), 184]] as const) {
        const res = await http.post('/books').send({ title, author, pages, genre: 'Science fiction' }).expect(201);
        expect(res.body.author).to.equal(ursula['@id']);
        created.push(res.headers.location);
      }
      // Read.
      const book = await http.get(new URL(created[0]).pathname).expect(200);
      expect(book.body).to.include({ '@type': 'Book', title: 'The Dispossessed', pages: 387, author: ursula['@id'], reviews: `${created[0]}/reviews` });
      // Filter, sort, and the resource's own page sizes (2 a page, at most 3).
      const long = await http.get('/books?pages_gte=250&sort=-pages').expect(200);
      expect(long.body.member.map((b: { title: string }) => b.title)).to.deep.equal(['The Dispossessed', 'The Left Hand of Darkness']);
      const byAuthor = await http.get(`/books?author=${encodeURIComponent(ursula['@id'])}`).expect(200);
      expect(byAuthor.body.totalItems).to.equal(3);
      expect(byAuthor.body.member).to.have.length(2);
      expect((await http.get('/books?pageSize=50').expect(200)).body.member).to.have.length(3);
      expect((await http.get('/authors?pageSize=50').expect(200)).body.member).to.have.length(1);
      await http.get('/books?genre=x').expect(400);

      // Nested: reviews of a book.
      const review = await http.post(`${new URL(created[0]).pathname}/reviews`).send({ stars: 5 }).expect(201);
      expect(review.body.book).to.equal(created[0]);
      const refused = await http.post(`${new URL(created[0]).pathname}/reviews`).send({ stars: 6 }).expect(422);
      expect(refused.body.violations).to.deep.equal([{ pointer: '/stars', message: 'must be at most 5, not 6' }]);
      // Update.
      const etag = book.headers.etag;
      const patched = await http.patch(new URL(created[0]).pathname).set('If-Match', etag).set('Content-Type', 'application/merge-patch+json').send({ pages: 400 }).expect(200);
      expect(patched.body.pages).to.equal(400);
      // Delete: the author is still linked (restrict by default): 409; the book goes, its reviews with it.
      await http.delete(authorPath).expect(409);
      await http.delete(new URL(created[0]).pathname).expect(204);
      await http.get(new URL(review.headers.location).pathname).expect(404);
      await http.get(new URL(created[0]).pathname).expect(404);
    } finally {
      expect(await server.stop()).to.equal(0);
    }
    // The file said logLevel: silent; nothing but the listening line.
    expect(server.lines.filter((l) => l.startsWith('{'))).to.deep.equal([]);
  });

  it('a flag, then its variable, win over the file (the file won over the defaults above)', async () => {
    const file = join(dir, 'api', 'shop.yaml');
    const byVariable = await serve([file], dir, { RUNG_DB: join(dir, 'variable.db'), LOG_LEVEL: 'info' });
    expect(existsSync(join(dir, 'variable.db'))).to.equal(true);
    expect((await (await fetch(`${byVariable.url}/genres`)).json()).totalItems).to.equal(2);
    await byVariable.stop();
    expect(byVariable.lines.some((l) => l.includes('"path":"/genres"')), 'LOG_LEVEL=info wins over logLevel: silent').to.equal(true);

    const byFlag = await serve([file, '--db', 'flag.db', '--no-seed'], dir, { RUNG_DB: join(dir, 'variable.db') });
    // Not variable.db (seeded above with two genres): a new flag.db, and --no-seed left it empty.
    expect((await (await fetch(`${byFlag.url}/genres`)).json()).totalItems).to.equal(0);
    await byFlag.stop();
    expect(existsSync(join(dir, 'flag.db'))).to.equal(true);
  });

  it('a JSON file works the same, and its db defaults to <name>.db beside it', async () => {
    const json = { auth: { anonymous: 'write' }, resources: { Note: { segment: 'notes', fields: { text: 'string' }, required: ['text'] } } };
    writeFileSync(join(dir, 'api', 'notes.json'), JSON.stringify(json, null, '\t'));
    const api = loadApiFile(join(dir, 'api', 'notes.json'));
    expect(api.options.db).to.equal(join(dir, 'api', 'notes.db'));
    const rung = await createRungFromFile(api);
    try {
      await supertest(rung.app.callback()).post('/notes').send({ text: 'hello' }).expect(201);
      expect(existsSync(join(dir, 'api', 'notes.db'))).to.equal(true);
    } finally {
      await rung.close();
    }
  });

  it('createRungFromFile serves a file in-process, with overrides', async () => {
    const rung = await createRungFromFile(join(dir, 'api', 'shop.yaml'), { db: ':memory:' });
    try {
      const http = supertest(rung.app.callback());
      const author = await http.post('/authors').send({ name: 'Octavia E. Butler', born: '1947-06-22' }).expect(201);
      // Each supertest request comes from a new ephemeral port: the IRI still names the author.
      const book = await http.post('/books').send({ title: 'Kindred', author: author.headers.location }).expect(201);
      expect(new URL(book.body.author).pathname).to.equal(new URL(author.headers.location).pathname);
      expect(existsSync(join(dir, 'api', 'data'))).to.equal(false); // the override won
    } finally {
      await rung.close();
    }
  });
});

describe('a bad API file', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rung-bad-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The problems of `text` as the CLI prints them, one per line. */
  function problems(text: string, name = 'api.yaml'): string[] {
    writeFileSync(join(dir, name), text);
    try {
      loadApiFile(join(dir, name));
    } catch (err) {
      if (!(err instanceof ApiFileError)) throw err;
      return err.message.split('\n').slice(1).map((l) => l.trim().replace(`${join(dir, name)}:`, `${name}:`));
    }
    throw new Error('the file was accepted');
  }

  it('the CLI prints every problem with its path and line, no stack trace, and exits 1', () => {
    writeFileSync(
      join(dir, 'api.yaml'),
      ['prot: 3000', 'resources:', '  Book:', '    segment: Books', '    fields:', '      title: { type: string, minLenght: 1 }', '    filters: [titel]', '    relations:', '      author: { resource: Autor }', ''].join('\n'),
    );
    const out = run(['serve', 'api.yaml', '--port', '0'], dir);
    expect(out.status).to.equal(1);
    expect(out.stdout).to.equal('');
    expect(out.stderr.trimEnd().split('\n')).to.deep.equal([
      'rung: api.yaml has 5 problems:',
      '  api.yaml:1:1: prot: is not a setting of an API file (did you mean "port"?) (settings: title, description, db, databaseUrl, port, host, publicBaseUrl, requirePreconditions, bodyLimit, logLevel, maxJsonDepth, paging, contexts, resources, seed, auth, rateLimit, cors)',
      '  api.yaml:4:14: resources.Book.segment: must match the pattern ^[a-z][a-z0-9-]*$ such as "books", not "Books"',
      '  api.yaml:6:14: resources.Book.fields.title: is not a JSON Schema Rung can use: unknown keyword: "minLenght"',
      '  api.yaml:7:15: resources.Book.filters[0]: "titel" is not a field of Book (did you mean "title"?) (its fields: title, author)',
      '  api.yaml:9:27: resources.Book.relations.author.resource: "Autor" is not a resource of this file (its resources: Book)',
    ]);
    expect(out.stderr).to.not.match(/\n\s+at /);
  });

  it('names each kind of problem', () => {
    const book = (extra: string) => `resources:\n  Book:\n    segment: books\n    fields: { title: string, pages: integer }\n${extra}`;
    const cases: [string, string[]][] = [
      ['resources: {', ['api.yaml:1:13: syntax: Flow map in block collection must be sufficiently indented and end with a }']],
      ['title: x\ntitle: y\nresources: { A: { segment: a } }', ['api.yaml:2:1: syntax: Map keys must be unique']],
      ['title: Shop', ['api.yaml:1:1: resources: is required']],
      ['resources: {}', ['api.yaml:1:12: resources: must have at least 1 member']],
      [book('    required: [title, isbn]\n'), ['api.yaml:5:23: resources.Book.required[1]: "isbn" is not a field of Book (its fields: title, pages)']],
      [book('    sort: [pgaes]\n    defaultSort: -titel\n'), [
        'api.yaml:5:12: resources.Book.sort[0]: "pgaes" is not a field of Book (did you mean "pages"?) (its fields: title, pages)',
        'api.yaml:6:18: resources.Book.defaultSort: "titel" is not a field of Book (did you mean "title"?) (its fields: title, pages); prefix with - for descending',
      ]],
      [book('    fielsd: {}\n'), ['api.yaml:5:5: resources.Book.fielsd: is not a setting of a resource (did you mean "fields"?) (settings: segment, title, description, fields, required, relations, parent, filters, sort, search, defaultSort, readOnly, context, iris, paging)']],
      [book('    readOnly: yes\n'), ['api.yaml:5:15: resources.Book.readOnly: must be true or false, not "yes"']],
      [book('    paging: { defaultPageSize: 0 }\n'), ['api.yaml:5:32: resources.Book.paging.defaultPageSize: must be at least 1, not 0']],
      ['resources:\n  Book:\n    segment: books\n    fields: { pages: { type: integr } }\n', ['api.yaml:4:30: resources.Book.fields.pages.type: "integr" is not a JSON Schema type (did you mean "integer"?) (types: string, integer, number, boolean, object, array, null)']],
      ['resources:\n  Book:\n    segment: books\n    fields: { id: string, "a b": string }\n', [
        'api.yaml:4:15: resources.Book.fields.id: is a name Rung uses itself (id, parent_id, version, created_at, updated_at, collection, operation); choose another',
        'api.yaml:4:27: resources.Book.fields["a b"]: must be a name of letters, digits and _, such as startDate',
      ]],
      ['resources:\n  book:\n    segment: docs\n', [
        'api.yaml:2:3: resources.book: must be a class name in PascalCase, such as Book or BookReview',
        'api.yaml:3:14: resources.book.segment: "docs" is a path Rung serves itself (/docs, /contexts, /problems, /assets, /levels, /health); choose another',
      ]],
      ['resources:\n  A: { segment: things }\n  B: { segment: things }\n', ['api.yaml:3:17: resources.B.segment: "things" is also the segment of A; each resource needs its own']],
      ['resources:\n  Review:\n    segment: reviews\n    parent: { resource: Bok, term: book }\n  Book: { segment: books }\n', [
        'api.yaml:4:13: resources.Review.parent.inverse: is required',
      ]],
      ['resources:\n  Review:\n    segment: reviews\n    parent: { resource: Bok, term: book, inverse: reviews }\n  Book: { segment: books }\n', [
        'api.yaml:4:25: resources.Review.parent.resource: "Bok" is not a resource of this file (did you mean "Book"?) (its resources: Review, Book)',
      ]],
      ['resources:\n  A: { segment: as, relations: { b: { resource: B } } }\n  B: { segment: bs, relations: { a: { resource: A } } }\n', [
        'api.yaml:2:3: resources.A: resources link to each other in a cycle (A → B → A): one of them must not require the other to exist first',
      ]],
      ['resources:\n  A: { segment: as, relations: { c: { resource: C, inverse: name } } }\n  C: { segment: cs, fields: { name: string } }\n', [
        'api.yaml:2:61: resources.A.relations.c.inverse: "name" is already a field of C; the link back needs a name of its own',
      ]],
      ['resources:\n  A: { segment: as, context: a.jsonld }\n', [`api.yaml:2:30: resources.A.context: ${join(dir, 'contexts', 'a.jsonld')} does not exist (hand-written contexts live in the "contexts" folder; leave "context" out to have one generated)`]],
      ['resources:\n  A: { segment: as, fields: { n: string }, iris: { m: "schema:name" } }\n', ['api.yaml:2:52: resources.A.iris.m: A has no term "m" (its terms: A, n)']],
      ['seed:\n  Bok: []\n  A: rows.json\nresources:\n  A: { segment: as }\n', [
        'api.yaml:2:3: seed.Bok: "Bok" is not a resource of this file (its resources: A)',
        `api.yaml:3:6: seed.A: ${join(dir, 'rows.json')} does not exist`,
      ]],
      ['port: 70000\nlogLevel: loud\nbodyLimit: lots\npublicBaseUrl: example.org\nresources: { A: { segment: as } }\n', [
        'api.yaml:1:7: port: must be at most 65535, not 70000',
        'api.yaml:2:11: logLevel: must be one of "trace", "debug", "info", "warn", "error", "fatal", "silent", not "loud"',
        'api.yaml:3:12: bodyLimit: must match the pattern ^\\d+(\\.\\d+)?\\s*([kKmMgG]?[bB])?$ such as "1mb", not "lots"',
        'api.yaml:4:16: publicBaseUrl: must match the pattern ^https?://[^/\\s?#]+(/[^\\s?#]*)?$ such as "https://api.example.org", not "example.org"',
      ]],
    ];
    for (const [text, expected] of cases) expect(problems(text), text).to.deep.equal(expected);
    expect(problems('{"resources": {"A": {"segment": "as", "filters": ["x"]}}}', 'api.json')).to.deep.equal([
      'api.json:1:51: resources.A.filters[0]: "x" is not a field of A (its fields: none)',
    ]);
  });

  it('a seed row the API would refuse is named with its line, and nothing is served', async () => {
    writeFileSync(join(dir, 'api.yaml'), 'seed:\n  A:\n    - { n: 1 }\n    - { n: -1, m: 2 }\nresources:\n  A: { segment: as, fields: { n: { type: integer, minimum: 0 } } }\n');
    const out = run(['serve', 'api.yaml', '--port', '0'], dir);
    expect(out.status).to.equal(1);
    expect(out.stderr.trimEnd().split('\n')).to.deep.equal([
      'rung: api.yaml has 2 problems:',
      '  api.yaml:4:9: seed.A[1].n: must be at least 0, not -1',
      '  api.yaml:4:16: seed.A[1].m: is not a field of A',
    ]);
  });

  it('a file that is not there, or a database that cannot be opened: one line, exit 1', () => {
    const out = run(['serve', 'nothere.yaml'], dir);
    expect(out.status).to.equal(1);
    expect(out.stderr.trim()).to.equal('rung: nothere.yaml has a problem:\n  nothere.yaml: file: cannot be read: there is no such file (write one with "rung init nothere.yaml")');
    // The folder of the database is a file.
    writeFileSync(join(dir, 'api.yaml'), 'db: api.yaml/x.db\nresources: { A: { segment: as } }\n');
    const db = run(['serve', 'api.yaml', '--port', '0'], dir);
    expect(db.status).to.equal(1);
    expect(db.stderr.trim()).to.equal(`rung: cannot start api.yaml: EEXIST: file already exists, mkdir '${join(dir, 'api.yaml')}'`);
  });
});

describe('rung init', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rung-init-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a commented file that serves as it is, and never overwrites one', async () => {
    const first = run(['init'], dir);
    expect(first.status).to.equal(0);
    expect(first.stdout).to.equal('Wrote api.yaml: authors and their books. Edit it, then serve it with:  npx rung serve api.yaml\n');
    const text = readFileSync(join(dir, 'api.yaml'), 'utf8');
    expect(text.split('\n').filter((l) => l.trim().startsWith('#')).length).to.be.greaterThan(10);
    const api = loadApiFile(join(dir, 'api.yaml'));
    expect(api.options.resources.map((r) => r.name)).to.deep.equal(['Author', 'Book']);

    writeFileSync(join(dir, 'api.yaml'), 'mine');
    const again = run(['init'], dir);
    expect(again.status).to.equal(1);
    expect(again.stderr.trim()).to.equal('rung init: cannot write api.yaml: it already exists, and init never overwrites a file: choose another name or remove it');
    expect(readFileSync(join(dir, 'api.yaml'), 'utf8')).to.equal('mine');
    expect(run(['init', 'other.yaml'], dir).status).to.equal(0);
    expect(readFileSync(join(dir, 'other.yaml'), 'utf8')).to.equal(text);
  });
});

describe('the file form covers the example API', function () {
  this.timeout(60_000);
  let file: Rung;
  let code: Rung;
  const publicBaseUrl = 'http://localhost:3000';
  before(async () => {
    file = await createRungFromFile('test/fixtures/api-files/example-api.yaml', { db: ':memory:', publicBaseUrl });
    code = await createExampleApi({ db: ':memory:', publicBaseUrl, seed: false });
    await code.seed('Country', JSON.parse(readFileSync('test/fixtures/api-files/example-countries.json', 'utf8')));
  });
  after(async () => {
    await file.close();
    await code.close();
  });

  it('same documentation, entry point and contexts as the TypeScript example', async () => {
    for (const path of ['/', '/docs', '/contexts/country.jsonld', '/contexts/event.jsonld', '/contexts/guest.jsonld']) {
      const [a, b] = await Promise.all([file, code].map((r) => supertest(r.app.callback()).get(path).set('Accept', 'application/ld+json').expect(200)));
      expect(a.body, path).to.deep.equal(b.body);
    }
  });

  it('the same requests get the same answers', async () => {
    const steps: [string, string, unknown?][] = [
      ['get', '/countries?sort=-area'],
      ['post', '/events', { name: 'RestConf', startDate: '2027-05-01T11:00:00+02:00', location: 1 }],
      ['post', '/events/1/guests', { name: 'Ada', email: 'ada@example.org' }],
      ['post', '/events/1/guests', { name: 'Bob', email: 'bob' }],
      ['get', '/events?location=1&startDate_gte=2027-05-01'],
      ['delete', '/countries/1'],
      ['delete', '/events/1'],
      ['get', '/events/1/guests/1'],
    ];
    for (const [method, path, body] of steps) {
      const [a, b] = await Promise.all(
        [file, code].map((r) => {
          const req = (supertest(r.app.callback()) as unknown as Record<string, (p: string) => supertest.Test>)[method](path);
          return body ? req.send(body as object) : req;
        }),
      );
      expect(a.status, `${method} ${path}`).to.equal(b.status);
      const strip = (x: Record<string, unknown>) => ({ ...x, requestId: undefined });
      expect(strip(a.body), `${method} ${path}`).to.deep.equal(strip(b.body));
    }
  });
});
