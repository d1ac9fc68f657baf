/**
 * The V8 flags Rung's server runs with: `npm start` and `npm run dev` pass
 * them to node (package.json; test/workers.test.ts checks they do), and
 * `rung serve --workers` and the benchmark read them from here.
 *
 * `--max-semi-space-size=4` (MiB): V8's young generation otherwise grows to
 * 2 × 16 MiB under load, all of it resident. Rung allocates many short-lived
 * objects per request and keeps few of them, so scavenging a smaller young
 * generation more often costs no throughput (the benchmark's random item
 * GETs ran as fast or faster) and keeps ~25 MB out of the RSS.
 * @see https://nodejs.org/docs/latest-v20.x/api/cli.html#--max-semi-space-sizesize-in-megabytes
 *
 * Flags only take effect on node's command line (or NODE_OPTIONS), not from
 * inside a running process: a server started as `node bin/rung.js serve`
 * should pass them itself.
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

/** `execArgv` with each of {@link NODE_FLAGS} whose option it does not already set. */
export function withNodeFlags(execArgv: readonly string[]): string[] {
  const option = (flag: string) => flag.split('=')[0];
  const missing = NODE_FLAGS.filter((flag) => !execArgv.some((arg) => option(arg) === option(flag)));
  return [...execArgv, ...missing];
}
