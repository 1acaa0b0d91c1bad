import { expect } from 'vitest';
import type { ApiClient } from '../../local/client.js';
import { demoCaseBody, type CaseView } from '../../local/scenario.js';

/**
 * A case taken through the process by the seeded users over the HTTP API, to
 * the point a test starts from: tests read as sentences on top of it.
 */
let n = 0;
export const uniqueReference = () => `LOCAL/26/${String(Date.now()).slice(-6)}${n++}`;

export const authorisation = () => ({
  route: 'ocda',
  reference: 'OCDA/TEST/1',
  dataType: 'entity',
  expiresAt: new Date(Date.now() + 10 * 86400_000).toISOString(),
});

export class Journey {
  constructor(readonly api: ApiClient) {}

  view = async (caseId: string) =>
    (await this.api.get<CaseView & Record<string, unknown>>(`/cases/${caseId}`, 'inv.alice')).body;

  /** The names of the case's open tasks. */
  tasks = async (caseId: string) => (await this.view(caseId)).openTasks.map((t) => t.task);

  atStage = (caseId: string, stage: string) =>
    this.api.until(`stage ${stage}`, async () =>
      (await this.view(caseId)).stage === stage ? this.view(caseId) : undefined,
    );

  /** Waits for an entry in the case's trail: what is on record, where a stage may last too short to be seen. */
  inTrail = (caseId: string, action: string) =>
    this.api.until(`${action} in the trail`, async () =>
      (await this.api.all<{ action: string }>(`/cases/${caseId}/audit`, 'aud.frank')).some((e) => e.action === action),
    );

  withTask = (caseId: string, task: string) =>
    this.api.until(`task ${task}`, async () =>
      (await this.view(caseId)).openTasks.some((t) => t.task === task) ? this.view(caseId) : undefined,
    );

  approvalFor = (user: string, caseId: string, gate: string) =>
    this.api.until(`${gate} approval for ${user}`, async () =>
      (
        await this.api.all<{
          approvalId: string;
          caseId: string;
          gate: string;
          requiredRank: string;
          overdue: boolean;
        }>('/approvals', user)
      ).find((a) => a.caseId === caseId && a.gate === gate),
    );

  decide = (user: string, approvalId: string, decision: 'approve' | 'reject', extra: object = {}) =>
    this.api.post(`/approvals/${approvalId}/decision`, user, {
      decision,
      rationale: `${decision} after reading the evidence`,
      ...extra,
    });

  async openCase(changes: (body: ReturnType<typeof demoCaseBody>) => void = () => undefined) {
    const body = demoCaseBody(uniqueReference());
    changes(body);
    const r = await this.api.post<{ caseId: string }>('/cases', 'inv.alice', body);
    expect(r.status).toBe(201);
    return r.body.caseId;
  }

  /** Through gate 1 and both returns, to a case waiting for its suspect to be proposed. */
  async atIdentification(changes?: Parameters<Journey['openCase']>[0], subscriber = 'John Smith') {
    const caseId = await this.openCase(changes);
    expect(
      (
        await this.decide(
          'sgt.bob',
          (
            await this.approvalFor('sgt.bob', caseId, 'data_request')
          ).approvalId,
          'approve',
          { authorisation: authorisation() },
        )
      ).status,
    ).toBe(200);
    return this.returnsUploaded(caseId, subscriber);
  }

  /** The SPoC uploads the platform's return, then the ISP's for the login it holds (both naming `subscriber`), and the case reaches IDENTIFICATION. */
  async returnsUploaded(caseId: string, subscriber = 'John Smith') {
    const requests = () =>
      this.api.get<CaseView['requests']>(`/cases/${caseId}/requests`, 'spoc.sam').then((r) => r.body);
    const platform = await this.api.until('platform request', async () =>
      (await requests()).find((r) => r.kind === 'platform_disclosure'),
    );
    const uploaded = await this.api.post(`/cases/${caseId}/requests/${platform.requestId}/return`, 'spoc.sam', {
      receivedAt: new Date().toISOString(),
      subscriber: { name: subscriber, emails: ['j@example.com'], phones: [] },
      ipEvents: [{ ip: '203.0.113.9', port: 4000, at: '2026-10-01T10:00:00Z', kind: 'login' }],
    });
    expect(uploaded.status).toBe(202);
    const isp = await this.api.until('ISP request', async () =>
      (await requests()).find((r) => r.kind === 'isp_resolution'),
    );
    expect(
      (
        await this.api.post(`/cases/${caseId}/requests/${isp.requestId}/return`, 'spoc.sam', {
          receivedAt: new Date().toISOString(),
          subscriber: { name: subscriber },
        })
      ).status,
    ).toBe(202);
    await this.atStage(caseId, 'IDENTIFICATION');
    return { caseId, platform: platform.requestId, isp: isp.requestId };
  }

  async propose(
    c: { caseId: string; platform: string; isp: string },
    suspect: { name: string; aliases: string[] } = { name: 'John Smith', aliases: [] },
  ) {
    const r = await this.api.post(`/cases/${c.caseId}/identification`, 'inv.alice', {
      suspect,
      points: [
        { requestId: c.platform, kind: 'email', detail: 'platform subscriber' },
        { requestId: c.isp, kind: 'ip_resolution', detail: 'ISP subscriber' },
      ],
      rationale: 'two sources agree on the person',
    });
    expect(r.status).toBe(202);
  }

  async atDisclosureDecision(changes?: Parameters<Journey['openCase']>[0]) {
    const c = await this.atIdentification(changes);
    await this.propose(c);
    expect(
      (
        await this.decide(
          'sgt.carol',
          (
            await this.approvalFor('sgt.carol', c.caseId, 'identification')
          ).approvalId,
          'approve',
        )
      ).status,
    ).toBe(200);
    await this.atStage(c.caseId, 'DISCLOSURE_DECISION');
    return c.caseId;
  }

  async verifyContact(caseId: string, channels: ('sms' | 'letter')[] = ['sms', 'letter']) {
    for (const channel of channels)
      expect(
        (
          await this.api.post(`/cases/${caseId}/contact-verification`, 'inv.alice', {
            channel,
            verified: true,
            note: 'confirmed with the victim in person',
          })
        ).status,
      ).toBe(200);
  }

  async disclosureApproved(caseId: string) {
    expect(
      (
        await this.api.post(`/cases/${caseId}/disclosure-proposal`, 'inv.alice', {
          action: 'disclose',
          rationale: 'the presumption applies',
        })
      ).status,
    ).toBe(202);
    expect(
      (
        await this.decide(
          'insp.dave',
          (
            await this.approvalFor('insp.dave', caseId, 'disclosure')
          ).approvalId,
          'approve',
        )
      ).status,
    ).toBe(200);
  }
}
