/**
 * Regenerates README.md from docs/README.template.md with REAL output: starts
 * the example API (and one with --require-preconditions) on fresh temporary
 * databases, runs each curl command below, and puts its output where the
 * template says `{{N}}` (options: `body=K` keeps K body lines, `head=K` keeps K
 * lines in all). Date, Connection and Keep-Alive headers are left out.
 *
 *   node --import tsx docs/build-readme.ts      (needs curl; ports 3000 and 3001 free)
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const B = 'localhost:3000';
const dir = mkdtempSync(join(tmpdir(), 'rung-readme-'));

function serve(port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/rung.ts', 'serve', '--port', String(port)], {
    env: { ...process.env, RUNG_DB: join(dir, `${port}.db`), LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve) => child.stdout!.on('data', (d) => String(d).includes('listening') && resolve(child)));
}

const outputs = new Map<number, string>();
const sh = (command: string) => execSync(command, { shell: '/bin/bash', encoding: 'utf8' });
function run(n: number, command: string): string {
  const out = sh(command);
  outputs.set(n, `$ ${command}\n${out}`);
  return out;
}
const header = (out: string, name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(out)?.[1].trim() ?? '';
const json = (body: string) => JSON.parse(body);

const servers = [await serve(3000), await serve(3001, { RUNG_REQUIRE_PRECONDITIONS: '1' })];
try {
  const TH = (json(sh(`curl -s '${B}/countries?name=Thailand'`)).member[0]['@id'] as string).split('/').pop();
  run(1, `curl -si ${B}/`);
  run(2, `curl -si '${B}/countries?capital=Bangkok'`);
  run(3, `curl -si ${B}/countries/${TH}`);
  const created = run(4, `curl -si -X POST ${B}/countries -H 'Content-Type: application/json' -d '{"name": "Atlantis", "capital": "Poseidonia", "area": 5000}'`);
  const AT = header(created, 'Location');
  const E1 = header(created, 'ETag');
  const E2 = header(run(5, `curl -si -X PUT ${AT} -H 'Content-Type: application/json' -H 'If-Match: ${E1}' -d '{"name": "Atlantis", "capital": "Poseidonia"}'`), 'ETag');
  const E3 = header(run(6, `curl -si -X PATCH ${AT} -H 'Content-Type: application/merge-patch+json' -H 'If-Match: ${E2}' -d '{"area": 4200}'`), 'ETag');
  run(7, `curl -si -X PATCH ${AT} -H 'Content-Type: application/merge-patch+json' -H 'If-Match: ${E1}' -d '{"area": 1}'`);
  run(8, `curl -si ${AT} -H 'If-None-Match: ${E3}'`);
  run(9, `curl -si -X DELETE ${AT} -H 'If-Match: ${E3}'`);
  run(10, `curl -si ${AT}`);
  const EV = header(run(11, `curl -si -X POST ${B}/events -H 'Content-Type: application/json' -d '{"name": "RestConf", "startDate": "2027-05-01T09:00:00Z", "location": "http://${B}/countries/${TH}"}'`), 'Location');
  const GU = header(run(12, `curl -si -X POST ${EV}/guests -H 'Content-Type: application/json' -d '{"name": "Ada Lovelace", "email": "ada@example.org"}'`), 'Location');
  run(13, `curl -si ${GU}`);
  run(14, `curl -si ${EV}/guests`);
  run(15, `curl -si -X DELETE ${B}/countries/${TH}`);
  run(16, `curl -si -X POST ${B}/countries -H 'Content-Type: application/json' -d '{"name": "Oops",'`);
  run(17, `curl -si -X POST ${B}/countries -H 'Content-Type: application/xml' -d '<country><name>Oops</name></country>'`);
  run(18, `curl -si -X POST ${B}/countries -H 'Content-Type: application/json' -d '{"capital": 42, "area": -5, "population": 1000}'`);
  run(19, `curl -si ${B}/countries/99999`);
  run(20, `curl -si -X DELETE ${B}/countries`);
  run(21, `curl -si ${B}/countries/${TH} -H 'Accept: application/xml'`);
  run(22, `curl -si '${B}/countries?population=5'`);
  run(23, `curl -si -X OPTIONS ${B}/countries`);
  run(24, `curl -s '${B}/countries?area_gte=7000000&sort=-area&pageSize=2'`);
  run(25, `curl -si ${B}/countries/${TH} -H 'Accept: text/turtle'`);
  run(26, `curl -s ${B}/countries/${TH} -H 'Accept: application/n-quads'`);
  run(27, `curl -s ${B}/countries/${TH} -H 'Accept: application/n-triples'`);
  run(28, `curl -s ${B}/countries/${TH} -H 'Accept: application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"'`);
  run(29, `curl -s ${B}/countries/${TH} -H 'Accept: application/ld+json; profile="http://www.w3.org/ns/json-ld#flattened"'`);
  run(30, `curl -si ${B}/countries/${TH} -H 'Accept: application/json'`);
  run(31, `curl -sI ${B}/countries/${TH} -H 'Accept: text/html'`);
  run(33, `curl -si -X DELETE localhost:3001/countries/1`);
  run(34, `curl -si -X POST ${B}/countries -H 'Content-Type: application/json' --data-binary @<(node -e 'process.stdout.write(JSON.stringify({name: "x".repeat(1100000)}))')`);
  run(35, `curl -sI ${B}/countries/${TH}`);
  // Teaching REST maturity: the levels, and rung audit / rung crawl on them.
  run(40, `curl -si ${B}/levels/0 -H 'Content-Type: application/json' -d '{"action": "getCountry", "id": 99999}'`);
  run(41, `curl -si ${B}/levels/2/countries/${TH}`);
  run(42, `node bin/rung.js audit ${B}/levels/0 --post '{"action": "listCountries"}' -q | grep -E '^(Level|Next)'`);
  run(43, `node bin/rung.js audit ${B}/levels/1/countries --post '{"action": "read"}' -q | grep -E '^(Level|Next)'`);
  run(44, `node bin/rung.js audit ${B}/levels/2/countries -q`);
  run(45, `node bin/rung.js audit ${B}/levels/3 --allow-writes -q | grep -E '^(Level|Next)'`);
  run(46, `node bin/rung.js crawl ${B}/ -q`);
  run(36, `curl -s '${B}/countries?q=bang'`);
  run(37, `curl -s ${B}/countries/${TH} -H 'Accept: application/hal+json'`);
  run(38, `npx comunica-sparql http://${B}/countries 'PREFIX schema: <https://schema.org/> PREFIX vocab: <http://${B}/docs#> SELECT ?country ?name WHERE { ?country vocab:capital "Bangkok"; schema:name ?name }'`);
  run(39, `node --input-type=module -e "import { Ketting } from 'ketting'; const countries = await new Ketting('http://${B}/').go().follow('http://${B}/docs#EntryPoint/countries'); const found = await (await countries.follow('search', { q: 'bangkok' })).get(); console.log(found.contentHeaders().get('Content-Type'), found.getEmbedded().map((c) => c.data));"`);
} finally {
  for (const server of servers) server.kill('SIGTERM');
}

const NOISE = /^(Date|Connection|Keep-Alive): /i;
function render(n: number, options: { body?: number; head?: number }): string {
  const text = outputs.get(n);
  if (text === undefined) throw new Error(`The template uses {{${n}}}, which build-readme.ts does not run`);
  let lines = text.replace(/\r/g, '').split('\n').filter((l) => !NOISE.test(l));
  if (options.body !== undefined) {
    const blank = lines.indexOf('', 1);
    if (blank >= 0 && lines.length - blank - 1 > options.body) lines = [...lines.slice(0, blank + 1 + options.body), '…'];
  }
  if (options.head !== undefined && lines.length > options.head) lines = [...lines.slice(0, options.head), '…'];
  return `\`\`\`\n${lines.join('\n').trimEnd()}\n\`\`\``;
}

const template = readFileSync('docs/README.template.md', 'utf8');
const readme = template.replace(/\{\{([^}]+)\}\}/g, (_, spec: string) => {
  const [n, ...opts] = spec.split(',');
  const options = Object.fromEntries(opts.map((o) => { const [k, v] = o.split('='); return [k, Number(v)]; }));
  return render(Number(n), options);
});
writeFileSync('README.md', readme);
rmSync(dir, { recursive: true, force: true });
console.log('README.md written');
