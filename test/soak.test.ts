/**
 * Issue 15 §4, the bounded slice of `npm run soak`: 3 s of mixed reads and
 * writes against the compiled server, then every acknowledged write read
 * back. No 5xx, no lost write; RSS is not judged on so short a run, nor is
 * any speed. And the check is no rubber stamp: an item changed behind its
 * back is reported lost.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';

function soak(env: Record<string, string>) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/soak.ts'], {
    encoding: 'utf8',
    env: { ...process.env, SOAK_SECONDS: '3', SOAK_CONNECTIONS: '8', ...env },
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith('SOAK '));
  if (!line) throw new Error(`no SOAK line (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  return { status: run.status, output: run.stdout + run.stderr, result: JSON.parse(line.slice(5)) };
}

describe('npm run soak, a 3 s slice', function () {
  this.timeout(120_000);

  it('answers no 5xx and loses no acknowledged write', () => {
    const { status, output, result } = soak({});
    expect(status, output).to.equal(0);
    expect(result.fiveXx).to.equal(0);
    expect(result.lostWrites).to.equal(0);
    expect(result.unexpected).to.equal(0);
    expect(result.writesChecked, 'writes were made and checked').to.be.greaterThan(10);
    expect(result.rssJudged).to.equal(false);
    expect(output).to.include('PASS: every limit holds.');
  });

  it('reports an acknowledged write changed behind its back as lost, and exits 1', () => {
    const { status, output, result } = soak({ SOAK_TAMPER: '1' });
    expect(result.lostWrites, output).to.equal(1);
    expect(status).to.equal(1);
    expect(output).to.match(/FAIL: 1 acknowledged writes were lost/);
  });
});
