/**
 * The judge of the crash test (test/support/crash-model.ts), by a table:
 * it accepts what a correct server may show after a kill and names each kind
 * of loss it must catch, so the crash test can fail.
 */
import { expect } from 'chai';
import { checkRound } from './support/crash-model.js';
import type { ItemState, WriteRecord } from './support/writes.js';

const state = (version: number, name: string, generation = 'g1'): ItemState => ({ generation, version, content: { name }, etag: `"r.${generation}.${version.toString(36)}-json"` });
const w = (seq: number, method: WriteRecord['method'], path: string, outcome: WriteRecord['outcome'], extra: Partial<WriteRecord> = {}): WriteRecord => ({
  seq,
  method,
  path,
  outcome,
  sentAt: 0,
  ...extra,
});
const put = (seq: number, path: string, outcome: WriteRecord['outcome'], version?: number, name = `n${seq}`) =>
  w(seq, 'PUT', path, outcome, { body: { name }, status: outcome === 'ack' ? 200 : undefined, item: path, state: version ? state(version, name) : undefined });

const before = new Map([['/countries/1', state(1, 'start')]]);
const after = (s?: ItemState, extra: [string, ItemState][] = []) => new Map<string, ItemState>([...(s ? [['/countries/1', s] as [string, ItemState]] : []), ...extra]);

describe('crash model', () => {
  const cases: [string, WriteRecord[], Map<string, ItemState>, RegExp | null][] = [
    ['the last acknowledged write is shown', [put(2, '/countries/1', 'ack', 2), put(3, '/countries/1', 'ack', 3)], after(state(3, 'n3')), null],
    ['an unanswered write after it may have landed', [put(2, '/countries/1', 'ack', 2), put(3, '/countries/1', 'unknown')], after(state(3, 'n3')), null],
    ['or not', [put(2, '/countries/1', 'ack', 2), put(3, '/countries/1', 'unknown')], after(state(2, 'n2')), null],
    ['an older version is a lost write', [put(2, '/countries/1', 'ack', 2), put(3, '/countries/1', 'ack', 3)], after(state(2, 'n2')), /lost write/],
    ['the acknowledged version with other content', [put(2, '/countries/1', 'ack', 2)], after(state(2, 'start')), /acknowledged as/],
    ['a newer version no write explains', [put(2, '/countries/1', 'ack', 2)], after(state(3, 'other')), /not v2/],
    ['two acknowledged writes with one version', [put(2, '/countries/1', 'ack', 2), put(3, '/countries/1', 'ack', 2, 'n3')], after(state(2, 'n3')), /two acknowledged writes returned version 2/],
    ['gone without a DELETE', [put(2, '/countries/1', 'ack', 2)], after(undefined), /gone after the restart/],
    ['gone after an unanswered DELETE', [w(2, 'DELETE', '/countries/1', 'unknown')], after(undefined), null],
    ['still there after an acknowledged DELETE', [w(2, 'DELETE', '/countries/1', 'ack', { status: 204 })], after(state(1, 'start')), /still there/],
    [
      'a guest of an event deleted with acknowledgement',
      [w(2, 'DELETE', '/events/7', 'ack', { status: 204 })],
      after(state(1, 'start'), [['/events/7/guests/3', state(1, 'guest')]]),
      /appeared|still there/,
    ],
    ['an item from an unanswered POST', [w(2, 'POST', '/countries', 'unknown', { body: { name: 'p' } })], after(state(1, 'start'), [['/countries/9', state(1, 'p')]]), null],
    ['an item no write explains', [], after(state(1, 'start'), [['/countries/9', state(1, 'p')]]), /no write explains/],
    ['an acknowledged answer that is not the write', [w(2, 'PUT', '/countries/1', 'ack', { body: { name: 'a' }, status: 200, item: '/countries/1', state: state(2, 'b') })], after(state(2, 'b')), /not the write/],
  ];
  for (const [title, writes, observed, expected] of cases) {
    it(title, () => {
      const problems = checkRound(before, writes, observed);
      if (expected) expect(problems.join('\n')).to.match(expected);
      else expect(problems).to.deep.equal([]);
    });
  }
});
