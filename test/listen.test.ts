/**
 * Issue 9 §6: a server started in code (startServer) logs its address and
 * one line per request by default, silenceable by an option or LOG_LEVEL;
 * a busy port is a clear error from startServer and one line from the CLI.
 */
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExampleApi } from '../src/example/index.js';
import { startServer } from '../src/index.js';
import { CLI } from './helpers.js';

/** Run test/fixtures/embedded.ts, GET / once, stop it with SIGTERM; its stdout lines. */
async function embeddedLog(options: object, env: Record<string, string | undefined> = {}): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/embedded.ts', JSON.stringify(options)], {
    env: { ...process.env, LOG_LEVEL: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      const m = /^url (\S+)$/m.exec(stderr);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  const res = await fetch(`${url}/countries?pageSize=1`, { headers: { 'X-Request-Id': 'embed-1' } });
  expect(res.status).to.equal(200);
  child.kill('SIGTERM');
  expect(await exited).to.equal(0);
  return stdout.split('\n').filter(Boolean).map((line) => line.replaceAll(url, '<url>'));
}

/** A port something else listens on. */
async function busyPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

describe('startServer', function () {
  this.timeout(60_000);

  it('logs its address and one JSON line per request by default', async () => {
    const lines = await embeddedLog({});
    const entries = lines.map((line) => JSON.parse(line));
    expect(entries[0]).to.include({ level: 30, msg: 'Rung listening on <url>', url: '<url>' });
    const requests = entries.filter((e) => e.method);
    expect(requests).to.have.length(1);
    expect(requests[0]).to.include({ method: 'GET', path: '/countries', status: 200, requestId: 'embed-1' });
    expect(requests[0].ms).to.be.a('number');
    expect(entries[0], 'no pid or hostname in each line').to.not.have.any.keys('pid', 'hostname');
  });

  it('is silenced by logLevel: "silent" or LOG_LEVEL=silent; the option wins over the variable', async () => {
    expect(await embeddedLog({ logLevel: 'silent' })).to.deep.equal([]);
    expect(await embeddedLog({}, { LOG_LEVEL: 'silent' })).to.deep.equal([]);
    const lines = await embeddedLog({ logLevel: 'info' }, { LOG_LEVEL: 'silent' });
    expect(lines.map((l) => JSON.parse(l).msg ?? JSON.parse(l).method)).to.deep.equal(['Rung listening on <url>', 'GET']);
  });

  it('a busy port is a clear error that keeps its code, and the app can still be closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rung-listen-'));
    const { port, server } = await busyPort();
    const rung = await createExampleApi({ db: join(dir, 'busy.db'), seed: false });
    try {
      let error: (Error & { code?: string }) | undefined;
      await startServer(rung, { port, logLevel: 'silent' }).catch((e) => (error = e));
      expect(error?.message).to.equal(`port ${port} on 127.0.0.1 is already in use (EADDRINUSE)`);
      expect(error?.code).to.equal('EADDRINUSE');
    } finally {
      await rung.close();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('rung serve on a busy port', function () {
  this.timeout(60_000);

  it('prints one line naming --port, no stack trace, and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rung-busy-'));
    const { port, server } = await busyPort();
    try {
      const out = spawnSync(process.execPath, [...CLI, 'serve', '--port', String(port), '--db', join(dir, 'busy.db'), '--no-seed'], {
        encoding: 'utf8',
        env: { ...process.env, LOG_LEVEL: 'silent' },
      });
      expect(out.status).to.equal(1);
      expect(out.stderr).to.equal(`rung: port ${port} on 127.0.0.1 is already in use (EADDRINUSE); choose another with --port (or PORT)\n`);
      expect(out.stdout).to.equal('');
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
