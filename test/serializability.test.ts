/**
 * Issue 15 §5: concurrent writers on the same few items, with and without
 * If-Match — PUT (replacing, and creating an absent id), merge PATCH,
 * DELETE — through `rung serve` as one process and as two processes on one
 * database. fast-check generates the writers; each writer runs its writes in
 * order, all writers at once. Every write gets an answer, and the history
 * must be serial (test/support/serial-model.ts): versions never repeat nor
 * go backwards, the final state is the acknowledged writes applied in
 * version order, 412 losers changed nothing, DELETE ends a generation.
 *
 * SERIAL_RUNS (default 20) sets the number of generated schedules per variant.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import type { Child } from './helpers.js';
import { forEachEngine, type TestDatabase } from './support/engines.js';
import { checkSerial } from './support/serial-model.js';
import { nextSeq, readItem, send, startRung, stopRung, type Body, type ItemState, type Method, type WriteRecord } from './support/writes.js';

const RUNS = Number(process.env.SERIAL_RUNS ?? 20);

interface Op {
  item: number;
  method: Method;
  ifMatch: boolean;
  fields: string[];
  removeCapital: boolean;
}

const op: fc.Arbitrary<Op> = fc.record({
  item: fc.integer({ min: 0, max: 2 }),
  method: fc.constantFrom<Method>('PUT', 'PATCH', 'PATCH', 'DELETE'),
  ifMatch: fc.boolean(),
  fields: fc.subarray(['name', 'capital', 'area']),
  removeCapital: fc.boolean(),
});
const schedule = fc.array(fc.array(op, { minLength: 1, maxLength: 5 }), { minLength: 2, maxLength: 6 });

/** The body of a write of `op` to a country or a guest, every value new (so no write is a no-op). */
function bodyOf(o: Op, guest: boolean, seq: number): Body | undefined {
  if (o.method === 'DELETE') return undefined;
  if (guest) {
    const full = { name: `g${seq}`, email: `g${seq}@example.org` };
    if (o.method === 'PUT') return full;
    return o.fields.includes('area') ? { email: full.email } : { name: full.name, ...(o.fields.includes('capital') ? { email: full.email } : {}) };
  }
  const full: Body = { name: `n${seq}`, capital: `c${seq}`, area: seq };
  const chosen = Object.fromEntries(o.fields.map((f) => [f, full[f]]));
  if (o.method === 'PUT') return { ...chosen, name: full.name };
  if (!o.fields.length) chosen.name = full.name;
  if (o.removeCapital && !o.fields.includes('capital')) chosen.capital = null;
  return chosen;
}

forEachEngine('serializability: concurrent writers on the same items', (engine) => {
  for (const processes of [1, 2]) {
    describe(processes === 1 ? 'one server process' : 'two server processes on one database', function () {
      this.timeout(120_000);
      let db: TestDatabase;
      let servers: Child[] = [];
      let event: string;
      let nextId = 300_000;
      beforeEach(async () => {
        db = await engine.create();
        // The first creates the schema; the second starts on it.
        servers = [await startRung(db.serveArgs)];
        for (let i = 1; i < processes; i++) servers.push(await startRung(db.serveArgs));
        const country = await send(servers[0].url, { seq: nextSeq(), method: 'POST', path: '/countries', body: { name: 'Host' } });
        const created = await send(servers[0].url, { seq: nextSeq(), method: 'POST', path: '/events', body: { name: 'Gala', startDate: '2030-01-01T00:00:00Z', location: country.item! } });
        expect(created.status).to.equal(201);
        event = created.item!;
      });
      afterEach(async () => {
        await Promise.all(servers.map(stopRung));
        await db.drop();
      });

      it('the acknowledged writes form one serial history per item, whatever the schedule', async () => {
        const statuses = new Map<number, number>();
        await fc.assert(
          fc.asyncProperty(schedule, async (writers) => {
            const base = (nextId += 10);
            const paths = [`/countries/${base + 1}`, `/countries/${base + 2}`, `${event}/guests/${base + 3}`];
            // Item 0 and 2 exist at the start; item 1 is absent, so PUTs race to create it.
            for (const i of [0, 2]) {
              const seq = nextSeq();
              const created = await send(servers[0].url, { seq, method: 'PUT', path: paths[i], body: bodyOf({ item: i, method: 'PUT', ifMatch: false, fields: ['capital'], removeCapital: false }, i === 2, seq) });
              expect(created.status, JSON.stringify(created)).to.equal(201);
            }
            const initial = await Promise.all(paths.map((p) => readItem(servers[0].url, p)));
            const records: WriteRecord[] = [];
            await Promise.all(
              writers.map(async (ops, w) => {
                const url = servers[w % servers.length].url;
                const etags = new Map(initial.flatMap((s, i) => (s ? [[i, s.etag] as const] : [])));
                for (const o of ops) {
                  const seq = nextSeq();
                  const ifMatch = o.ifMatch ? etags.get(o.item) : undefined;
                  const record = await send(url, { seq, method: o.method, path: paths[o.item], body: bodyOf(o, o.item === 2, seq), ifMatch });
                  records.push(record);
                  if (record.state) etags.set(o.item, record.state.etag);
                }
              }),
            );
            for (const r of records) statuses.set(r.status ?? 0, (statuses.get(r.status ?? 0) ?? 0) + 1);
            const final = await Promise.all(paths.map((p) => readItem(servers[0].url, p)));
            const problems = paths.flatMap((p, i) => checkSerial(p, initial[i] as ItemState | undefined, records.filter((r) => r.path === p), final[i]));
            if (problems.length) throw new Error(`not serial:\n${problems.join('\n')}\n${JSON.stringify(records.map(({ seq, method, path, ifMatch, status, state, body }) => ({ seq, method, path, ifMatch, status, v: state && `${state.generation}.${state.version}`, body })))}`);
            // Both servers see the same state.
            for (const server of servers.slice(1)) {
              expect(await Promise.all(paths.map((p) => readItem(server.url, p)))).to.deep.equal(final);
            }
          }),
          { numRuns: RUNS, ...(process.env.SERIAL_SEED ? { seed: Number(process.env.SERIAL_SEED), path: process.env.SERIAL_PATH } : {}) },
        );
        // The schedules reached both sides of every race.
        expect([...statuses.keys()].sort(), `statuses seen: ${JSON.stringify([...statuses])}`).to.include.members([200, 204]);
        expect([...statuses.keys()].some((s) => s === 412 || s === 404)).to.equal(true);
      });
    });
  }
});
