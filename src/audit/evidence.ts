/**
 * The evidence model of `rung audit`: a {@link Check} is one criterion of a
 * level, and its {@link Evidence} the requests it sent and the answers it saw.
 */
import type { Exchange } from '../crawl/client.js';
import type { Level } from './maturity.js';

export interface Evidence {
  method: string;
  url: string;
  status: number;
  /** What this answer showed, in a few words. */
  note?: string;
}

export interface Check {
  id: string;
  level: Level;
  title: string;
  /** Undefined: not run (e.g. it needs `--allow-writes`, or nothing to run it on). */
  passed?: boolean;
  /** Required to reach the level (when it could be run); the others count in the score only. */
  required: boolean;
  detail: string;
  /** What to do when it fails. */
  advice: string;
  evidence: Evidence[];
}

/** One exchange as evidence, with what it showed in a few words. */
export const evidence = (ex: Exchange, note?: string): Evidence => ({ method: ex.method, url: ex.url, status: ex.status, ...(note ? { note } : {}) });
