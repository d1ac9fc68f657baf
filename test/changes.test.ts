/** The change tracker: what a write moves, and what stays current. */
import { expect } from 'chai';
import { ChangeTracker, rowTags, tableTag } from '../src/store/changes.js';

describe('ChangeTracker', () => {
  it('a change to a row moves that row and its table, and nothing else', () => {
    const t = new ChangeTracker();
    const before = t.position;
    t.record([{ table: 'countries', id: 5 }]);
    expect(t.changedSince(rowTags('countries', 5), before)).to.equal(true);
    expect(t.changedSince([tableTag('countries')], before)).to.equal(true);
    expect(t.changedSince(rowTags('countries', 6), before)).to.equal(false);
    expect(t.changedSince([tableTag('events')], before)).to.equal(false);
    expect(t.changedSince(undefined, before), 'what names no tags depends on any change').to.equal(true);
    expect(t.changedSince(rowTags('countries', 5), t.position), 'made after the change').to.equal(false);
  });

  it('a change to rows it cannot name (a cascade) moves every row of that table', () => {
    const t = new ChangeTracker();
    const before = t.position;
    t.record([{ table: 'guests' }]);
    expect(t.changedSince(rowTags('guests', 1), before)).to.equal(true);
    expect(t.changedSince(rowTags('events', 1), before)).to.equal(false);
  });

  it('forgets the least recently changed rows past its bound, counting them as changed then (never fresher)', () => {
    const t = new ChangeTracker(3);
    const start = t.position;
    for (const id of [1, 2, 3]) t.record([{ table: 'c', id }]);
    const afterThree = t.position;
    t.record([{ table: 'c', id: 1 }]); // 1 is now the most recent
    t.record([{ table: 'c', id: 4 }]); // forgets 2, the least recently changed
    expect(t.changedSince(rowTags('c', 2), start), 'a forgotten row counts as changed').to.equal(true);
    expect(t.changedSince(rowTags('c', 3), afterThree), 'a remembered row is exact').to.equal(false);
    expect(t.changedSince(rowTags('c', 1), afterThree)).to.equal(true);
    for (let id = 10; id < 10_000; id++) t.record([{ table: 'c', id }]);
    expect(t.changedSince(rowTags('c', 9_999), t.position)).to.equal(false);
    expect(t.changedSince(rowTags('c', 3), afterThree), 'forgotten by now').to.equal(true);
  });

  it('everything() makes every value made before it stale, and tells its listeners', () => {
    const t = new ChangeTracker();
    const seen: unknown[] = [];
    t.onChange((c) => seen.push(c));
    const before = t.position;
    t.everything();
    expect(t.changedSince([], before)).to.equal(true);
    expect(t.changedSince(rowTags('x', 1), t.position)).to.equal(false);
    expect(seen).to.deep.equal(['everything']);
  });
});
