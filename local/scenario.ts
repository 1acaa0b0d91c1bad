import type { ApiClient } from './client.js';

/**
 * The demo case of issue 2, as the people would run it over the HTTP API:
 * investigator opens it; a sergeant approves the data request; the SPoC
 * uploads a platform return and an ISP return; the investigator proposes
 * the suspect; a second sergeant approves; an inspector approves disclosure;
 * the arrest, the charge, the conviction and the sentence are recorded, with a
 * protection order considered at each and made on conviction; the investigator
 * decides to close. Shared by `npm run demo`, the e2e test and the bench.
 */
export interface CaseView {
  caseId: string;
  stage: string;
  openTasks: { task: string; dueAt: string; overdue: boolean; arrestIndex?: number }[];
  requests: { requestId: string; kind: string; status: string; target: string }[];
  approvals: { approvalId: string; gate: string; status: string }[];
  notifications: { reference: string; channel: string }[];
  disclosure?: { letterSha256?: string; sentAt?: string };
  closure?: { reason: string; victimTold?: { how: string } };
}

export const DEMO_VICTIM = {
  name: 'Jane Doe',
  dateOfBirth: '1990-04-01',
  phone: '+447700900123',
  postalAddress: { lines: ['1 High Street', 'Leeds'], postcode: 'LS1 1AA' },
};
export const DEMO_SUSPECT = {
  name: 'John Smith',
  aliases: ['anon_watcher'],
  dateOfBirth: '1985-02-03',
  address: ['22 Acacia Avenue', 'Bradford'],
  postcode: 'BD1 2AB',
};

export function demoCaseBody(crimeReference: string) {
  return {
    crimeReference,
    offence: 'stalking_s2a',
    summary: 'Repeated unwanted messages from an anonymous account after the victim blocked two earlier accounts.',
    victim: {
      name: DEMO_VICTIM.name,
      dateOfBirth: DEMO_VICTIM.dateOfBirth,
      enhancedRights: true,
      contact: {
        preferredChannel: 'letter',
        phone: DEMO_VICTIM.phone,
        postalAddress: DEMO_VICTIM.postalAddress,
        // Any time: the demo and the tests run at any hour (a message held for the victim's safe times has its own test).
        safeTimes: 'any time',
      },
    },
    risk: { four: { fixated: true, obsessive: true, unwanted: true, repeated: true }, sdashYes: 7 },
    accounts: [
      {
        platform: 'instagram',
        handle: '@anon_watcher',
        platformUserId: '17841400000000001',
        url: 'https://instagram.com/anon_watcher',
      },
    ],
  };
}

export interface Step {
  stage: string;
  note: string;
}

