import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decideApproval } from '../../functions/adapters/approval.js';
import { createCase, mustLoadCase } from '../../functions/adapters/case.js';
import { newCase } from '../../functions/domain/caseOpening.js';
import { CaseInput } from '../../functions/schemas/api.js';
import { lambdaContext, loadHandler } from '../../local/handlers.js';
import { demoCaseBody } from '../../local/scenario.js';
import { uniqueReference } from '../support/journey.js';
import { seededUser } from '../support/users.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/**
 * A supervisor's decision is written twice: on the approval (the one conditional write that decides) and then on
 * the case (the authorisation a gate 1 approval records, the suspect a gate 2 approval confirms). A gate's step run
 * again between the two (its retry, or a restart's fresh execution waiting on the same approval) finds the approval
 * decided and lets the workflow go on; the next state reads the case. The restart test met it: the workflow raised
 * the arrest tasking on a case whose identification was not yet shown approved, and the case stopped at a fault.
 * The steps here are called as the state machine calls them, with task tokens no one waits on.
 */
let t: TestStack;

beforeAll(async () => {
  t = await startTestStack('decision-on-case-');
});
afterAll(async () => {
  await t?.stop();
});

describe('a decision on record that a gate step finds', () => {
  test('is on the case before the workflow is told of it', async () => {
    const caseId = randomUUID();
    const now = new Date().toISOString();
    const body = CaseInput.parse(demoCaseBody(uniqueReference()));
    await createCase(
      newCase(
        body,
        seededUser('inv.alice'),
        caseId,
        now,
        body.accounts.map(() => randomUUID()),
      ),
    );
    const openApproval = await loadHandler('workflow', 'openApproval');
    const gate = { caseId, gate: 'data_request', timeoutSeconds: 86_400 };
    await openApproval({ ...gate, taskToken: `unheard-${caseId}-0` }, lambdaContext('openApproval'));
    const [pending] = (await mustLoadCase(caseId)).approvals;
    expect(pending?.status).toBe('pending');

    // The decider's request has written the approval, and not yet the case.
    const bob = seededUser('sgt.bob');
    const authorisation = {
      route: 'ocda',
      reference: 'OCDA/ONCASE/1',
      dataType: 'entity',
      expiresAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
    } as const;
    await decideApproval(pending!, {
      decision: 'approve',
      rationale: 'necessary and proportionate',
      decidedBy: { sub: bob.sub, name: bob.name },
      decidedRank: bob.rank,
      decidedAt: new Date().toISOString(),
      authorisation,
    });
    expect((await mustLoadCase(caseId)).kase.authorisation).toBeUndefined();

    // The gate's step again, as a retry or a fresh execution runs it: the workflow goes on, and the case shows why.
    await openApproval({ ...gate, taskToken: `unheard-${caseId}-1` }, lambdaContext('openApproval'));
    const { kase, approvals } = await mustLoadCase(caseId);
    expect(approvals.map((a) => a.status)).toEqual(['approved']);
    expect(kase.authorisation).toMatchObject({ ...authorisation, approvalId: pending!.approvalId });
    expect(kase.authorisation?.recordedBy.sub).toBe(bob.sub);

    // Run once more, it changes nothing more.
    const version = kase.version;
    await openApproval({ ...gate, taskToken: `unheard-${caseId}-2` }, lambdaContext('openApproval'));
    expect((await mustLoadCase(caseId)).kase.version).toBe(version);
  });
});
