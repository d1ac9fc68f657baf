/** Issue 2 §2–3: events linked to countries, guests nested under events. */
import { expect } from 'chai';
import { createCountry, createEvent, createGuest, pathOf, snapshot, startTestApi, type TestApi } from './helpers.js';

describe('events and nested guests', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApi();
  });
  afterEach(() => api.close());

  it('an event links to its country by IRI and uses schema.org Event terms', async () => {
    const country = await createCountry(api);
    const event = await createEvent(api, country.iri);
    expect(event.body['@type']).to.equal('Event');
    expect(event.body.location).to.equal(country.iri);
    expect(event.body.startDate).to.equal('2027-05-01T09:00:00Z');
    expect(event.body.guests).to.equal(`${event.iri}/guests`);
    const ctx = await api.http.get(pathOf(event.body['@context'])).expect(200);
    expect(ctx.body['@context'].Event).to.equal('schema:Event');
    expect(ctx.body['@context'].startDate).to.equal('schema:startDate');
  });

  it('stores date-times in UTC and filters them chronologically; a bad date filter is a 400', async () => {
    const country = await createCountry(api);
    const early = await createEvent(api, country.iri, { name: 'early', startDate: '2027-05-01T11:00:00+02:00' });
    expect(early.body.startDate).to.equal('2027-05-01T09:00:00Z');
    await createEvent(api, country.iri, { name: 'late', startDate: '2027-05-01T10:30:00Z' });
    const after = await api.http.get('/events?startDate_gte=2027-05-01T11:30:00%2B01:00').expect(200); // 10:30 UTC
    expect(after.body.member.map((m: { name: string }) => m.name)).to.deep.equal(['late']);
    const day = await api.http.get('/events?startDate_gte=2027-05-01&startDate_lte=2027-05-02&sort=startDate').expect(200);
    expect(day.body.member.map((m: { name: string }) => m.name)).to.deep.equal(['early', 'late']);
    const bad = await api.http.get('/events?startDate_gte=soon').expect(400);
    expect(bad.body.parameter).to.equal('startDate_gte');
  });

  // Issue 11: browsers' datetime-local inputs (and so react-admin) send no seconds and no offset.
  it('takes a date-time without offset (an HTML datetime-local value) as UTC', async () => {
    const country = await createCountry(api);
    const local = await createEvent(api, country.iri, { name: 'local', startDate: '2027-06-01T09:30' });
    expect(local.body.startDate).to.equal('2027-06-01T09:30:00Z');
    const patched = await api.http.patch(local.path).set('Content-Type', 'application/merge-patch+json').send({ startDate: '2027-06-02T10:15:30.5' }).expect(200);
    expect(patched.body.startDate).to.equal('2027-06-02T10:15:30.500Z');
    const found = await api.http.get('/events?startDate_gte=2027-06-02T10:15&startDate_lte=2027-06-02T10:16').expect(200);
    expect(found.body.member.map((m: { name: string }) => m.name)).to.deep.equal(['local']);
    for (const startDate of ['2027-06-01T9:30', '2027-06-01T25:30', '2027-06-01T09:30Z', '2027-06-01 09:30']) {
      const res = await api.http.post('/events').set('Content-Type', 'application/json').send({ name: 'bad', startDate, location: country.iri }).expect(422);
      expect(res.body.violations.map((v: { pointer: string }) => v.pointer), startDate).to.deep.equal(['/startDate']);
    }
  });

  it('a location may be sent as a path-absolute IRI', async () => {
    const country = await createCountry(api);
    const res = await api.http
      .post('/events')
      .set('Content-Type', 'application/json')
      .send({ name: 'E', startDate: '2027-01-01T10:00:00Z', location: country.path })
      .expect(201);
    expect(res.body.location).to.equal(country.iri);
  });

  it('filters events by location (IRI or id)', async () => {
    const a = await createCountry(api, { name: 'A' });
    const b = await createCountry(api, { name: 'B' });
    await createEvent(api, a.iri, { name: 'in A' });
    await createEvent(api, b.iri, { name: 'in B' });
    const byIri = await api.http.get(`/events?location=${encodeURIComponent(a.iri)}`).expect(200);
    expect(byIri.body.member.map((m: { name: string }) => m.name)).to.deep.equal(['in A']);
    const byId = await api.http.get(`/events?location=${a.path.split('/').pop()}`).expect(200);
    expect(byId.body.member.map((m: { name: string }) => m.name)).to.deep.equal(['in A']);
    const country = await api.http.get(a.path).expect(200);
    const linked = await api.http.get(pathOf(country.body.events)).expect(200);
    expect(linked.body.totalItems).to.equal(1);
  });

  it('guests: create, read, replace, patch, delete under their event', async () => {
    const country = await createCountry(api);
    const event = await createEvent(api, country.iri);
    const guest = await createGuest(api, event.path);
    expect(guest.path).to.match(/^\/events\/\d+\/guests\/\d+$/);
    expect(guest.body['@type']).to.equal('Guest');
    expect(guest.body.event).to.equal(event.iri);
    expect(guest.body.collection).to.equal(`${event.iri}/guests`);
    const list = await api.http.get(`${event.path}/guests`).expect(200);
    expect(list.body.totalItems).to.equal(1);
    const put = await api.http.put(guest.path).set('Content-Type', 'application/json').send({ name: 'Ada King', email: 'ada@king.example' }).expect(200);
    expect(put.body).to.include({ name: 'Ada King', email: 'ada@king.example' });
    const patch = await api.http.patch(guest.path).set('Content-Type', 'application/merge-patch+json').send({ email: 'countess@lovelace.example' }).expect(200);
    expect(patch.body).to.include({ name: 'Ada King', email: 'countess@lovelace.example' });
    await api.http.delete(guest.path).expect(204);
    await api.http.get(guest.path).expect(404);
  });

  it('guests validate their e-mail format (422) and leave the store unchanged', async () => {
    const country = await createCountry(api);
    const event = await createEvent(api, country.iri);
    const before = snapshot(api);
    const res = await api.http.post(`${event.path}/guests`).set('Content-Type', 'application/json').send({ name: 'Bob', email: 'not-an-email' }).expect(422);
    expect(res.body.violations).to.deep.equal([{ pointer: '/email', message: 'must be an e-mail address such as ada@example.org, not "not-an-email"' }]);
    expect(snapshot(api)).to.deep.equal(before);
  });

  it('a guest is only found under its own event; unknown events are 404', async () => {
    const country = await createCountry(api);
    const e1 = await createEvent(api, country.iri, { name: 'one' });
    const e2 = await createEvent(api, country.iri, { name: 'two' });
    const guest = await createGuest(api, e1.path);
    const id = guest.path.split('/').pop();
    await api.http.get(`${e2.path}/guests/${id}`).expect(404);
    await api.http.get('/events/999999/guests').expect(404);
    await api.http.post('/events/999999/guests').set('Content-Type', 'application/json').send({ name: 'x', email: 'x@example.org' }).expect(404);
    const other = await api.http.get(`${e2.path}/guests`).expect(200);
    expect(other.body.totalItems).to.equal(0);
  });

  it('deleting an event cascades to its guests', async () => {
    const country = await createCountry(api);
    const event = await createEvent(api, country.iri);
    const g1 = await createGuest(api, event.path);
    const g2 = await createGuest(api, event.path, { name: 'Grace Hopper', email: 'grace@example.org' });
    await api.http.delete(event.path).expect(204);
    await api.http.get(event.path).expect(404);
    await api.http.get(g1.path).expect(404);
    await api.http.get(g2.path).expect(404);
    const rows = snapshot(api).guests;
    expect(rows).to.deep.equal([]);
  });

  it('deleting a country that events are held in is refused with 409, and nothing changes', async () => {
    const country = await createCountry(api);
    const event = await createEvent(api, country.iri);
    const before = snapshot(api);
    const res = await api.http.delete(country.path).expect(409);
    expect(res.headers['content-type']).to.equal('application/problem+json');
    expect(res.body.detail).to.include('events');
    expect(res.headers.link).to.include(`location=${country.path.split('/').pop()}`);
    expect(snapshot(api)).to.deep.equal(before);
    await api.http.delete(event.path).expect(204);
    await api.http.delete(country.path).expect(204);
  });

  it('a country offers DELETE as an operation only while no event refers to it', async () => {
    const country = await createCountry(api);
    const free = await api.http.get(country.path).expect(200);
    expect(free.body.operation.map((o: { method: string }) => o.method)).to.deep.equal(['DELETE']);
    const event = await createEvent(api, country.iri);
    const held = await api.http.get(country.path).expect(200);
    expect(held.body).to.not.have.property('operation');
    expect(held.headers.etag).to.not.equal(free.headers.etag);
    await api.http.delete(event.path).expect(204);
    const again = await api.http.get(country.path).expect(200);
    expect(again.body.operation).to.have.length(1);
  });
});