function check<T>(r: { status: number; body: T }, expected: number, what: string): T {
  if (r.status !== expected)
    throw new Error(`${what}: expected ${expected}, got ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/**
 * The paths the demo can show: the victim told (a letter, an arrest, a conviction and closure), the victim
 * declining to be told (nothing naming anyone is sent; the arrest track goes on, and the case closes), or the case
 * closed without a suspect before anyone is identified (its gate, and the victim told by letter that the account
 * could not be traced).
 */
export const DEMO_PATHS = ['discloses', 'declines', 'closure'] as const;
export type DemoPath = (typeof DEMO_PATHS)[number];

/** What each path of the demo is driven with, from runDemoCase. */
interface DemoSteps {
  step: (stage: string, note: string) => void;
  view: () => Promise<CaseView>;
  atStage: (stage: string) => Promise<CaseView>;
  approve: (user: string, gate: string, rationale: string) => Promise<void>;
  verifyContact: () => Promise<void>;
  timeoutMs: number;
}

/** Workflow Lambda invocations the demo case may cost (issue 18): held by test/statemachine/workflow.test.ts, flagged by the bench. */
export const WORKFLOW_INVOCATIONS_LIMIT = 25;

export async function runDemoCase(
  api: ApiClient,
  opts: { crimeReference: string; onStep?: (s: Step) => void; timeoutMs?: number; path?: DemoPath },
): Promise<CaseView> {
  const step = (stage: string, note: string) => opts.onStep?.({ stage, note });
  const t = opts.timeoutMs ?? 60_000;
  const view = async () => check(await api.get<CaseView>(`/cases/${caseId}`, 'inv.alice'), 200, 'read the case');
  const atStage = (stage: string) =>
    api.until(`stage ${stage}`, async () => ((await view()).stage === stage ? view() : undefined), t);
  const pendingFor = (user: string, gate: string) =>
    api.until(
      `${gate} approval for ${user}`,
      async () => {
        const list = await api.all<{ approvalId: string; caseId: string; gate: string }>('/approvals', user);
        return list.find((a) => a.caseId === caseId && a.gate === gate);
      },
      t,
    );

  /** A gate's approval, as `user` decides it: approved with the rationale (and what else the gate asks for). */
  const approve = async (user: string, gate: string, rationale: string, more: object = {}) => {
    const { approvalId } = await pendingFor(user, gate);
    check(
      await api.post(`/approvals/${approvalId}/decision`, user, { decision: 'approve', rationale, ...more }),
      200,
      `approve the ${gate} gate`,
    );
  };

  const { caseId } = check(
    await api.post<{ caseId: string; stage: string }>('/cases', 'inv.alice', demoCaseBody(opts.crimeReference)),
    201,
    'open the case',
  );
  step('DATA_REQUEST_APPROVAL', `inv.alice opened case ${caseId}`);

  const expiresAt = new Date(Date.now() + 20 * 86400_000).toISOString();
  await approve('sgt.bob', 'data_request', 'Necessary and proportionate: repeated contact, high S-DASH score.', {
    authorisation: { route: 'ocda', reference: 'OCDA/2026/0420', dataType: 'entity', expiresAt },
  });
  step('PLATFORM_REQUESTS', 'sgt.bob approved the data request (OCDA authorisation recorded)');
  const verifyContact = async () => {
    for (const channel of ['sms', 'letter'] as const)
      check(
        await api.post(`/cases/${caseId}/contact-verification`, 'inv.alice', {
          channel,
          verified: true,
          note: 'Confirmed with the victim in person at the station.',
        }),
        200,
        `verify ${channel}`,
      );
  };
  const steps: DemoSteps = { step, view, atStage, approve, verifyContact, timeoutMs: t };
  if (opts.path === 'closure') return closure(api, caseId, steps);

  const platform = await api.until(
    'the platform disclosure request',
    async () => {
      const rs = check(await api.get<CaseView['requests']>(`/cases/${caseId}/requests`, 'spoc.sam'), 200, 'requests');
      return rs.find((r) => r.kind === 'platform_disclosure' && r.status === 'awaiting_return');
    },
    t,
  );
  check(
    await api.post(`/cases/${caseId}/requests/${platform.requestId}/return`, 'spoc.sam', {
      receivedAt: new Date().toISOString(),
      subscriber: {
        name: DEMO_SUSPECT.name,
        emails: ['j.smith@example.com'],
        phones: ['+447700900999'],
        createdAt: '2025-06-01T10:00:00Z',
      },
      ipEvents: [
        { ip: '203.0.113.7', port: 51234, at: '2026-11-01 21:14:05', timeZone: 'America/Los_Angeles', kind: 'login' },
      ],
    }),
    202,
    'upload the platform return',
  );
  step('ISP_RESOLUTION', 'spoc.sam uploaded the Instagram return (one login IP, Pacific time, stored in UTC)');

  const isp = await api.until(
    'the ISP request',
    async () => {
      const rs = check(await api.get<CaseView['requests']>(`/cases/${caseId}/requests`, 'spoc.sam'), 200, 'requests');
      return rs.find((r) => r.kind === 'isp_resolution' && r.status === 'awaiting_return');
    },
    t,
  );
  check(
    await api.post(`/cases/${caseId}/requests/${isp.requestId}/return`, 'spoc.sam', {
      receivedAt: new Date().toISOString(),
      subscriber: { name: DEMO_SUSPECT.name, emails: [], phones: [] },
      installationAddress: { lines: DEMO_SUSPECT.address, postcode: DEMO_SUSPECT.postcode },
    }),
    202,
    'upload the ISP return',
  );
  step('IDENTIFICATION', 'spoc.sam uploaded the ISP return (installation address)');

  await atStage('IDENTIFICATION');
  check(
    await api.post(`/cases/${caseId}/identification`, 'inv.alice', {
      suspect: { name: DEMO_SUSPECT.name, aliases: DEMO_SUSPECT.aliases, dateOfBirth: DEMO_SUSPECT.dateOfBirth },
      points: [
        { requestId: platform.requestId, kind: 'email', detail: 'Instagram subscriber record names the suspect' },
        {
          requestId: isp.requestId,
          kind: 'ip_resolution',
          detail: 'login IP resolves to the suspect as ISP subscriber',
        },
      ],
      rationale: 'Two independent sources name the same person.',
    }),
    202,
    'propose the suspect',
  );
  step('IDENTIFICATION_APPROVAL', 'inv.alice proposed the suspect on two independent points');

  await approve('sgt.carol', 'identification', 'Identification is safe: platform and ISP agree.');
  step('DISCLOSURE_DECISION', 'sgt.carol approved the identification; arrest tasking raised');

  await verifyContact();
  step('DISCLOSURE_DECISION', "inv.alice verified the victim's phone and address as safe");

  await atStage('DISCLOSURE_DECISION');
  if (opts.path === 'declines') return declines(api, caseId, steps);
  check(
    await api.post(`/cases/${caseId}/disclosure-proposal`, 'inv.alice', {
      action: 'disclose',
      rationale: 'No ground to delay; the victim should know at once.',
    }),
    202,
    'propose disclosure',
  );
  step('DISCLOSURE_APPROVAL', 'inv.alice proposed disclosure');

  await approve('insp.dave', 'disclosure', 'Disclosure approved: presumption applies.');
  step('DISCLOSURE_DELIVERY', 'insp.dave approved disclosure');

  await api.until(
    'the letter and the SMS',
    async () => {
      const v = await view();
      return v.notifications.length >= 2 && v.stage === 'AFTER_DISCLOSURE' ? v : undefined;
    },
    t,
  );
  step('AFTER_DISCLOSURE', 'letter posted and SMS sent through Notify');

  const taskOpen = (task: string, arrestIndex?: number) =>
    api.until(
      `the ${task} task`,
      async () =>
        (await view()).openTasks.some(
          (o) => o.task === task && (arrestIndex === undefined || o.arrestIndex === arrestIndex),
        ),
      t,
    );
  const outcome = (outcome: string, victimInformed?: string) => {
    const at = new Date().toISOString();
    return api.post(`/cases/${caseId}/arrest`, 'inv.alice', {
      outcome,
      at,
      ...(victimInformed ? { victimInformed: { how: victimInformed, at } } : {}),
    });
  };
  const order = (body: object) => api.post(`/cases/${caseId}/protection-order`, 'inv.alice', body);

  await taskOpen('ARREST_OUTCOME');
  check(await outcome('arrested'), 202, 'record the arrest');
  await taskOpen('SPO_CONSIDERATION', 0);
  check(
    await order({
      arrestIndex: 0,
      considered: 'interim',
      power: 'application',
      decision: 'not_sought',
      reason: 'Bail conditions keep him from the victim; no interim order needed now.',
    }),
    202,
    'record the SPO consideration on arrest',
  );
  step('AFTER_DISCLOSURE', 'inv.alice recorded the arrest (victim updated by SMS) and considered an interim SPO');

  check(await outcome('charged', 'phone'), 202, 'record the charge');
  await taskOpen('SPO_CONSIDERATION', 1);
  check(
    await order({
      arrestIndex: 1,
      considered: 'full',
      power: 'application',
      decision: 'not_sought',
      reason: 'An order will be sought from the court on conviction instead.',
    }),
    202,
    'record the SPO consideration on charge',
  );
  step('AFTER_DISCLOSURE', 'inv.alice recorded the charge (victim told by phone) and considered a full SPO');

  check(await outcome('convicted', 'in_person'), 202, 'record the conviction');
  await taskOpen('SPO_CONSIDERATION', 2);
  const at = new Date().toISOString();
  check(
    await order({
      arrestIndex: 2,
      considered: 'full',
      power: 'on_conviction',
      decision: 'made',
      reason: 'The court made a full order on conviction at sentencing.',
      order: {
        conditions: [
          'Not to contact the victim directly or indirectly, including online',
          'Not to create or use social media accounts under another name',
        ],
        duration: { kind: 'time_limited', years: 5 },
        madeAt: at,
        servedAt: at,
      },
    }),
    202,
    'record the SPO made on conviction',
  );
  await taskOpen('SPO_NOTIFICATION', 2);
  check(
    await api.post(`/cases/${caseId}/protection-order/notification`, 'inv.alice', {
      arrestIndex: 2,
      notified: true,
      at,
      note: 'Notified name and home address at the station.',
    }),
    202,
    "record the subject's notification",
  );
  step(
    'AFTER_DISCLOSURE',
    'inv.alice recorded the conviction, the full SPO made on conviction (5 years) and its notification',
  );

  // The arrest track stays open after a conviction until the sentence is recorded.
  check(await outcome('community_sentence', 'in_person'), 202, 'record the sentence');
  step('AFTER_DISCLOSURE', 'inv.alice recorded the community sentence passed later (victim told in person)');

  await taskOpen('CASE_CLOSURE');
  check(
    await api.post(`/cases/${caseId}/close`, 'inv.alice', {
      reason: 'Convicted; protection order made and notified; the victim kept informed throughout.',
    }),
    202,
    'decide to close',
  );
  const closed = await atStage('CLOSED');
  step('CLOSED', 'inv.alice decided to close the case, with the reason; nothing left open');
  return closed;
}

/**
 * The victim declines to be told: the right-to-know branch ends in DISCLOSURE_DECLINED with nothing sent that names
 * anyone; the arrest track goes on (here: not located, then no further action, the victim told in person), and once
 * it has ended the case closes on the investigator's decision.
 */
async function declines(
  api: ApiClient,
  caseId: string,
  { step, view, atStage, timeoutMs }: DemoSteps,
): Promise<CaseView> {
  check(
    await api.post(`/cases/${caseId}/victim-choice`, 'inv.alice', {
      choice: 'declines',
      note: 'The victim does not want to know who it is; she may change her mind.',
    }),
    200,
    "record the victim's choice",
  );
  await atStage('DISCLOSURE_DECLINED');
  step('DISCLOSURE_DECLINED', 'inv.alice recorded that the victim declines to be told: nothing naming anyone is sent');

  await api.until(
    'the ARREST_OUTCOME task',
    async () => (await view()).openTasks.some((o) => o.task === 'ARREST_OUTCOME'),
    timeoutMs,
  );
  const at = new Date().toISOString();
  check(
    await api.post(`/cases/${caseId}/arrest`, 'inv.alice', {
      outcome: 'no_further_action',
      at,
      victimInformed: { how: 'in_person', at },
    }),
    202,
    'record no further action',
  );
  step(
    'DISCLOSURE_DECLINED',
    'inv.alice recorded no further action (the victim told in person); the arrest track ends',
  );

  await api.until(
    'the CASE_CLOSURE task',
    async () => (await view()).openTasks.some((o) => o.task === 'CASE_CLOSURE'),
    timeoutMs,
  );
  check(
    await api.post(`/cases/${caseId}/close`, 'inv.alice', {
      reason: 'The victim declined to be told; no further action on the suspect; nothing left open.',
    }),
    202,
    'decide to close',
  );
  const closed = await atStage('CLOSED');
  step('CLOSED', 'inv.alice decided to close the case; no letter and no SMS were sent');
  return closed;
}

/**
 * Closed without a suspect: with the platform's return still awaited, the investigator proposes closing (no suspect
 * could be identified); a sergeant who neither proposed it nor opened the case approves at the closure gate; the
 * outstanding requests are abandoned and the victim is told by letter, the address verified, that the account could
 * not be traced (naming no one).
 */
async function closure(
  api: ApiClient,
  caseId: string,
  { step, view, approve, verifyContact, timeoutMs }: DemoSteps,
): Promise<CaseView> {
  await verifyContact();
  check(
    await api.post(`/cases/${caseId}/closure-proposal`, 'inv.alice', {
      reason: 'no_suspect_identified',
      rationale: 'The platform holds no subscriber data for the account and the ISP logs have lapsed.',
    }),
    202,
    'propose closing without a suspect',
  );
  step('PLATFORM_REQUESTS', 'inv.alice proposed closing without a suspect (no subscriber data, ISP logs lapsed)');
  await approve('sgt.carol', 'closure', 'Nothing further can identify the account holder.');
  const closed = await api.until(
    'the victim told',
    async () => {
      const v = await view();
      return v.stage === 'CLOSED' && v.closure?.victimTold ? v : undefined;
    },
    timeoutMs,
  );
  step('CLOSED', 'sgt.carol approved the closure: requests abandoned, the victim told by letter it was not traced');
  return closed;
}
