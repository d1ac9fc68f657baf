/**
 * `rung crawl URL`: follow the links of any HTTP API from one URL and print
 * the resources and operations found, as a tree (or `--json`). Safe methods
 * only, the start URL's origin only, within limits.
 */
import { Command, InvalidArgumentError } from 'commander';
import { crawl, crawlJson, crawlTree, Unreachable } from '../index.js';
import { positive, progressReporter } from './progress.js';

const parse = (fn: (v: string) => number) => (v: string) => {
  try {
    return fn(v);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};

export function crawlCommand(): Command {
  return new Command('crawl')
    .description('Follow the links of a live API from URL (JSON-LD, Hydra, HAL, Link headers, Location) and print what it offers.')
    .argument('<url>', 'where to start, e.g. http://localhost:3000/')
    .option('--max-requests <n>', 'most requests to send', parse(positive('--max-requests')), 200)
    .option('--max-depth <n>', 'most link hops from URL', parse(positive('--max-depth')), 8)
    .option('--per-shape <n>', 'most resources fetched per URL shape, e.g. /countries/{id}', parse(positive('--per-shape')), 3)
    .option('--json', 'print one JSON object: resources (URL, types, operations) and links')
    .option('-q, --quiet', 'no progress on stderr')
    .addHelpText('after', '\nOnly GET is sent, only to URL\'s origin. Exit code 0 when the crawl ran, 2 when URL cannot be reached.')
    .action(async (url: string, opts) => {
      if (!/^https?:\/\//.test(url)) url = `http://${url}`;
      const progress = progressReporter(!opts.quiet);
      try {
        const result = await crawl(url, {
          maxRequests: opts.maxRequests,
          maxDepth: opts.maxDepth,
          perShape: opts.perShape,
          onProgress: (p) => progress.update(p),
        });
        progress.done();
        const first = result.resources.find((r) => r.url === result.start);
        const startAnswered = first?.status !== undefined || first?.redirectsTo !== undefined;
        if (!startAnswered) throw new Unreachable(`${url} did not answer.`);
        console.log(opts.json ? JSON.stringify(crawlJson(result), null, 2) : crawlTree(result));
      } catch (err) {
        progress.done();
        if (err instanceof Unreachable) {
          console.error(`rung crawl: cannot reach ${url}: ${err.message}`);
          process.exitCode = 2;
          return;
        }
        throw err;
      }
    });
}
