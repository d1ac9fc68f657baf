/**
 * Issue 8: the layering of src/ (src/README.md), checked by
 * dependency-cruiser with the rules in .dependency-cruiser.cjs — each folder
 * imports only folders below it (type-only imports included), the example
 * uses only the public entry, and no module needs itself at run time.
 */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';

const CONFIG = resolve('.dependency-cruiser.cjs');

/** Violations (rule name, from, to) found by cruising `src/` under `baseDir`. */
async function violations(baseDir: string): Promise<{ rule: string; from: string; to: string }[]> {
  const options = await extractDepcruiseOptions(CONFIG);
  const result = await cruise(['src'], { ...options, baseDir, tsConfig: undefined, outputType: 'json' });
  const output = JSON.parse(result.output as string) as ICruiseResult;
  return output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

/** A throwaway tree of TypeScript files: path → source. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rung-layers-'));
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  return dir;
}

describe('layers', function () {
  this.timeout(60_000);

  it('src/ has no upward import, no runtime cycle, and the example imports only the entry', async () => {
    expect(await violations(process.cwd())).to.deep.equal([]);
  });

  it('the check fails on an upward import, a type-only one included', async () => {
    const dir = tree({
      'src/http/errors.ts': "import type { Format } from '../formats/format.js';\nexport type X = Format;\n",
      'src/formats/format.ts': 'export interface Format { key: string }\n',
      'src/store/store.ts': "import { x } from '../resources/definition.js';\nexport const y = x;\n",
      'src/resources/definition.ts': 'export const x = 1;\n',
    });
    try {
      expect(await violations(dir)).to.have.deep.members([
        { rule: 'http-imports-downwards', from: 'src/http/errors.ts', to: 'src/formats/format.ts' },
        { rule: 'store-imports-downwards', from: 'src/store/store.ts', to: 'src/resources/definition.ts' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the check fails when the example reaches past the entry, and on a runtime cycle', async () => {
    const dir = tree({
      'src/index.ts': "export { defineResource } from './resources/definition.js';\n",
      'src/resources/definition.ts': "import { b } from './b.js';\nexport const defineResource = () => b;\n",
      'src/resources/b.ts': "import { defineResource } from './definition.js';\nexport const b = typeof defineResource;\n",
      'src/example/country.ts': "import { defineResource } from '../resources/definition.js';\nexport const c = defineResource();\n",
    });
    try {
      const rules = (await violations(dir)).map((v) => `${v.rule} ${v.from}`);
      expect(rules).to.include('example-uses-the-public-entry src/example/country.ts');
      expect(rules.filter((r) => r.startsWith('no-runtime-cycle src/resources/'))).to.have.length.above(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
