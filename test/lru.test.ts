/** The caches' building blocks: an LRU bounded in bytes, and a doorkeeper admitting keys on their second offer. */
import { expect } from 'chai';
import { ByteLru, Doorkeeper } from '../src/store/lru.js';

describe('ByteLru', () => {
  const lru = () => new ByteLru<string>(10, (value) => value.length);

  it('evicts the least recently used entries once past its byte budget', () => {
    const cache = lru();
    cache.set('a', 'aaaa');
    cache.set('b', 'bbbb');
    expect(cache.get('a')).to.equal('aaaa'); // a is now more recent than b
    cache.set('c', 'cccc');
    expect(cache.get('b')).to.equal(undefined);
    expect(cache.get('a')).to.equal('aaaa');
    expect(cache.get('c')).to.equal('cccc');
    expect(cache.size).to.equal(8);
  });

  it('replaces, deletes, and never keeps a value larger than the whole budget', () => {
    const cache = lru();
    cache.set('a', 'aaaa');
    cache.set('a', 'aa');
    expect(cache.size).to.equal(2);
    cache.set('huge', 'x'.repeat(11));
    expect(cache.get('huge')).to.equal(undefined);
    expect(cache.get('a')).to.equal('aa');
    cache.delete('a');
    expect(cache.size).to.equal(0);
    cache.set('b', 'b');
    cache.clear();
    expect([...cache.keys()]).to.deep.equal([]);
  });
});

describe('Doorkeeper', () => {
  it('admits a key the second time it is offered', () => {
    const door = new Doorkeeper(1000);
    expect(door.admit('/countries/1')).to.equal(false);
    expect(door.admit('/countries/1')).to.equal(true);
    expect(door.admit('/countries/1')).to.equal(true);
  });

  it('turns away almost every key offered once, and forgets everything once full', () => {
    const door = new Doorkeeper(10_000);
    let early = 0;
    for (let i = 0; i < 5000; i++) if (door.admit(`http://127.0.0.1:3000/countries/${i}\napplication/ld+json`)) early++;
    expect(early, 'false positives').to.be.lessThan(250);
    for (let i = 0; i < 10_000; i++) door.admit(`other ${i}`); // fills it: cleared
    expect(door.admit('http://127.0.0.1:3000/countries/1\napplication/ld+json')).to.equal(false);
  });
});

describe('ownBuffer', () => {
  it('copies a slice of the shared pool into a Buffer of its own, and keeps one that already is', async () => {
    const { ownBuffer } = await import('../src/server/render-cache.js');
    const pooled = Buffer.from('a small body, allocated from the shared pool');
    expect(pooled.buffer.byteLength, 'a slice of a larger slab').to.be.greaterThan(pooled.length);
    const own = ownBuffer(pooled);
    expect(own.equals(pooled)).to.equal(true);
    expect(own.buffer.byteLength).to.equal(own.length);
    expect(own.byteOffset).to.equal(0);
    const big = Buffer.allocUnsafeSlow(10_000).fill(1);
    expect(ownBuffer(big)).to.equal(big);
  });
});
