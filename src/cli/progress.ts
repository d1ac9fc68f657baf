/**
 * Progress on stderr while a crawl or an audit works: one line rewritten in
 * place on a terminal, a line every 25 requests otherwise (logs, CI).
 */
export function progressReporter(enabled: boolean) {
  const tty = process.stderr.isTTY === true;
  let lastLogged = 0;
  return {
    update(p: { requests: number; found: number; url: string }) {
      if (!enabled) return;
      if (tty) {
        const text = `${p.requests} requests · ${p.found} resources · ${p.url}`;
        process.stderr.write(`\r\x1b[K${text.slice(0, (process.stderr.columns || 100) - 1)}`);
      } else if (p.requests - lastLogged >= 25) {
        lastLogged = p.requests;
        process.stderr.write(`… ${p.requests} requests, ${p.found} resources\n`);
      }
    },
    done() {
      if (enabled && tty) process.stderr.write('\r\x1b[K');
    },
  };
}

/** A positive integer option. */
export function positive(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1) throw new Error(`${name} must be a positive integer, not ${value}`);
    return n;
  };
}
