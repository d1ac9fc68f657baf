/**
 * The judge of concurrent writers on one item (issue 15 §5): every write got
 * an answer, so every version is accounted for by an acknowledged write, and
 * the history must be serial:
 *
 * - no 5xx;
 * - within a generation of the item (a re-created id starts a new one) the
 *   acknowledged versions are distinct and contiguous, and a new generation
 *   starts at 1 with a PUT answered 201;
 * - replaying the acknowledged writes in version order (a PUT replaces, a
 *   merge patch merges field by field) gives, at each step, the state its
 *   answer showed, and at the end the state the API shows;
 * - a write acknowledged before another was sent has the lower version
 *   (or an older generation): versions never go backwards in real time;
 * - each generation that ended was ended by one acknowledged DELETE;
 * - a write answered 412 (or 404) changed nothing: any change it made would
 *   be a version no acknowledged write accounts for.
 */
import { apply } from './crash-model.js';
import type { Fields, ItemState, WriteRecord } from './writes.js';

const same = (a: Fields, b: Fields) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
const createdAt = (generation: string) => parseInt(generation, 36);

export function checkSerial(path: string, initial: ItemState | undefined, records: WriteRecord[], final: ItemState | undefined): string[] {
  const problems: string[] = [];
  const describe = (w: WriteRecord) => `${w.method}${w.ifMatch ? ' If-Match' : ''} #${w.seq} → ${w.status}${w.state ? ` ${w.state.generation} v${w.state.version}` : ''}`;
  for (const w of records) {
    if (w.outcome === 'unknown' || (w.status ?? 0) >= 500) problems.push(`${path}: ${describe(w)} failed: ${w.error}`);
  }
  const acked = records.filter((w) => w.outcome === 'ack' && w.state);
  const deletes = records.filter((w) => w.outcome === 'ack' && w.method === 'DELETE');

  const generations = new Map<string, WriteRecord[]>();
  if (initial) generations.set(initial.generation, []);
  for (const w of acked) generations.set(w.state!.generation, [...(generations.get(w.state!.generation) ?? []), w]);
  const order = [...generations.keys()].sort((a, b) => createdAt(a) - createdAt(b));
  if (initial && order[0] !== initial.generation) problems.push(`${path}: a generation older than the initial one was written`);

  for (const generation of order) {
    const writes = generations.get(generation)!.sort((a, b) => a.state!.version - b.state!.version);
    let state: Fields = {};
    let version = 0;
    if (initial && generation === initial.generation) ({ content: state, version } = initial);
    else if (writes[0] && !(writes[0].method === 'PUT' && writes[0].status === 201)) problems.push(`${path}: generation ${generation} begins with ${describe(writes[0])}, not a PUT answered 201`);
    for (const w of writes) {
      if (w.state!.version === version) problems.push(`${path}: version ${version} of ${generation} was returned twice (again by ${describe(w)})`);
      else if (w.state!.version !== version + 1) problems.push(`${path}: ${describe(w)} follows v${version}: versions ${version + 1}…${w.state!.version - 1} were written by no acknowledged write`);
      state = apply(w, state);
      version = w.state!.version;
      if (!same(state, w.state!.content)) problems.push(`${path}: ${describe(w)} shows ${JSON.stringify(w.state!.content)}, but the writes before it in version order give ${JSON.stringify(state)}`);
    }
    const live = generation === order[order.length - 1] && final?.generation === generation;
    if (live) {
      if (final!.version !== version) problems.push(`${path}: shows v${final!.version} of ${generation}; the acknowledged writes end at v${version}`);
      else if (!same(final!.content, state)) problems.push(`${path}: shows ${JSON.stringify(final!.content)}, the acknowledged writes in version order give ${JSON.stringify(state)}`);
    }
  }
  if (final && final.generation !== order[order.length - 1]) problems.push(`${path}: shows generation ${final.generation}, no acknowledged write made it the latest`);
  const ended = order.length - (final ? 1 : 0);
  if (deletes.length !== ended) problems.push(`${path}: ${deletes.length} acknowledged DELETEs, but ${ended} generations ended`);

  // Real time: what was acknowledged before a write was sent precedes it.
  for (const a of acked) {
    for (const b of acked) {
      if (a === b || a.answeredAt! >= b.sentAt) continue;
      const [ga, gb] = [createdAt(a.state!.generation), createdAt(b.state!.generation)];
      if (gb < ga || (a.state!.generation === b.state!.generation && b.state!.version <= a.state!.version)) {
        problems.push(`${path}: ${describe(b)} was sent after ${describe(a)} was answered, but is not newer`);
      }
    }
  }
  return problems;
}
