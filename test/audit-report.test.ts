/**
 * The audit's HTML report in a real browser (Debian's Chromium): the ladder
 * is drawn with the reached level marked, every check is listed with its
 * evidence, and the page needs no script. The screenshot goes to
 * test-results/ (git-ignored); `RUNG_AUDIT_SCREENSHOT=docs/audit-report.png
 * npm test` refreshes the README's picture.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { audit, auditHtml } from '../src/index.js';
import { startLiveApi, type LiveApi } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = process.env.RUNG_AUDIT_SCREENSHOT
  ? resolve(process.env.RUNG_AUDIT_SCREENSHOT)
  : join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'audit-report.png');

describe('The audit report in a browser (Chromium)', function () {
  this.timeout(90_000);
  let api: LiveApi;
  let browser: Browser;
  let dir: string;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env.CI) throw new Error(`${CHROMIUM} is missing; .ci/run installs it (apt-get install -y chromium)`);
      console.log(`    (skipped: no browser at ${CHROMIUM})`);
      this.skip();
    }
    api = await startLiveApi({ shutdownGraceMs: 500 });
    dir = mkdtempSync(join(tmpdir(), 'rung-report-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    await browser?.close();
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('draws the ladder with the reached level and lists every check with its evidence, without script', async () => {
    const result = await audit(`${api.url}/levels/2/countries`, { allowWrites: true });
    const file = join(dir, 'report.html');
    writeFileSync(file, auditHtml(result));
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    expect(await page.locator('.verdict .big').innerText()).to.equal('2 · HTTP verbs');
    const here = page.locator('svg.ladder g.rung.here');
    expect(await here.count()).to.equal(1);
    expect(await here.getAttribute('data-level')).to.equal('2');
    expect(await here.isVisible()).to.equal(true);
    expect(await page.locator('tbody tr').count()).to.equal(result.checks.length);
    expect(await page.locator('tr.check-fail').count()).to.equal(result.checks.filter((c) => c.passed === false).length);
    expect(await page.locator('ul.evidence li').first().innerText()).to.match(/^GET http:\/\/127\.0\.0\.1:\d+\/levels\/2\/countries → 200/);
    await page.screenshot({ path: (mkdirSync(dirname(SCREENSHOT), { recursive: true }), SCREENSHOT), fullPage: false });
    await context.close();
  });
});
