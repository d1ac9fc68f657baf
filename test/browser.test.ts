/**
 * The HTML representation in a real browser: headless Chromium drives the
 * example API on loopback the way a person would — follow links, page
 * through a collection, create, edit and delete an event through the forms
 * (which send JSON with If-Match) — and the stored state is checked.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startLiveApi, type LiveApi } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
/**
 * Where the screenshot goes: test-results/ (git-ignored) so a test run never
 * changes tracked files; `RUNG_SCREENSHOT=docs/html-browser.png npm test`
 * refreshes the README's picture.
 */
const SCREENSHOT = process.env.RUNG_SCREENSHOT
  ? resolve(process.env.RUNG_SCREENSHOT)
  : join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'html-browser.png');

describe('HTML in a browser (Chromium)', function () {
  this.timeout(90_000);
  let server: LiveApi;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  /** Content-Security-Policy violations Chromium reports (the page's own listener, and the console). */
  const cspViolations: string[] = [];
  const watchCsp = async (p: Page) => {
    p.on('console', (msg) => {
      if (/Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(msg.text())) cspViolations.push(msg.text());
    });
    await p.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
  };

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env.CI) throw new Error(`${CHROMIUM} is missing; .ci/run installs it (apt-get install -y chromium)`);
      console.log(`    (skipped: no browser at ${CHROMIUM}; install it with apt-get install -y chromium)`);
      this.skip();
    }
    server = await startLiveApi({ shutdownGraceMs: 1000 });
    // Playwright gives every launch a fresh temporary profile (user-data-dir).
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('dialog', (dialog) => dialog.accept());
    await watchCsp(page);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const api = (path: string) => fetch(`${server.url}${path}`, { headers: { Accept: 'application/ld+json' } });
  const heading = () => page.locator('h1').innerText();

  it('browses, creates, edits and deletes an event through the forms', async () => {
    // The entry point, as a browser asks for it (Accept: text/html,…).
    const home = await page.goto(`${server.url}/`);
    expect(home!.headers()['content-type']).to.equal('text/html; charset=utf-8');
    // Served with its Content-Security-Policy header: the whole walk below runs under it.
    expect(home!.headers()['content-security-policy']).to.include("script-src 'self'");
    expect(home!.headers()['x-content-type-options']).to.equal('nosniff');
    expect(await heading()).to.equal('Rung example API');

    // → countries → next page → a country.
    await page.getByRole('link', { name: '/countries', exact: true }).click();
    await page.waitForURL(`${server.url}/countries`);
    expect(await heading()).to.equal('Countries');
    await page.getByRole('link', { name: 'Next ›' }).click();
    await page.waitForURL(/page=2/);
    expect(await page.locator('.page-of').innerText()).to.match(/^Page 2 of \d+/);
    const firstMember = page.locator('table.members tbody th a').first();
    const countryName = await firstMember.innerText();
    const countryIri = (await firstMember.getAttribute('href'))!;
    await firstMember.click();
    await page.waitForURL(countryIri);
    expect(await heading()).to.equal(countryName);

    // → the events held there; create one (first with a bad date: the problem is shown at the field).
    await page.locator('table.props').getByRole('link', { name: /^\/events\?location=/ }).click();
    await page.waitForURL(/\/events\?location=/);
    const create = page.locator('form[data-method="POST"]');
    await create.getByLabel('name').fill('Hypermedia Summit');
    await create.getByLabel('startDate').fill('next tuesday');
    const location = create.locator('select[name="location"]');
    await location.selectOption({ label: countryName }); // the script fills it from the entry point's countries
    await create.getByRole('button', { name: 'Create' }).click();
    const problem = create.locator('.problem');
    await problem.waitFor();
    expect(await problem.locator('.problem-title').innerText()).to.match(/\(422\)$/);
    expect(await problem.locator('li code').first().innerText()).to.equal('/startDate');
    expect(await create.locator('.field-error[data-for="startDate"]').isVisible()).to.equal(true);

    await create.getByLabel('startDate').fill('2027-06-01T09:30:00Z');
    await create.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/events\/\d+$/);
    const eventUrl = page.url();
    expect(await heading()).to.equal('Hypermedia Summit');
    expect(await page.locator('#flash').innerText()).to.equal('Created.');
    expect(await page.locator('table.props a', { hasText: new URL(countryIri).pathname }).count()).to.equal(1);
    const created = await (await api(new URL(eventUrl).pathname)).json();
    expect(created).to.include({ name: 'Hypermedia Summit', startDate: '2027-06-01T09:30:00Z', location: countryIri });

    // Edit (PATCH, If-Match: the page's ETag).
    const edit = page.locator('form[data-method="PATCH"]');
    await edit.getByLabel('name').fill('Hypermedia Summit 2027');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#flash', { hasText: 'Saved.' }).waitFor();
    expect(await heading()).to.equal('Hypermedia Summit 2027');
    const edited = await (await api(new URL(eventUrl).pathname)).json();
    expect(edited).to.include({ name: 'Hypermedia Summit 2027', startDate: '2027-06-01T09:30:00Z', location: countryIri });

    await page.screenshot({ path: (mkdirSync(dirname(SCREENSHOT), { recursive: true }), SCREENSHOT) });

    // Delete (after the confirm dialog), back on the events list; the event's URL is now a 404.
    await page.locator('form[data-method="DELETE"]').getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(`${server.url}/events`);
    expect(await page.locator('#flash').innerText()).to.equal('Deleted.');
    expect(await page.locator('table.members', { hasText: 'Hypermedia Summit' }).count()).to.equal(0);
    const gone = await page.goto(eventUrl);
    expect(gone!.status()).to.equal(404);
    expect(await page.locator('body').innerText()).to.contain('Not Found').and.to.contain('No resource exists at this URL.');
    expect((await api(new URL(eventUrl).pathname)).status).to.equal(404);

    expect(pageErrors).to.deep.equal([]);
    expect(cspViolations).to.deep.equal([]);
  });

  it('shows a stale write as a 412 problem with a link to the current version', async () => {
    await page.goto(`${server.url}/countries?name=Iceland`);
    await page.locator('table.members tbody th a').first().click();
    await page.waitForURL(/\/countries\/\d+$/);
    const path = new URL(page.url()).pathname;
    // Someone else changes the country after this page was rendered.
    const current = await api(path);
    const res = await fetch(`${server.url}${path}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json', 'If-Match': current.headers.get('etag')! },
      body: JSON.stringify({ capital: 'Reykjavík (changed)' }),
    });
    expect(res.status).to.equal(200);
    const edit = page.locator('form[data-method="PATCH"]');
    await edit.getByLabel('area').fill('1');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    const problem = edit.locator('.problem');
    await problem.waitFor();
    expect(await problem.locator('.problem-title').innerText()).to.equal('Precondition Failed (412)');
    expect(await problem.getByRole('link', { name: 'Reload the current version' }).getAttribute('href')).to.equal(`${server.url}${path}`);
    expect((await (await api(path)).json()).area).to.not.equal(1);
  });

  it('offers forms only to a caller who may write: none anonymously, working ones with a write token (under the CSP)', async () => {
    const guarded = await startLiveApi({ shutdownGraceMs: 1000, auth: { anonymous: 'read' } });
    const { token } = await guarded.rung.tokens.create({ scopes: ['read', 'write'], name: 'browser' });
    const anonymous = await browser.newContext();
    const writer = await browser.newContext({ extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
    try {
      const anonymousPage = await anonymous.newPage();
      await watchCsp(anonymousPage);
      await anonymousPage.goto(`${guarded.url}/events`);
      expect(await anonymousPage.locator('h1').innerText()).to.equal('Events');
      expect(await anonymousPage.locator('form.op').count()).to.equal(0);
      await anonymousPage.goto(`${guarded.url}/countries/1`);
      expect(await anonymousPage.locator('form.op').count()).to.equal(0);

      // The same pages for a caller with a write token: the forms are there, and they work.
      const writerPage = await writer.newPage();
      await watchCsp(writerPage);
      writerPage.on('pageerror', (err) => pageErrors.push(err.message));
      await writerPage.goto(`${guarded.url}/countries/1`);
      expect(await writerPage.locator('form.op').count()).to.be.greaterThan(0);
      const edit = writerPage.locator('form[data-method="PATCH"]');
      await edit.getByLabel('capital').fill('Written with a token');
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await writerPage.locator('#flash', { hasText: 'Saved.' }).waitFor();
      const stored = await (await fetch(`${guarded.url}/countries/1`, { headers: { Accept: 'application/ld+json' } })).json();
      expect(stored.capital).to.equal('Written with a token');
      expect(pageErrors).to.deep.equal([]);
      expect(cspViolations).to.deep.equal([]);
    } finally {
      await anonymous.close();
      await writer.close();
      await guarded.stop();
    }
  });
});
