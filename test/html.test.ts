import { expect } from 'chai';
import { createCountry, createEvent, startTestApi, type TestApi } from './helpers.js';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

/** Every href of every anchor in a page. */
const hrefs = (page: string) => [...page.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1]);

describe('HTML representation', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());

  const getHtml = async (path: string) => {
    const res = await api.http.get(path).set('Accept', HTML).expect(200);
    expect(res.headers['content-type']).to.equal('text/html; charset=utf-8');
    return { page: res.text, etag: res.headers.etag as string };
  };

  it('answers a browser with HTML; */* and no Accept still get JSON-LD', async () => {
    await getHtml('/');
    for (const accept of ['*/*', undefined]) {
      const req = api.http.get('/');
      if (accept) req.set('Accept', accept);
      const res = await req.expect(200);
      expect(res.headers['content-type']).to.match(/^application\/ld\+json/);
    }
    const res = await api.http.get('/').set('Accept', 'text/html');
    expect(res.headers.vary).to.match(/Accept/);
    expect(res.headers.etag).to.match(/-html"$/);
  });

  it('escapes every value, in text and in attributes', async () => {
    const evil = `<script>alert("x")</script>'&`;
    const country = await createCountry(api, { name: evil, capital: '<img src=x onerror=alert(1)>', area: 1 });
    const { page } = await getHtml(country.path);
    expect(page).not.to.contain('<script>alert');
    expect(page).not.to.contain('<img');
    expect(page).to.contain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;');
    expect(page).to.contain('value="&lt;img src=x onerror=alert(1)&gt;"');
    // The page's only script is Rung's own, from this origin; a CSP forbids any other.
    expect(page.match(/<script/g)).to.have.length(1);
    expect(page).to.match(/<script src="[^"]+\/assets\/rung\.js\?v=[0-9a-f]+" defer><\/script>/);
    expect(page).to.contain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;self&#39;; script-src &#39;self&#39;`);
    const list = await getHtml(`/countries?capital=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
    expect(list.page).not.to.contain('<img');
    expect(list.page).not.to.contain('<script>alert');
  });

  it('renders IRIs as anchors, and only http(s) IRIs', async () => {
    const country = await createCountry(api, { name: 'Linkland', capital: 'javascript:alert(1)', area: 2 });
    const { page } = await getHtml(country.path);
    const links = hrefs(page);
    expect(links).to.include(`${api.base}${country.path}`);
    expect(links).to.include(`${api.base}/countries`);
    expect(links).to.include(`${api.base}/events?location=${country.path.split('/').pop()}`);
    expect(links).to.include(`${api.base}/`);
    expect(links).to.include(`${api.base}/docs`);
    expect(links.some((h) => h.startsWith('javascript:'))).to.equal(false);
    expect(page).to.contain('<td>javascript:alert(1)</td>');
  });

  it('shows a collection page as a members table with paging and the search template as a GET form', async () => {
    const { page } = await getHtml('/countries?page=2');
    const links = hrefs(page);
    // Page 1 is the collection itself (issue 11: a view is named by the URL fetched).
    expect(links).to.include(`${api.base}/countries`);
    expect(links).to.include(`${api.base}/countries?page=3`);
    expect(page).to.contain(`<a class="button" rel="prev" href="${api.base}/countries">`);
    expect(page).to.match(/<a class="button" rel="next" href="[^"]+page=3">/);
    expect(page).to.match(/Page 2 of \d+ · \d+ items/);
    // 20 members, each linked from the first column.
    expect(page.match(/<tr><th scope="row"><a href="[^"]+\/countries\/\d+"/g)).to.have.length(20);
    expect(page).to.contain(`<form method="get" action="${api.base}/countries" data-search>`);
    for (const variable of ['name', 'name_contains', 'capital', 'capital_contains', 'area', 'area_gte', 'area_lte', 'q', 'sort', 'page', 'pageSize']) {
      expect(page).to.contain(`name="${variable}" type="search"`);
    }
    // Create, from the documentation's POST and the class's writeable properties.
    expect(page).to.contain(`<form class="op" data-method="POST" action="${api.base}/countries" method="post"`);
    expect(page).to.match(/id="post-name" name="name" data-kind="string" required/);
    expect(page).to.match(/id="post-area" name="area" data-kind="number"/);
  });

  it('offers the documented and inline operations of an item as forms carrying the page ETag', async () => {
    const country = await createCountry(api, { name: 'Opland', capital: 'Op', area: 3 });
    let { page, etag } = await getHtml(country.path);
    expect(page).to.contain(`data-etag="${etag.replace(/"/g, '&quot;')}"`);
    expect(page).to.contain(`data-method="PATCH" action="${api.base}${country.path}" method="post" data-if-match`);
    expect(page).to.contain(`data-method="PUT" action="${api.base}${country.path}" method="post" data-if-match`);
    // DELETE is the country's inline operation while no event refers to it…
    expect(page).to.contain(`data-method="DELETE" action="${api.base}${country.path}" method="post" data-if-match data-after="${api.base}/countries"`);
    await createEvent(api, country.iri);
    ({ page } = await getHtml(country.path));
    // …and gone once one does.
    expect(page).not.to.contain('data-method="DELETE"');

    const event = await createEvent(api, country.iri, { name: 'Formed' });
    ({ page } = await getHtml(event.path));
    expect(page).to.contain('data-method="DELETE"');
    // A link field names the entry point's collection that lists its candidates.
    expect(page).to.match(/name="location" data-kind="iri" data-initial="[^"]+" value="[^"]+" placeholder="[^"]*" data-options-from="countries"/);
    expect(page).to.contain('data-initial="Formed"');
  });

  it('shows the entry point and the API documentation', async () => {
    const home = await getHtml('/');
    expect(hrefs(home.page)).to.include.members([`${api.base}/countries`, `${api.base}/events`]);
    const docs = await getHtml('/docs');
    expect(docs.page).to.contain('<section class="doc-class" id="class-Event">');
    expect(docs.page).to.match(/<th scope="row" title="https:\/\/schema.org\/startDate">startDate<\/th>/);
    expect(docs.page).to.contain('<a href="#class-Country" title="https://schema.org/Country">Country</a>');
  });

  it('serves its stylesheet and script itself, versioned, with ETag and a long Cache-Control', async () => {
    const { page } = await getHtml('/');
    for (const [file, type] of [['rung.css', 'text/css'], ['rung.js', 'text/javascript']]) {
      const url = page.match(new RegExp(`(?:href|src)="([^"]+/assets/${file.replace('.', '\\.')}\\?v=[0-9a-f]+)"`))![1];
      const res = await api.http.get(new URL(url).pathname + new URL(url).search).expect(200);
      expect(res.headers['content-type']).to.equal(`${type}; charset=utf-8`);
      expect(res.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
      expect(res.headers.etag).to.match(/^"[0-9a-f]+"$/);
      await api.http.get(`/assets/${file}`).set('If-None-Match', res.headers.etag).expect(304);
    }
    const missing = await api.http.get('/assets/nope.js').expect(404);
    expect(missing.headers['content-type']).to.match(/^application\/problem\+json/);
  });
});
