/** `rung audit`: the Richardson level of any live HTTP API, with evidence (imports crawl/ only). */
export { audit, type AuditResult } from './audit.js';
export { type AuditOptions } from './session.js';
export { type Check, type Evidence } from './evidence.js';
export { errorInBody } from './answers.js';
export { grade, type LevelScore } from './grade.js';
export { auditText, auditJson, auditHtml } from './report.js';
export { LEVELS, ladderSvg, type Level, type LevelInfo } from './maturity.js';
