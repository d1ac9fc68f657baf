/**
 * The benchmark's scenarios stay valid: `bench/run.ts --check` starts bare
 * Koa, the floor server and Rung on a small data set, sends the first
 * requests of every scenario, and fails when one answers another status
 * than the one the scenario counts on. No timing is asserted here: the
 * measurement is `npm run bench`.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { PG_ADMIN_URL, requirePostgres } from './helpers-pg.js';

describe('npm run bench', function () {
  this.timeout(120_000);

  it('--check: every scenario answers its expected status', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--check'], {
      encoding: 'utf8',
      env: { ...process.env, BENCH_ITEMS: '300' },
    });
    expect(run.status, run.stderr + run.stdout).to.equal(0);
    expect(run.stdout).to.include('Every scenario answers its expected status.');
    for (const scenario of ['workers 2: item GET, random of 550', 'workers 2: 90% random item GET, 10% PATCH', 'random of 550', 'Turtle', 'N-Quads', 'deep page', 'indexed filter', '90% random item GET, 10% PATCH', 'PATCH, random item', 'POST, a new country']) {
      expect(run.stdout, scenario).to.include(scenario);
    }
  });

  it('--check with BENCH_STORE=postgres: every scenario answers its expected status on PostgreSQL too', async function () {
    await requirePostgres(this, 'the PostgreSQL benchmark check');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--check'], {
      encoding: 'utf8',
      env: { ...process.env, BENCH_ITEMS: '300', BENCH_STORE: 'postgres', BENCH_PG_URL: PG_ADMIN_URL },
    });
    expect(run.status, run.stderr + run.stdout).to.equal(0);
    expect(run.stdout).to.include('Starting Rung on PostgreSQL');
    for (const scenario of ['random of 550', 'deep page', 'indexed filter', '90% random item GET, 10% PATCH', 'PATCH, random item', 'POST, a new country']) {
      expect(run.stdout.split('\n').some((line) => line.includes('PostgreSQL: ') && line.includes(scenario)), scenario).to.equal(true);
    }
  });
});
