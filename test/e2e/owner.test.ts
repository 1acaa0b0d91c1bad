import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { localSub } from '../../local/auth.js';
import type { ApiClient } from '../../local/client.js';
import type { Journey } from '../support/journey.js';
import { pdfText } from '../support/pdf.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The case owner over HTTP (docs/api.md, "The case owner"): a case is
 * handed from one investigator to another by a sergeant or above, or by its
 * owner; the letter and the SMS then name the new owner.
 */
let local: TestStack;
let api: ApiClient;
let journey: Journey;
beforeAll(async () => {
  local = await startTestStack('owner-', { timeScale: 3600 });
  ({ api, journey } = local);
});
afterAll(() => local?.stop());

type Problem = { status: number; detail: string; errors?: { path: string; message: string }[] };
type Owned = {
  owner: string;
  ownerTransfers: { transferId: string; from: string; to: string; by: string; reason: string }[];
  version: number;
};
const ALICE = localSub('inv.alice');
const AHMED = localSub('inv.ahmed');
const REASON = 'DC Hughes is on leave for a month; DC Khan takes the case on';

const owned = async (caseId: string) => (await api.get<Owned>(`/cases/${caseId}`, 'sgt.bob')).body;
const transfer = (caseId: string, as: string, owner: string, reason = REASON) =>
  api.post<{ caseId: string; owner: string } & Problem>(`/cases/${caseId}/owner`, as, { owner, reason });
const transfersOnTrail = async (caseId: string) =>
  (await api.all<{ action: string; ids: Record<string, string> }>(`/cases/${caseId}/audit`, 'aud.frank')).filter(
    (e) => e.action === 'case.owner_transferred',
  );
const smsFor = (caseId: string) => {
  const file = join(local.dataDir, 'outbox', 'sms.jsonl');
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { reference: string; body: string })
        .filter((m) => m.reference.startsWith(caseId))
    : [];
};

describe('transferring a case', () => {
  test('a sergeant hands the case to another investigator; the same request again is answered the same and recorded once; the letter and SMS name the new owner', async () => {
    const caseId = await journey.atDisclosureDecision();
    expect((await owned(caseId)).owner).toBe(ALICE);

    const first = await transfer(caseId, 'sgt.bob', AHMED);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ caseId, owner: AHMED });
    const after = await owned(caseId);
    expect(after.owner).toBe(AHMED);
    expect(after.ownerTransfers).toEqual([
      expect.objectContaining({ from: ALICE, to: AHMED, by: localSub('sgt.bob'), reason: REASON }),
    ]);

    // The first answer lost on the way back: sent again, answered the same, nothing recorded twice.
    const again = await transfer(caseId, 'sgt.bob', AHMED);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const replayed = await owned(caseId);
    expect(replayed.ownerTransfers).toEqual(after.ownerTransfers);
    const trail = await transfersOnTrail(caseId);
    expect(trail).toHaveLength(1);
    expect(trail[0]!.ids).toEqual({ transferId: after.ownerTransfers[0]!.transferId, from: ALICE, to: AHMED });
    expect(JSON.stringify(trail)).not.toContain('leave');

    // The new owner's list holds the case; the old owner's does not.
    const mine = async (who: string) =>
      (await api.all<{ caseId: string; owner: string }>('/cases?scope=mine', who)).filter((c) => c.caseId === caseId);
    expect(await mine('inv.ahmed')).toEqual([expect.objectContaining({ caseId, owner: AHMED })]);
    expect(await mine('inv.alice')).toEqual([]);

    await journey.verifyContact(caseId);
    await journey.disclosureApproved(caseId);
    await api.until('the letter', async () => (await journey.view(caseId)).disclosure?.letterSha256);
    const pdf = await api.get<Uint8Array>(`/cases/${caseId}/disclosure/letter.pdf`, 'inv.ahmed');
    expect(pdf.status).toBe(200);
    const text = pdfText(pdf.body).replace(/\s+/g, ' ');
    expect(text).toContain('DC Ahmed Khan');
    expect(text).not.toContain('DC Alice Hughes');
    const sms = await api.until('the disclosure SMS', async () => smsFor(caseId).at(0));
    expect(sms.body).toContain('DC Ahmed Khan');
    expect(sms.body).not.toContain('Alice');
  });

  test('a new owner who is not an investigator of the force is a 400 naming owner, and changes nothing', async () => {
    const caseId = await journey.openCase();
    // Only what the request could have changed: the workflow moves the case on meanwhile.
    const ownership = async () => {
      const { owner, ownerTransfers } = await owned(caseId);
      return { owner, ownerTransfers };
    };
    const before = await ownership();
    for (const owner of [localSub('spoc.sam'), localSub('sgt.carol'), 'local-nobody.here']) {
      const r = await transfer(caseId, 'sgt.bob', owner);
      expect(r.status, owner).toBe(400);
      expect(r.body.errors?.map((e) => e.path)).toEqual(['owner']);
    }
    const bad = await transfer(caseId, 'sgt.bob', AHMED, 'too short');
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.path)).toEqual(['reason']);
    expect(await ownership()).toEqual(before);
    expect(await transfersOnTrail(caseId)).toEqual([]);
  });

  test('a SPoC, an auditor and an investigator who does not own the case are refused; the owner may hand it on', async () => {
    const caseId = await journey.openCase();
    for (const who of ['spoc.sam', 'aud.frank', 'inv.ahmed']) {
      const r = await transfer(caseId, who, AHMED);
      expect(r.status, who).toBe(403);
    }
    expect((await owned(caseId)).owner).toBe(ALICE);
    const byOwner = await transfer(caseId, 'inv.alice', AHMED);
    expect(byOwner.status).toBe(200);
    // Alice no longer owns it: handing it back is for Ahmed or a sergeant now.
    expect((await transfer(caseId, 'inv.alice', ALICE, 'back to the officer who opened it')).status).toBe(403);
    expect((await transfer(caseId, 'inv.ahmed', ALICE, 'back to the officer who opened it')).status).toBe(200);
    // To the officer who already owns it: a conflict, not a second record.
    expect((await transfer(caseId, 'sgt.carol', ALICE)).status).toBe(409);
    expect((await owned(caseId)).ownerTransfers.map((t) => t.to)).toEqual([AHMED, ALICE]);
  });

  test('the same transfer sent twice at once lands once, and both are answered alike', async () => {
    const caseId = await journey.openCase();
    const [a, b] = await Promise.all([transfer(caseId, 'sgt.carol', AHMED), transfer(caseId, 'sgt.carol', AHMED)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body).toEqual(b.body);
    expect((await owned(caseId)).ownerTransfers).toHaveLength(1);
    expect(await transfersOnTrail(caseId)).toHaveLength(1);
  });

  test('a rejected case keeps its owner (409); an unknown case is a 404', async () => {
    const caseId = await journey.openCase();
    const approval = await journey.approvalFor('sgt.bob', caseId, 'data_request');
    expect((await journey.decide('sgt.bob', approval.approvalId, 'reject')).status).toBe(200);
    await journey.atStage(caseId, 'REJECTED');
    expect((await transfer(caseId, 'sgt.carol', AHMED)).status).toBe(409);
    expect((await transfer('no-such-case-0000', 'sgt.carol', AHMED)).status).toBe(404);
  });
});
