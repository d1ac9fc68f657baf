/**
 * Issue 2 §4: every error is application/problem+json with type, title,
 * status, detail and instance; a rejected request never changes stored data.
 */
import { expect } from 'chai';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createCountry, snapshot, startTestApi, type TestApi } from './helpers.js';

function expectProblem(res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, status: number) {
  expect(res.status).to.equal(status);
  expect(res.headers['content-type']).to.equal('application/problem+json');
  for (const member of ['type', 'title', 'status', 'detail', 'instance']) expect(res.body, member).to.have.property(member);
  expect(res.body.status).to.equal(status);
  expect(JSON.stringify(res.body)).to.not.match(/\bat .+\(.+:\d+:\d+\)|SELECT|INSERT|UPDATE .+ SET|sqlite/i);
}

describe('errors', () => {
  let api: TestApi;
  let countryPath: string;
  beforeEach(async () => {
    api = await startTestApi({ bodyLimit: '64kb' });
    countryPath = (await createCountry(api)).path;
  });
  afterEach(() => api.close());

  /** Run a bad request and check the stored state is exactly the same afterwards. */
  async function unchanged<T>(request: () => Promise<T>): Promise<T> {
    const before = snapshot(api);
    const res = await request();
    expect(snapshot(api)).to.deep.equal(before);
    return res;
  }

  it('malformed JSON body: 400', async () => {
    for (const [method, path] of [['post', '/countries'], ['put', countryPath], ['patch', countryPath]] as const) {
      const res = await unchanged(() => api.http[method](path).set('Content-Type', 'application/json').send('{"name": "Oops",'));
      expectProblem(res, 400);
      expect(res.body.detail).to.match(/not well-formed JSON/);
      expect(res.body.instance).to.equal(path);
    }
  });

  it('missing body: 400 naming the media types taken', async () => {
    const res = await unchanged(() => api.http.post('/countries'));
    expectProblem(res, 400);
    expect(res.body.detail).to.include('application/json');
  });

  it('a body in a media type the resource does not take: 415 with Accept-Post / Accept-Patch', async () => {
    const post = await unchanged(() =>
      api.http.post('/countries').set('Content-Type', 'application/xml').send('<country><name>X</name></country>'),
    );
    expectProblem(post, 415);
    expect(post.headers['accept-post']).to.equal('application/ld+json, application/json');
    expect(post.body.accepted).to.deep.equal(['application/ld+json', 'application/json']);

    const patch = await unchanged(() => api.http.patch(countryPath).set('Content-Type', 'text/plain').send('name=X'));
    expectProblem(patch, 415);
    expect(patch.headers['accept-patch']).to.equal('application/merge-patch+json, application/ld+json, application/json');

    const put = await unchanged(() => api.http.put(countryPath).set('Content-Type', 'application/x-www-form-urlencoded').send('name=X'));
    expectProblem(put, 415);
    expect(put.body.detail).to.include('application/json');
  });

  it('merge-patch+json is for PATCH only: 415 on POST', async () => {
    const res = await unchanged(() =>
      api.http.post('/countries').set('Content-Type', 'application/merge-patch+json').send(JSON.stringify({ name: 'X' })),
    );
    expectProblem(res, 415);
  });

  it('valid JSON that breaks the schema: 422 listing every violation with a JSON Pointer', async () => {
    const res = await unchanged(() =>
      api.http
        .post('/countries')
        .set('Content-Type', 'application/json')
        .send({ capital: 42, area: -5, population: 1000 }),
    );
    expectProblem(res, 422);
    expect(res.body.violations).to.have.deep.members([
      { pointer: '/name', message: 'is required' },
      { pointer: '/capital', message: 'must be a string, not 42' },
      { pointer: '/area', message: 'must be at least 0, not -5' },
      { pointer: '/population', message: 'is not a field of Country' },
    ]);
  });

  it('422 for a JSON value that is not an object', async () => {
    for (const body of ['[1,2]', '"Thailand"', '42', 'null']) {
      const res = await unchanged(() => api.http.post('/countries').set('Content-Type', 'application/json').send(body));
      expect(res.status, body).to.be.oneOf([400, 422]);
      expectProblem(res, res.status);
    }
  });

  it('422 on events: empty name, wrong date, unknown and foreign location', async () => {
    const res = await unchanged(() =>
      api.http
        .post('/events')
        .set('Content-Type', 'application/json')
        .send({ name: '', startDate: 'next tuesday', location: 'http://elsewhere.example/countries/1' }),
    );
    expectProblem(res, 422);
    const pointers = res.body.violations.map((v: { pointer: string }) => v.pointer);
    expect(pointers).to.include.members(['/name', '/startDate', '/location']);

    const missing = await unchanged(() =>
      api.http
        .post('/events')
        .set('Content-Type', 'application/json')
        .send({ name: 'E', startDate: '2027-01-01T00:00:00Z', location: `${api.base}/countries/987654` }),
    );
    expectProblem(missing, 422);
    expect(missing.body.violations).to.deep.equal([{ pointer: '/location', message: `${api.base}/countries/987654 does not exist` }]);
  });

  it('an unacceptable Accept on a write: 406 before anything is stored; DELETE has no body to negotiate', async () => {
    const res = await unchanged(() =>
      api.http.post('/countries').set('Accept', 'application/xml').set('Content-Type', 'application/json').send({ name: 'Nope' }),
    );
    expectProblem(res, 406);
    expect(res.body.available).to.include('application/ld+json');
    await api.http.delete(countryPath).set('Accept', 'application/xml').expect(204);
    await api.http.get(countryPath).expect(404);
  });

  it('a body over the configured limit: 413', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(100 * 1024) });
    const res = await unchanged(() => api.http.post('/countries').set('Content-Type', 'application/json').send(huge));
    expectProblem(res, 413);
  });

  it('the default limit is 1 MB', async () => {
    const big = await startTestApi({ seed: false });
    try {
      const under = JSON.stringify({ name: 'x'.repeat(150), capital: 'y'.repeat(150), pad: 'z'.repeat(900 * 1024) });
      const ok = await big.http.post('/countries').set('Content-Type', 'application/json').send(under);
      expect(ok.status).to.equal(422); // parsed (not 413): the pad field is then rejected by the schema
      const over = JSON.stringify({ name: 'x', pad: 'z'.repeat(1100 * 1024) });
      const res = await big.http.post('/countries').set('Content-Type', 'application/json').send(over);
      expectProblem(res, 413);
    } finally {
      await big.close();
    }
  });

  it('bad query parameters: 400 naming the parameter', async () => {
    const cases: [string, string][] = [
      ['/countries?population=5', 'population'],
      ['/countries?sort=population', 'sort'],
      ['/countries?page=0', 'page'],
      ['/countries?page=abc', 'page'],
      ['/countries?page=-1', 'page'],
      ['/countries?page=9999', 'page'],
      ['/countries?pageSize=0', 'pageSize'],
      ['/countries?area_gte=big', 'area_gte'],
      ['/countries?name=a&name=b', 'name'],
      ['/events?location=http://elsewhere.example/x', 'location'],
    ];
    for (const [path, parameter] of cases) {
      const res = await api.http.get(path);
      expectProblem(res, 400);
      expect(res.body.parameter, path).to.equal(parameter);
      expect(res.body.detail, path).to.include(parameter);
    }
  });
});

describe('internal failures', () => {
  it('500 hides internals from the client and logs them', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const api = await startTestApi({ logger: pino({ level: 'info' }, sink) });
    try {
      // Break the database under the running server: every query now throws inside better-sqlite3.
      (api.rung.runtime.store as unknown as { db: { close(): void } }).db.close();
      const res = await api.http.get('/countries/1');
      expectProblem(res, 500);
      expect(res.body.detail).to.equal('The server failed to handle this request. The failure has been logged.');
      expect(res.text).to.not.include('database connection');
      const logged = lines.map((l) => JSON.parse(l));
      const error = logged.find((l) => l.msg === 'request failed');
      expect(error, 'error logged').to.exist;
      expect(error.err.message).to.include('database connection is not open');
      expect(error.requestId).to.equal(res.body.requestId);
    } finally {
      await api.close().catch(() => {});
    }
  });
});
