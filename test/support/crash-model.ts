/**
 * The judge of a crash round: given the state before the round, every write
 * sent during it (acknowledged, rejected, or unanswered when the server was
 * killed) and the state read after the restart, list what is wrong.
 *
 * An item's state after the restart must be the state of its last
 * acknowledged write (the one with the highest version), or that state
 * followed by some of the writes whose outcome is unknown — never older,
 * never a mix no sequence of whole writes produces. An item deleted by an
 * acknowledged DELETE (of itself or of the event it belongs to) is gone.
 * Every item the API shows is accounted for by a write.
 */
import { parentOf, type Body, type Fields, type ItemState, type WriteRecord } from './writes.js';

const same = (a: Body, b: Body) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
const sorted = (f: Body) => Object.fromEntries(Object.entries(f).sort(([a], [b]) => a.localeCompare(b)));
const contains = (whole: Body, part: Body) => Object.entries(part).every(([k, v]) => whole[k] === v);

/** The fields after applying one whole write to `content` (a PUT replaces them, a PATCH merges field by field). */
export function apply(write: Pick<WriteRecord, 'method' | 'body'>, content: Fields): Fields {
  if (write.method !== 'PATCH') return { ...write.body } as Fields;
  // RFC 7396: a merge patch sets each member it names, and null removes one.
  const out: Fields = { ...content };
  for (const [field, value] of Object.entries(write.body ?? {})) {
    if (value === null) delete out[field];
    else out[field] = value;
  }
  return out;
}

/** Does some ordered choice of `k` distinct writes of `candidates`, applied to `start`, give `target`? */
export function reachable(start: Fields, candidates: WriteRecord[], k: number, target: Fields): boolean {
  if (k === 0) return same(start, target);
  if (k > candidates.length) return false;
  return candidates.some((w, i) => reachable(apply(w, start), candidates.filter((_, j) => j !== i), k - 1, target));
}

/** Does an acknowledged state match what the API now shows (a state whose body was cut off: what its request asked for)? */
function matches(record: WriteRecord | undefined, state: ItemState, observed: ItemState): boolean {
  if (!('__unknown' in state.content)) return same(state.content, observed.content);
  return record!.method === 'PATCH' ? contains(observed.content, record!.body!) : same(record!.body!, observed.content);
}

export function checkRound(baseline: Map<string, ItemState>, writes: WriteRecord[], observed: Map<string, ItemState>): string[] {
  const problems: string[] = [];
  const known = new Set(baseline.keys());
  for (const w of writes) {
    if (w.outcome === 'ack' && w.item) known.add(w.item);
    if (w.method !== 'POST') known.add(w.path);
  }

  // Each acknowledged response shows the write it acknowledges.
  for (const w of writes) {
    if (w.outcome !== 'ack' || !w.state || '__unknown' in w.state.content) continue;
    const ok = w.method === 'PATCH' ? contains(w.state.content, w.body!) : same(w.state.content, w.body!);
    if (!ok) problems.push(`${w.method} ${w.path} #${w.seq} answered ${w.status} with ${JSON.stringify(w.state.content)}, not the write ${JSON.stringify(w.body)}`);
  }

  for (const path of known) {
    const on = writes.filter((w) => (w.method === 'POST' ? w.outcome === 'ack' && w.item === path : w.path === path));
    const deletes = (outcome: WriteRecord['outcome']) =>
      writes.filter((w) => w.method === 'DELETE' && w.outcome === outcome && (w.path === path || w.path === parentOf(path)));
    const acked = on.filter((w) => w.outcome === 'ack' && w.state);
    const unknown = on.filter((w) => w.outcome === 'unknown' && w.method !== 'DELETE');
    const before = baseline.get(path);
    const after = observed.get(path);
    const describe = (w: WriteRecord) => `${w.method} #${w.seq} → ${w.status} v${w.state?.version}`;

    const versions = new Map<string, WriteRecord>();
    for (const w of acked) {
      const key = `${w.state!.generation}.${w.state!.version}`;
      if (versions.has(key)) problems.push(`${path}: two acknowledged writes returned version ${w.state!.version}: ${describe(versions.get(key)!)} and ${describe(w)}`);
      versions.set(key, w);
    }
    const last = acked.reduce<WriteRecord | undefined>((max, w) => (!max || w.state!.version > max.state!.version ? w : max), undefined);
    if (last && before && last.state!.generation === before.generation && last.state!.version <= before.version) {
      problems.push(`${path}: ${describe(last)} is not newer than the version before the round (${before.version})`);
    }

    if (!after) {
      if (deletes('ack').length || deletes('unknown').length) continue;
      if (!before && !acked.length) continue; // only creations whose outcome is unknown
      problems.push(`${path} is gone after the restart, but no DELETE of it (or of its event) was sent; last acknowledged: ${last ? describe(last) : `v${before?.version} before the round`}`);
      continue;
    }
    if (deletes('ack').length) {
      problems.push(`${path} is still there (v${after.version}) after an acknowledged DELETE of ${deletes('ack').map((w) => w.path).join(', ')}`);
      continue;
    }
    const base = last?.state ?? before;
    if (!base) {
      // Created by a PUT whose answer never came: some unknown writes from nothing.
      if (!reachable({}, unknown, after.version, after.content)) problems.push(`${path}: ${JSON.stringify(after)} is not the result of any writes sent to it`);
      continue;
    }
    if (after.generation !== base.generation) {
      problems.push(`${path}: a different item (created ${after.generation}) than the one last acknowledged (created ${base.generation})`);
    } else if (after.version < base.version) {
      problems.push(`${path}: lost write — the API shows v${after.version}, but ${last ? describe(last) : 'the state before the round'} was acknowledged`);
    } else if (after.version === base.version) {
      if (!matches(last, base, after)) problems.push(`${path}: v${after.version} shows ${JSON.stringify(after.content)}, acknowledged as ${JSON.stringify(base.content)}`);
    } else if ('__unknown' in base.content || !reachable(base.content, unknown, after.version - base.version, after.content)) {
      problems.push(
        `${path}: v${after.version} ${JSON.stringify(after.content)} is not v${base.version} ${JSON.stringify(base.content)} followed by ${after.version - base.version} of the ${unknown.length} unanswered writes`,
      );
    }
  }

  // Items nobody was told about: each must be exactly one unanswered POST to its collection.
  const unansweredPosts = writes.filter((w) => w.method === 'POST' && w.outcome === 'unknown');
  for (const [path, state] of observed) {
    if (known.has(path)) continue;
    const collection = path.slice(0, path.lastIndexOf('/'));
    const i = unansweredPosts.findIndex((w) => w.path === collection && same(w.body!, state.content));
    if (i < 0 || state.version !== 1) {
      problems.push(`${path} (${JSON.stringify(state)}) appeared, but no write explains it`);
      continue;
    }
    unansweredPosts.splice(i, 1);
  }
  return problems;
}
