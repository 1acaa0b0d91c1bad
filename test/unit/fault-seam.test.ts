import { describe, expect, it } from 'vitest';
import { FaultSeam, type FaultMode } from '../../local/faults.js';

const call = (handler: string, caseId: string) => ({ kind: 'workflow' as const, handler, caseId });
const ran = async (seam: FaultSeam, handler: string, caseId: string) =>
  seam
    .around(call(handler, caseId), async () => 'answered')
    .then(
      (answer) => answer,
      (e: Error) => e.name,
    );

describe('the fault seam', () => {
  it('makes the fault a rule was planned with, on the attempt it names', async () => {
    const seam = new FaultSeam({ rules: [{ handler: 'setStage', mode: 'throw', attempt: 2, error: 'InjectedBug' }] });
    expect(await ran(seam, 'setStage', 'c1')).toBe('answered');
    expect(await ran(seam, 'setStage', 'c1')).toBe('InjectedBug');
    expect(seam.fired.map((f) => [f.mode, f.attempt])).toEqual([['throw', 2]]);
  });

  it('lets a run choose the fault when it fires: every mode met once, then the planned ones', async () => {
    const modes: FaultMode[] = ['throw', 'after'];
    const seam = new FaultSeam({
      rules: ['a', 'b', 'c'].map((caseId) => ({ handler: 'setStage', caseId, mode: 'throw' as const })),
      choose: (rule, c, fired) => {
        const missing = modes.find((m) => !fired.some((f) => f.kind === c.kind && f.mode === m));
        return missing ? { mode: missing } : rule;
      },
    });
    const sideEffects: string[] = [];
    for (const caseId of ['a', 'b', 'c'])
      await seam.around(call('setStage', caseId), async () => sideEffects.push(caseId)).catch(() => undefined);
    expect(seam.fired.map((f) => `${f.caseId}:${f.mode}`)).toEqual(['a:throw', 'b:after', 'c:throw']);
    // "after" ran the handler before failing; "throw" did not.
    expect(sideEffects).toEqual(['b']);
  });
});
