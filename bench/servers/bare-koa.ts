/**
 * Baseline: bare Koa answering every request with one ~600-byte JSON object.
 * Prints `{"port": n}` on stdout once listening; exits on SIGTERM.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';

const body = {
  '@context': 'http://127.0.0.1/contexts/country.jsonld',
  '@id': 'http://127.0.0.1/countries/1',
  '@type': 'Country',
  name: 'Aruba',
  capital: 'Oranjestad',
  area: 180,
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-01T00:00:00.000Z',
  note: 'x'.repeat(356),
};

const app = new Koa();
app.use(async function bareJson(ctx) {
  ctx.body = body;
});

const server = createServer(app.callback());
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
