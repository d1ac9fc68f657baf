/**
 * The audit's three outputs: text for a terminal, one JSON object
 * (`--json`), and a standalone HTML page with the ladder drawn (`--html`).
 */
import type { AuditResult } from './audit.js';
import type { Check } from './evidence.js';
import { ladderSvg, LEVELS } from './maturity.js';

const mark = (c: Check) => (c.passed === undefined ? '–' : c.passed ? '✓' : '✗');
const score = (r: AuditResult, level: number) => {
  const s = r.scores[level];
  return `${s.passed}/${s.run}${s.run < s.total ? ` (${s.total - s.run} not run)` : ''}`;
};

export function auditText(result: AuditResult): string {
  const out: string[] = [`Audit of ${result.url} (${result.requests} requests${result.allowWrites ? ', writes allowed' : ', safe methods only'})`, ''];
  for (const info of LEVELS) {
    out.push(`Level ${info.level} · ${info.name}`.padEnd(40) + score(result, info.level));
    for (const check of result.checks.filter((c) => c.level === info.level)) {
      out.push(`  ${mark(check)} ${check.title}${check.required ? '' : ' (optional)'}`);
      out.push(`      ${check.detail}`);
      for (const e of check.evidence) out.push(`      ${e.method} ${e.url} → ${e.status}${e.note ? `  ${e.note}` : ''}`);
    }
    out.push('');
  }
  out.push(`Level reached: ${result.level} (${LEVELS[result.level].name})`);
  if (result.next) out.push(`Next step: ${result.next}`);
  return out.join('\n');
}

/** `--json`: at least `level` and `checks` (id, level, passed, evidence with method, URL, status). */
export function auditJson(result: AuditResult): Record<string, unknown> {
  return {
    url: result.url,
    level: result.level,
    levelName: LEVELS[result.level].name,
    next: result.next ?? null,
    scores: result.scores,
    requests: result.requests,
    allowWrites: result.allowWrites,
    checks: result.checks.map((c) => ({
      id: c.id,
      level: c.level,
      title: c.title,
      passed: c.passed ?? null,
      required: c.required,
      detail: c.detail,
      advice: c.advice,
      evidence: c.evidence,
    })),
  };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; line-height: 1.45; }
header { background: #24292f; color: #fff; padding: 1rem 2rem; }
header h1 { margin: 0; font-size: 1.35rem; }
header p { margin: 0.2rem 0 0; color: #d0d7de; overflow-wrap: anywhere; }
main { max-width: 1100px; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
.summary { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 1rem 1.5rem; }
.summary .verdict { flex: 1 1 300px; }
.verdict .big { font-size: 2.4rem; font-weight: 700; color: #0b5cad; margin: 0; }
.next { background: #ddeeff; border-radius: 6px; padding: 0.6rem 0.9rem; }
h2 { margin: 2rem 0 0.5rem; font-size: 1.15rem; }
h2 .score { color: #656d76; font-weight: 500; font-size: 0.95rem; margin-left: 0.5rem; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid #d0d7de; }
th, td { text-align: left; vertical-align: top; padding: 0.45rem 0.7rem; border-bottom: 1px solid #eaeef2; }
td.mark { width: 2rem; font-size: 1.1rem; text-align: center; }
.pass { color: #1a7f37; } .fail { color: #b42318; } .skip { color: #8c959f; }
.optional { color: #656d76; font-size: 0.8rem; font-weight: 400; }
ul.evidence { margin: 0.3rem 0 0; padding-left: 1.1rem; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 0.8rem; color: #424a53; }
ul.evidence li { overflow-wrap: anywhere; }
.detail { margin: 0; }
`;

export function auditHtml(result: AuditResult): string {
  const notes = Object.fromEntries(result.scores.map((s) => [s.level, `${s.passed}/${s.run}`]));
  const sections = LEVELS.map((info) => {
    const rows = result.checks
      .filter((c) => c.level === info.level)
      .map((c) => {
        const cls = c.passed === undefined ? 'skip' : c.passed ? 'pass' : 'fail';
        const evidence = c.evidence.length
          ? `<ul class="evidence">${c.evidence.map((e) => `<li>${escape(`${e.method} ${e.url} → ${e.status}${e.note ? `  ${e.note}` : ''}`)}</li>`).join('')}</ul>`
          : '';
        return `<tr class="check-${cls}"><td class="mark ${cls}">${mark(c)}</td><td><strong>${escape(c.title)}</strong>${c.required ? '' : ' <span class="optional">optional</span>'}<p class="detail">${escape(c.detail)}</p>${evidence}</td></tr>`;
      })
      .join('');
    return `<h2 id="level-${info.level}">Level ${info.level} · ${escape(info.name)}<span class="score">${escape(score(result, info.level))}</span></h2><table><tbody>${rows}</tbody></table>`;
  }).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>REST maturity audit: level ${result.level} · ${escape(result.url)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>REST maturity audit</h1><p>${escape(result.url)} · ${result.requests} requests · ${result.allowWrites ? 'writes allowed (and undone)' : 'safe methods only'}</p></header>
<main>
<section class="summary">
${ladderSvg({ current: result.level, marker: 'reached', notes, href: (l) => `#level-${l}` })}
<div class="verdict">
<p>Level reached</p>
<p class="big">${result.level} · ${escape(LEVELS[result.level].name)}</p>
<p>${escape(LEVELS[result.level].adds)}.</p>
${result.next ? `<p class="next"><strong>Next step.</strong> ${escape(result.next)}</p>` : ''}
</div>
</section>
${sections}
</main>
</body>
</html>
`;
}
