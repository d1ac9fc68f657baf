/**
 * The benchmark runs its servers as compiled JavaScript, as a deployment
 * would (`npm start` runs TypeScript through tsx, whose loader thread alone
 * holds ~30 MB and whose keep-names wrappers cost time on every request):
 * src/ and bench/servers/ are transpiled file by file with TypeScript's
 * `transpileModule` (no type check, no bundling: same modules, same
 * imports) into bench/results/build/, next to a link to contexts/.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Build into `<root>/bench/results/build`; returns that folder. */
export function buildServers(root: string): string {
  const out = join(root, 'bench', 'results', 'build');
  rmSync(out, { recursive: true, force: true });
  for (const file of [...files(join(root, 'src')), ...files(join(root, 'bench', 'servers'))]) {
    const target = join(out, relative(root, file));
    mkdirSync(dirname(target), { recursive: true });
    if (!file.endsWith('.ts')) {
      writeFileSync(target, readFileSync(file));
      continue;
    }
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(target.replace(/\.ts$/, '.js'), outputText);
  }
  // Rung finds its base context relative to its own modules; packages resolve from the project's node_modules.
  if (!existsSync(join(out, 'contexts'))) symlinkSync(join(root, 'contexts'), join(out, 'contexts'));
  writeFileSync(join(out, 'package.json'), '{ "type": "module", "private": true }\n');
  return out;
}
