import { expect } from 'chai';
import { startTestApi, type TestApi } from './helpers.js';

describe('smoke', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());

  it('serves a JSON-LD country', async () => {
    const res = await api.http.get('/countries?name=Thailand').expect(200);
    expect(res.headers['content-type']).to.match(/^application\/ld\+json/);
    expect(res.body.member).to.have.length(1);
    expect(res.body.member[0]).to.include({ name: 'Thailand', capital: 'Bangkok', area: 513120 });
  });
});
