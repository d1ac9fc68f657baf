/**
 * Grading an audit: the score of each level and the level reached — every
 * required check of it and of the levels below that could be run has passed —
 * and the next step to climb.
 */
import { LEVELS, type Level } from './maturity.js';
import type { Check } from './evidence.js';

export interface LevelScore {
  level: Level;
  passed: number;
  run: number;
  total: number;
}

/** Scores per level, the level reached, the next step. */
export function grade(checks: Check[]): { level: Level; checks: Check[]; scores: LevelScore[]; next?: string } {
  const scores = LEVELS.map(({ level }) => {
    const own = checks.filter((c) => c.level === level);
    const run = own.filter((c) => c.passed !== undefined);
    return { level, passed: run.filter((c) => c.passed).length, run: run.length, total: own.length };
  });
  let reached: Level = 0;
  for (const level of [1, 2, 3] as Level[]) {
    const required = checks.filter((c) => c.level === level && c.required && c.passed !== undefined);
    if (required.length === 0 || required.some((c) => !c.passed)) break;
    reached = level;
  }
  const failing = checks.filter((c) => c.passed === false && c.level > reached).sort((a, b) => a.level - b.level || Number(b.required) - Number(a.required));
  const optional = checks.filter((c) => c.passed === false && c.level <= reached);
  const nextCheck = failing[0] ?? optional[0];
  const next = nextCheck
    ? `${nextCheck.level > reached ? `To reach level ${reached + 1} (${LEVELS[reached + 1].name}): ` : 'Still to do: '}${nextCheck.advice}`
    : reached < 3
      ? `To reach level ${reached + 1}: ${LEVELS[reached + 1].adds}.`
      : undefined;
  return { level: reached, checks, scores, next };
}
