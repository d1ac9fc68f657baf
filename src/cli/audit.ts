/**
 * `rung audit URL`: the Richardson maturity level of any live HTTP API,
 * each criterion with the request sent and the answer seen. Exit code 0
 * whenever the audit ran, whatever the level; 2 when URL cannot be reached.
 */
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { audit, auditHtml, auditJson, auditText, Unreachable } from '../index.js';
import { positive, progressReporter } from './progress.js';

export function auditCommand(): Command {
  return new Command('audit')
    .description('Measure the REST maturity level (Richardson, 0–3) of a live API, with the evidence for every criterion.')
    .argument('<url>', 'where a client would start, e.g. http://localhost:3000/')
    .option('--allow-writes', 'also check writes: create a copy of an item, probe with it, then delete what was created')
    .option('--post <json>', 'for APIs that read only by POST (RPC): the JSON body of a read request, POSTed where the audit would GET')
    .option('--max-requests <n>', 'most requests to send', (v) => {
      try {
        return positive('--max-requests')(v);
      } catch (err) {
        throw new InvalidArgumentError((err as Error).message);
      }
    }, 150)
    .option('--json', 'print one JSON object: level, scores, checks with their evidence')
    .option('--html <file>', 'also write an HTML report with the ladder drawn')
    .option('-q, --quiet', 'no progress on stderr')
    .addHelpText('after', '\nOnly GET, HEAD and OPTIONS unless --allow-writes. Exit code 0 when the audit ran (whatever the level), 2 when URL cannot be reached.')
    .action(async (url: string, opts) => {
      if (!/^https?:\/\//.test(url)) url = `http://${url}`;
      if (opts.post !== undefined) {
        try {
          JSON.parse(opts.post);
        } catch {
          throw new InvalidArgumentError(`--post must be JSON, not ${opts.post}`);
        }
      }
      const progress = progressReporter(!opts.quiet);
      try {
        const result = await audit(url, {
          allowWrites: Boolean(opts.allowWrites),
          post: opts.post,
          maxRequests: opts.maxRequests,
          onProgress: (p) => progress.update(p),
        });
        progress.done();
        if (opts.html) writeFileSync(opts.html, auditHtml(result));
        console.log(opts.json ? JSON.stringify(auditJson(result), null, 2) : auditText(result));
        if (opts.html && !opts.json) console.log(`HTML report: ${opts.html}`);
      } catch (err) {
        progress.done();
        if (err instanceof Unreachable) {
          console.error(`rung audit: cannot reach ${url}: ${err.message}`);
          process.exitCode = 2;
          return;
        }
        throw err;
      }
    });
}
