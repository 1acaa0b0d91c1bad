import { appendAudit } from '../functions/adapters/audit.js';

/**
 * One audit chain of the bench's own (bench:scale, bench:chain), filled with the adapter's appendAudit, the code
 * every handler appends with. `calls` counts the store calls that name the chain.
 */
export function benchChain(chainId: string, calls: () => number) {
  const draft = (i: number) => ({
    caseId: chainId,
    at: new Date().toISOString(),
    actor: 'bench',
    action: 'access.refused',
    ids: { route: 'GET /bench', reason: 'bench', n: String(i) },
  });
  const ms = (t0: number) => +(performance.now() - t0).toFixed(2);

  /** The calls and time of a plain append, a once append that is new, and the same once append again. */
  async function measure() {
    const at = () => ({ before: calls(), t0: performance.now() });
    const done = (m: ReturnType<typeof at>) => ({ calls: calls() - m.before, ms: ms(m.t0) });
    const plain = at();
    await appendAudit(draft(-1));
    const p = done(plain);
    // A once key, as a workflow step appends under one (the step's name and the execution's attempt).
    const key = `bench.once|${Date.now()}`;
    const once = at();
    await appendAudit({ ...draft(-2), action: 'bench.once', ids: {} }, key);
    const o = done(once);
    const again = at();
    await appendAudit({ ...draft(-3), action: 'bench.once', ids: {} }, key);
    return { plain: p, onceNew: o, onceFound: done(again) };
  }

  /**
   * Appends one after another (as one case's trail grows) from entry `from` until the chain holds `to`, or until
   * `stop` says so: the length reached and the seconds taken.
   */
  async function fill(from: number, to: number, progress: (n: number) => void = () => undefined, stop = () => false) {
    const t0 = Date.now();
    let n = from;
    for (; n < to && !stop(); n++) {
      await appendAudit(draft(100 + n));
      if ((n + 1) % 2000 === 0) progress(n + 1);
    }
    return { length: n, seconds: +((Date.now() - t0) / 1000).toFixed(1) };
  }

  return { draft, measure, fill };
}
