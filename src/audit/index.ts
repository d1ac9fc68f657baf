/** `rung audit`: the Richardson level of any live HTTP API, with evidence (imports crawl/ only). */
export { audit, grade, errorInBody, type AuditOptions, type AuditResult, type Check, type Evidence, type LevelScore } from './audit.js';
export { auditText, auditJson, auditHtml } from './report.js';
export { LEVELS, ladderSvg, type Level, type LevelInfo } from './maturity.js';
