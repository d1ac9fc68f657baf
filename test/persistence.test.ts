/** The SQLite store's read cache never serves stale data, even when another process writes the file. */
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { createCountry, pathOf, startTestApi } from './helpers.js';

describe('SQLite read cache', () => {
  it('sees a write made by another connection to the same file (PRAGMA data_version)', async () => {
    const api = await startTestApi({ seed: false });
    try {
      const country = await createCountry(api, { name: 'Before', capital: 'Old' });
      const first = await api.http.get(country.path).expect(200);
      const page = await api.http.get('/countries').expect(200);
      const other = new Database(api.dbPath);
      const id = Number(country.path.split('/').pop());
      other.prepare("UPDATE countries SET name = 'After', version = version + 1 WHERE id = ?").run(id);
      other.prepare("UPDATE rung_collections SET version = version + 1 WHERE name = 'countries'").run();
      other.close();
      const second = await api.http.get(country.path).set('If-None-Match', first.headers.etag).expect(200);
      expect(second.body.name).to.equal('After');
      const page2 = await api.http.get('/countries').set('If-None-Match', page.headers.etag).expect(200);
      expect(page2.body.member[0].name).to.equal('After');
    } finally {
      await api.close();
    }
  });

  it('a cascade drops cached rows of the nested table', async () => {
    const api = await startTestApi({ seed: false });
    try {
      const country = await createCountry(api);
      const event = await api.http
        .post('/events')
        .set('Content-Type', 'application/json')
        .send({ name: 'E', startDate: '2027-01-01T00:00:00Z', location: country.iri })
        .expect(201);
      const guest = await api.http
        .post(`${pathOf(event.headers.location)}/guests`)
        .set('Content-Type', 'application/json')
        .send({ name: 'G', email: 'g@example.org' })
        .expect(201);
      await api.http.get(pathOf(guest.headers.location)).expect(200); // now cached
      await api.http.delete(pathOf(event.headers.location)).expect(204);
      await api.http.get(pathOf(guest.headers.location)).expect(404);
    } finally {
      await api.close();
    }
  });
});
