/**
 * Calibration, not Rung: the least a random item GET can cost on Koa on this
 * machine. One SQLite read of the bench's database (RUNG_BENCH_DB), then the
 * very body and headers Rung sends for a country (JSON-LD pretty-printed,
 * ETag, Last-Modified, Cache-Control, Vary, Link, X-Request-Id) built by hand
 * — no routing, no caches, no layers. Its ratio to bare Koa is the ceiling
 * for Rung's "random item GET" ratio in the same run: responses of ~2 KB cost
 * more to write than bare Koa's 600 bytes, whatever builds them.
 *
 * Prints `{"port": n}` once listening; exits on SIGTERM.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import Koa from 'koa';

const db = new Database(process.env.RUNG_BENCH_DB!, { readonly: true });
const select = db.prepare('SELECT * FROM countries WHERE id = ?');
const statuses = [
  [204, 'Deleted'],
  [404, 'No such Country'],
  [409, 'Other resources still refer to this Country'],
  [412, 'If-Match does not match the current ETag'],
  [428, 'If-Match is required by this server'],
] as const;

const app = new Koa();
app.use(async function floorItem(ctx) {
  const id = Number(ctx.path.slice('/countries/'.length));
  const row = select.get(id) as { name: string; capital: string; area: number; version: number; created_at: number; updated_at: number };
  const base = `${ctx.protocol}://${ctx.host}`;
  const data = {
    '@context': `${base}/contexts/country.jsonld`,
    '@id': `${base}/countries/${id}`,
    '@type': 'Country',
    name: row.name,
    capital: row.capital,
    area: row.area,
    events: `${base}/events?location=${id}`,
    collection: `${base}/countries`,
    operation: [
      {
        '@type': 'Operation',
        method: 'DELETE',
        title: 'Delete this Country',
        description: 'Possible because nothing refers to this Country.',
        possibleStatus: statuses.map(([statusCode, description]) => ({ '@type': 'Status', statusCode, description })),
      },
    ],
  };
  ctx.set('X-Request-Id', randomUUID());
  ctx.set('Vary', 'Accept');
  ctx.set('ETag', `"5075.${row.created_at.toString(36)}.${row.version.toString(36)}.0-jsonld"`);
  ctx.set('Cache-Control', 'no-cache');
  ctx.set('Last-Modified', new Date(row.updated_at).toUTCString());
  ctx.set('Content-Type', 'application/ld+json');
  ctx.set(
    'Link',
    `<${base}/docs>; rel="http://www.w3.org/ns/hydra/core#apiDocumentation", <${base}/countries>; rel=collection, <${base}/countries>; rel=up, ` +
      `<${base}/docs>; rel=describedby, <${base}/events?location=${id}>; rel="${base}/docs#events"`,
  );
  ctx.body = Buffer.from(JSON.stringify(data, null, 2));
});

const server = createServer(app.callback());
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
