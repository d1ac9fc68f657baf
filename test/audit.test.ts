/**
 * `rung audit` on live APIs: Rung's own four levels give exactly 0, 1, 2
 * and 3, and APIs it has never seen (a plain Koa CRUD server, a JSON-RPC
 * endpoint, a HAL API, APIs behind a path prefix) get honest levels, each
 * criterion with the requests sent and answers seen. Safe methods only
 * unless --allow-writes, which leaves nothing behind.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { audit, type AuditResult } from '../src/index.js';
import { hal, plainCrud, rpc, type FixtureApi } from './fixtures/apis.js';
import { CLI, startLiveApi, type LiveApi } from './helpers.js';

const run = promisify(execFile);
const SAFE = /^(GET|HEAD|OPTIONS) /;
const check = (result: AuditResult, id: string) => {
  const found = result.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
};

describe('rung audit', function () {
  this.timeout(60_000);

  describe("Rung's own levels", () => {
    let api: LiveApi;
    before(async () => {
      api = await startLiveApi({ shutdownGraceMs: 500 });
    });
    after(() => api.stop());

    const countCountries = async () => (await (await fetch(`${api.url}/countries`)).json()).totalItems as number;

    it('level 0: one endpoint, POST only, 200 with errors inside', async () => {
      const result = await audit(`${api.url}/levels/0`, { post: '{"action": "listCountries"}' });
      expect(result.level).to.equal(0);
      expect(check(result, 'distinct-uris').passed).to.equal(false);
      const errors = check(result, 'errors-not-200');
      expect(errors.passed).to.equal(false);
      expect(errors.evidence[0]).to.include({ status: 200 });
      expect(check(result, 'missing-404').evidence[0].status).to.equal(200);
    });

    it('level 1: a URL per resource, still POST with 200 everywhere', async () => {
      const result = await audit(`${api.url}/levels/1/countries`, { post: '{"action": "read"}' });
      expect(result.level).to.equal(1);
      const distinct = check(result, 'distinct-uris');
      expect(distinct.passed).to.equal(true);
      expect(distinct.evidence.map((e) => e.method)).to.deep.equal(['POST', 'POST']);
      expect(distinct.evidence[1].url).to.match(/\/levels\/1\/countries\/\d+$/);
      expect(check(result, 'get-reads').passed).to.equal(false);
    });

    it('level 1 without --post: no resource can be read safely, so level 0, and the audit says why', async () => {
      const result = await audit(`${api.url}/levels/1/countries`);
      expect(result.level).to.equal(0);
      expect(check(result, 'distinct-uris').detail).to.contain('--post');
    });

    it('level 2: verbs, status codes and validators, no links (writes checked and undone)', async () => {
      const before = await countCountries();
      const result = await audit(`${api.url}/levels/2/countries`, { allowWrites: true });
      expect(result.level).to.equal(2);
      for (const id of ['get-reads', 'missing-404', 'errors-not-200', 'create-201', 'unsupported-415', 'invalid-400-422', 'stale-412', 'method-405', 'delete', 'validators', 'not-modified-304', 'not-acceptable-406', 'allow']) {
        expect(check(result, id).passed, id).to.equal(true);
      }
      expect(check(result, 'create-201').evidence[0]).to.include({ method: 'POST', status: 201 });
      expect(check(result, 'stale-412').evidence[0]).to.include({ method: 'PUT', status: 412 });
      expect(check(result, 'links').passed).to.equal(false);
      expect(check(result, 'reachable-by-links').passed).to.equal(false);
      expect(result.next).to.match(/^To reach level 3/);
      expect(await countCountries()).to.equal(before);
    });

    it('level 3: the real API, reached through /levels/3', async () => {
      const before = await countCountries();
      const result = await audit(`${api.url}/levels/3`, { allowWrites: true });
      expect(result.level).to.equal(3);
      for (const c of result.checks) expect(c.passed, `${c.id}: ${c.detail}`).to.equal(true);
      expect(check(result, 'links').evidence.length).to.be.greaterThan(0);
      expect(check(result, 'description').detail).to.contain('/docs');
      expect(result.next).to.equal(undefined);
      expect(await countCountries()).to.equal(before);
    });
  });

  it('deletes what it created on a server that requires If-Match', async () => {
    const api = await startLiveApi({ requirePreconditions: true, seed: false, shutdownGraceMs: 500 });
    try {
      const post = await fetch(`${api.url}/countries`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name": "Only"}' });
      expect(post.status).to.equal(201);
      const result = await audit(`${api.url}/`, { allowWrites: true });
      expect(result.level).to.equal(3);
      expect(check(result, 'delete').passed).to.equal(true);
      expect((await (await fetch(`${api.url}/countries`)).json()).totalItems).to.equal(1);
    } finally {
      await api.stop();
    }
  });

  describe('APIs it has never seen', () => {
    const fixtures: FixtureApi[] = [];
    const start = async (api: Promise<FixtureApi>) => {
      const started = await api;
      fixtures.push(started);
      return started;
    };
    after(() => Promise.all(fixtures.map((f) => f.stop())));

    it('a plain Koa JSON CRUD server with ids and no links: level 2, never 3, with safe requests only', async () => {
      const api = await start(plainCrud());
      const result = await audit(`${api.url}/todos`);
      expect(result.level).to.equal(2);
      expect(api.requests.every((r) => SAFE.test(r)), api.requests.join(', ')).to.equal(true);
      expect(check(result, 'distinct-uris').detail).to.contain('built from the id');
      expect(check(result, 'missing-404').evidence[0]).to.deep.include({ method: 'GET', url: `${api.url}/todos/999999999`, status: 404 });
      expect(check(result, 'validators').passed).to.equal(false);
      expect(check(result, 'links').passed).to.equal(false);
      expect(check(result, 'create-201').passed).to.equal(undefined);
    });

    it('the same server with --allow-writes: writes probed, and what was created is deleted', async () => {
      const api = await start(plainCrud());
      const result = await audit(`${api.url}/todos`, { allowWrites: true });
      expect(result.level).to.equal(2);
      expect(check(result, 'create-201').passed).to.equal(true);
      expect(check(result, 'unsupported-415').passed).to.equal(true);
      expect(check(result, 'invalid-400-422').passed).to.equal(true);
      expect(check(result, 'stale-412').passed).to.equal(false); // it ignores If-Match
      expect(check(result, 'method-405').passed).to.equal(true);
      expect([...api.records.keys()]).to.deep.equal([1, 2, 3]);
      expect(api.records.get(1)).to.deep.equal({ id: 1, title: 'Write the audit', done: false });
    });

    it('behind a path prefix', async () => {
      const api = await start(plainCrud('/api/v1'));
      const result = await audit(`${api.url}/api/v1/todos`);
      expect(result.level).to.equal(2);
      expect(check(result, 'distinct-uris').evidence[1].url).to.equal(`${api.url}/api/v1/todos/1`);
    });

    it('an RPC-style single endpoint: level 0, with or without a read body', async () => {
      const api = await start(rpc());
      const plain = await audit(`${api.url}/rpc`);
      expect(plain.level).to.equal(0);
      expect(check(plain, 'errors-not-200').passed).to.equal(false);
      const withRead = await audit(`${api.url}/rpc`, { post: '{"jsonrpc": "2.0", "method": "listTodos", "id": 1}' });
      expect(withRead.level).to.equal(0);
      const byConvention = check(withRead, 'item-by-convention');
      expect(byConvention.passed).to.equal(false);
      expect(byConvention.evidence[1]).to.deep.include({ method: 'POST', url: `${api.url}/rpc/1`, status: 404 });
    });

    it('a HAL API: level 3 by its _links, at the root and behind a prefix', async () => {
      for (const prefix of ['', '/api/v2']) {
        const api = await start(hal(prefix));
        const result = await audit(`${api.url}${prefix}/`);
        expect(result.level, prefix).to.equal(3);
        expect(check(result, 'links').detail).to.contain('hal');
        expect(check(result, 'reachable-by-links').passed).to.equal(true);
        expect(check(result, 'operations').passed).to.equal(false);
        expect(api.requests.every((r) => SAFE.test(r))).to.equal(true);
      }
    });
  });

  describe('the command', () => {
    let api: LiveApi;
    let dir: string;
    before(async () => {
      api = await startLiveApi({ shutdownGraceMs: 500 });
      dir = mkdtempSync(join(tmpdir(), 'rung-audit-'));
    });
    after(async () => {
      await api.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('--json prints level and checks with evidence; --html writes the report with the ladder; exit code 0', async () => {
      const html = join(dir, 'report.html');
      const { stdout } = await run(process.execPath, [...CLI, 'audit', `${api.url}/levels/2/countries`, '--json', '--quiet', '--html', html]);
      const report = JSON.parse(stdout);
      expect(report.level).to.equal(2);
      expect(report.checks.length).to.be.greaterThan(10);
      for (const c of report.checks) {
        expect(c).to.include.keys('id', 'level', 'passed', 'evidence');
        for (const e of c.evidence) expect(e).to.include.keys('method', 'url', 'status');
      }
      const page = readFileSync(html, 'utf8');
      expect(page).to.contain('<svg').and.to.contain('class="rung here" data-level="2"').and.to.contain('Level reached');
      expect(page).to.not.contain('<script');
    });

    it('a level-0 API is an audit that ran: exit code 0', async () => {
      const { stdout } = await run(process.execPath, [...CLI, 'audit', `${api.url}/levels/0`, '--quiet']);
      expect(stdout).to.contain('Level reached: 0');
    });

    it('an unreachable URL: non-zero exit and a clear message', async () => {
      // A port that was just free: nothing listens there.
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const { port } = probe.address() as AddressInfo;
      await new Promise((resolve) => probe.close(resolve));
      const err = await run(process.execPath, [...CLI, 'audit', `http://127.0.0.1:${port}/`, '--quiet']).then(
        () => undefined,
        (e: { code: number; stderr: string }) => e,
      );
      expect(err?.code).to.equal(2);
      expect(err?.stderr).to.match(new RegExp(`^rung audit: cannot reach http://127\\.0\\.0\\.1:${port}/: .*ECONNREFUSED`));
    });
  });
});
