import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { RESUMABLE_STAGES, type Stage } from '../../functions/domain/stages.js';
import type { ExecutionRecord } from '../../local/engine.js';
import { type Page, walkPages } from '../../local/client.js';
import { demoCaseBody, type CaseView } from '../../local/scenario.js';
import { ChildStack } from '../support/child-stack.js';
import { authorisation, uniqueReference } from '../support/journey.js';

/**
 * Restart (issue): the local stack killed at any point of a case and started
 * again continues every case from its stage, with no duplicate approvals,
 * notifications or audit entries.
 *
 * One child stack (`tsx local/start.ts`, as a user starts it) carries one case
 * per stage, each a "lane". The stack is SIGKILLed (the whole process group:
 * a crash, not Ctrl-C) three times, each time started again on the same data:
 *   1. parked: each lane resting at its own stage, so every stage is killed in;
 *   2. mid-step: each lane's next action fired at once (a decision, a return,
 *      a proposal, a contact verification, an arrest outcome), and the kill
 *      straight after the API's answers, while the workflow is still at work
 *      (delivery of an approved disclosure, the arrest tasking after an
 *      identification approval, the victim-update SMS, ...);
 *   3. at the last wait: every lane taken on to its closing decision (a delay
 *      lane: to its review date); half the closing decisions taken and killed
 *      at once, the other half killed waiting for theirs.
 * A closure lane is killed while its closure without a suspect waits at the `closure` gate (parked), then right
 * after the sergeant's approval (mid-step: the not-traced letter going out), and ends closed at that step.
 * Three disclosure lanes take the other ways a disclosure goes (DISCLOSURE_LANE). The DISCLOSURE_DELIVERY lane
 * is killed while delivery waits for the letter's verification with the old phone verified (parked), then
 * right after the victim's new phone is recorded and it and the letter verified (mid-step: the disclosure going
 * out); the old number is never used. Two lanes have Notify fail the disclosure SMS for good (its test number
 * for a permanent failure): the DISCLOSURE_APPROVAL lane is killed just after Notify accepted the SMS, its
 * failure receipt on its way (mid-step); the AFTER_DISCLOSURE lane is parked with delivery reopened and killed
 * right after the handover is recorded. Each has delivery reopened once, for the owner, and the disclosure
 * shown delivered only by the handover.
 * Then every case is checked: its end stage, one decision per gate, each
 * letter and SMS sent once, a valid audit chain with no entry repeated, and one
 * live (or finished) execution succeeding the superseded ones.
 *
 * Time runs 4 times fast (`--time-scale 4`): the shortest wait, a gate's
 * working day, is still 6 hours, so nothing falls due while the test runs, no
 * gate escalates and every approval is the one the journey expects; a delay's
 * review is hours away, so the two delay lanes end resting in DELAYED (a third
 * delay lane ends its delay early, killed right after the proposal to disclose
 * that ends it, and goes on to disclosure and closing like the others). A kill
 * that lands inside a Notify send holds that send until its idempotency record,
 * in progress for the Lambda's 30 s of real time, runs out; the step's retries
 * (30 s, here 7.5 to 15 s, 8 attempts) outlast it, and the send must go once. At
 * this scale that costs up to about 45 s; hence the generous waits.
 */
const TIME_SCALE = 4;
const DELAY_STAGES: readonly Stage[] = ['DELAY_APPROVAL', 'DELAYED'];
/** The victim declined to be told: a lane of its own, closed without a disclosure. */
const DECLINED_STAGE: Stage = 'DISCLOSURE_DECLINED';
/** Every stage a case can wait in but the delay's two and the declined one, in the order a disclosure passes them. */
const DISCLOSE_STAGES = RESUMABLE_STAGES.filter((s) => !DELAY_STAGES.includes(s) && s !== DECLINED_STAGE);

/**
 * Audit actions that are legitimately repeated with the same actor and ids,
 * found in a run of these same lanes without any kill (the only repeats it
 * produced), each with its reason. A repeat is legitimate only if an entry
 * matching `after` lies between it and the one before (no condition: always).
 * Any other (actor, action, ids) appearing twice in a case's trail is a duplicate.
 */
const REPEATABLE: Record<string, { reason: string; after?: RegExp }> = {
  'task.CONTACT_VERIFICATION.opened': {
    reason: 'the wait for a safe contact opens again when one channel has been verified and the other is still to be',
    after: /^contact\.verified\./,
  },
  'contact.verified.sms': {
    reason: "the victim's new phone is verified after the change of contact that dropped the old one's verification",
    after: /^victim\.contact\.changed$/,
  },
};

/**
 * Disclose; delay and rest at the review; delay, end the delay early by proposing disclosure, and disclose; the
 * victim declines to be told, and the case closes with nothing disclosed; closed without a suspect through the
 * `closure` gate before anything is returned; disclose, the victim's phone changed while delivery waits
 * (`contact`); or disclose, Notify failing the SMS and the letter handed over in person (`failed_delivery`).
 */
type Path = 'disclose' | 'delay' | 'delay_ended' | 'declined' | 'closure' | 'contact' | 'failed_delivery';
/** Every lane ends in a closing decision but one left delayed, waiting for its review date. */
const closes = (l: Lane) => l.path !== 'delay';
/** Every closing lane but the declined one and the closure without a suspect discloses first. */
const discloses = (l: Lane) => closes(l) && l.path !== 'declined' && l.path !== 'closure';
/** Every lane but the closure without a suspect has a suspect identified and an arrest track. */
const identifies = (l: Lane) => l.path !== 'closure';

/** Notify's test number for a permanent failure: the stand-in accepts the SMS, then its receipt says it failed. */
const FAILING_PHONE = '+447700900002';
/** The contact lane's victim moves to this phone while delivery waits. */
const NEW_PHONE = '+447700900456';
/** The investigator who opens every case, and so owns it. */
const OWNER = 'local-inv.alice';

interface Lane {
  parkAt: Stage;
  path: Path;
  /** Its next action at the mid-step kill goes first, and the others' once Notify has accepted its disclosure SMS. */
  receiptAtKill?: boolean;
  caseId: string;
  platform: string;
  isp: string;
  steps: Step[];
  next: number;
  /** Parked after this step rather than at the first step reaching `parkAt` (the closure waits at its stage). */
  parkAfter?: string;
  /** Its closing decision was taken just before this kill (1st, 2nd, 3rd): its execution may have finished before it. */
  closingAtKill?: number;
}

interface Step {
  name: string;
  /** The stage the case rests in once the workflow has taken the step up. */
  reaches: Stage;
  /** Wait until a person can take the step; what it needs (an approval or a request id). */
  ready: (l: Lane) => Promise<string | undefined>;
  /** The person's action over HTTP: returns as soon as the API has answered. */
  act: (l: Lane, id: string | undefined) => Promise<unknown>;
  /** Wait until the workflow has taken it up. */
  settled: (l: Lane) => Promise<unknown>;
}

type Row = { caseId: string; stage: string; owner: string; openTasks: { task: string }[] };
type Approval = { approvalId: string; caseId: string; gate: string };
type Request = CaseView['requests'][number];
type Entry = { seq: number; actor: string; action: string; ids: Record<string, string> };
type FullCase = Omit<CaseView, 'approvals'> & {
  approvals: { approvalId: string; gate: string; status: string }[];
  delays: { endedEarly?: { by: { sub: string } } }[];
  arrestTrack?: { endedAt?: string };
  closure?: { reason: string };
  disclosure?: { delivered: boolean; receiptFailure?: { status: string } };
};

let stack: ChildStack;
const lanes: Lane[] = [];

beforeAll(async () => {
  stack = await ChildStack.create({ prefix: 'restart-', timeScale: TIME_SCALE });
  await stack.start();
});
/** A test of this file failed: its data and every run's output are kept (`.tmp/restart-…` and `….log`) to read afterwards. */
let failed = false;
beforeEach(({ onTestFailed }) => {
  onTestFailed(() => {
    failed = true;
  });
});
afterAll(async () => {
  await stack?.dispose(failed);
  if (failed)
    console.info(
      `kept for reading: the data, ${stack?.dataDir}, and the stack's output, every run, ${stack?.dataDir}.log`,
    );
  if (busy.length)
    console.info(
      `the API answered 503 (busy) ${busy.length} time(s), each asked again: ${[...new Set(busy)].join(', ')}`,
    );
});

const api = () => stack.api;

/**
 * Answers 503 ("a service behind this one is busy; try again in a moment",
 * with Retry-After) that were asked again, as a client does: kept to be told
 * at the end, not counted as failures.
 */
const busy: string[] = [];
async function call<T>(method: 'GET' | 'POST' | 'PUT', path: string, as: string, body?: object) {
  for (let attempt = 1; ; attempt++) {
    const r = await api().request<T>(method, path, as, body);
    if (r.status !== 503 || attempt === 30) return r;
    busy.push(`${method} ${path}`);
    await new Promise((done) => setTimeout(done, Number(r.headers.get('retry-after') ?? 1) * 1000));
  }
}
async function read<T>(path: string, as: string): Promise<T> {
  const r = await call<T>('GET', path, as);
  expect(r.status, `GET ${path}`).toBe(200);
  return r.body;
}

/** Every item of a list, page by page. */
const readAll = <T>(path: string, as: string) => walkPages<T>(path, (url) => read<Page<T>>(url, as));

/** The case list (no audit entry per read) and each supervisor's queue, shared by every lane's polling for a moment. */
const shared = new Map<string, { at: number; value: Promise<unknown> }>();
function sharedGet<T>(path: string, as: string): Promise<T[]> {
  const key = `${as} ${path}`;
  const hit = shared.get(key);
  if (hit && Date.now() - hit.at < 250) return hit.value as Promise<T[]>;
  const value = readAll<T>(path, as);
  shared.set(key, { at: Date.now(), value });
  return value;
}
const row = async (caseId: string) => (await sharedGet<Row>('/cases', 'inv.alice')).find((r) => r.caseId === caseId);
const hasTask = (r: Row | undefined, task: string) => !!r?.openTasks.some((t) => t.task === task);
const until = <T>(what: string, check: () => Promise<T | undefined | false>) => api().until(what, check, 120_000, 150);
const restingAt = (l: Lane, stage: Stage, task?: string) =>
  until(`${l.parkAt} lane at ${stage}${task ? ` with ${task}` : ''}`, async () => {
    const r = await row(l.caseId);
    return r?.stage === stage && (!task || hasTask(r, task)) && r;
  });
const approvalFor = (user: string, l: Lane, gate: string) =>
  until(`${gate} approval for ${user}`, async () =>
    (await sharedGet<Approval>('/approvals', user)).find((a) => a.caseId === l.caseId && a.gate === gate),
  );
const requestOf = (l: Lane, kind: string) =>
  until(`${kind} request awaiting its return`, async () =>
    (await read<Request[]>(`/cases/${l.caseId}/requests`, 'spoc.sam')).find(
      (r) => r.kind === kind && r.status === 'awaiting_return',
    ),
  );
const fullCase = (caseId: string) => read<FullCase>(`/cases/${caseId}`, 'aud.frank');
const trailOf = (caseId: string) => readAll<Entry>(`/cases/${caseId}/audit`, 'aud.frank');

async function posted<T = unknown>(path: string, as: string, body: object, status: number): Promise<T> {
  const r = await call<T>('POST', path, as, body);
  expect(r.status, `POST ${path}: ${JSON.stringify(r.body)}`).toBe(status);
  return r.body;
}
async function verifyContact(l: Lane, channels = ['sms', 'letter']) {
  for (const channel of channels)
    await posted(
      `/cases/${l.caseId}/contact-verification`,
      'inv.alice',
      { channel, verified: true, note: 'checked with the victim at the station' },
      200,
    );
}
const decide = (user: string, approvalId: string | undefined, extra: object = {}) =>
  posted(
    `/approvals/${approvalId}/decision`,
    user,
    { decision: 'approve', rationale: 'approved on the evidence before me', ...extra },
    200,
  );
const uploadReturn = (l: Lane, requestId: string | undefined, body: object) =>
  posted(
    `/cases/${l.caseId}/requests/${requestId}/return`,
    'spoc.sam',
    { receivedAt: new Date().toISOString(), ...body },
    202,
  );
const nothingToWaitFor = async () => undefined;

/** A supervisor approves the lane's pending approval at `gate`. */
const approval = (
  name: string,
  user: string,
  gate: string,
  reaches: Stage,
  settled: Step['settled'],
  extra: () => object = () => ({}),
): Step => ({
  name,
  reaches,
  ready: async (l) => (await approvalFor(user, l, gate)).approvalId,
  act: (_, id) => decide(user, id, extra()),
  settled,
});
/** The investigator proposes disclosure or a delay, the victim's contact verified first (both channels, unless told). */
const proposal = (
  body: { action: 'disclose' | 'delay'; rationale: string; ground?: string; reviewInDays?: number },
  reaches: Stage,
  approver: string,
  gate: string,
  channels?: string[],
): Step => ({
  name: `propose to ${body.action}`,
  reaches,
  ready: nothingToWaitFor,
  act: async (l) => {
    await verifyContact(l, channels);
    await posted(`/cases/${l.caseId}/disclosure-proposal`, 'inv.alice', body, 202);
  },
  settled: (l) => approvalFor(approver, l, gate),
});

// The steps of a case, each from the stage it starts in to the one it reaches.
const open: Step = {
  name: 'open the case',
  reaches: 'DATA_REQUEST_APPROVAL',
  ready: nothingToWaitFor,
  act: async (l) => {
    const body = demoCaseBody(uniqueReference());
    if (l.path === 'failed_delivery') body.victim.contact.phone = FAILING_PHONE;
    l.caseId = (await posted<{ caseId: string }>('/cases', 'inv.alice', body, 201)).caseId;
  },
  settled: (l) => approvalFor('sgt.bob', l, 'data_request'),
};
const approveDataRequest = approval(
  'approve the data request',
  'sgt.bob',
  'data_request',
  'PLATFORM_REQUESTS',
  (l) => requestOf(l, 'platform_disclosure'),
  () => ({
    authorisation: authorisation(),
  }),
);
const platformReturn: Step = {
  name: 'upload the platform return',
  reaches: 'ISP_RESOLUTION',
  ready: async (l) => (l.platform = (await requestOf(l, 'platform_disclosure')).requestId),
  act: (l, id) =>
    uploadReturn(l, id, {
      subscriber: { name: 'John Smith', emails: ['j.smith@example.com'], phones: [] },
      ipEvents: [{ ip: '203.0.113.9', port: 4000, at: '2026-10-01T10:00:00Z', kind: 'login' }],
    }),
  settled: (l) => requestOf(l, 'isp_resolution'),
};
const ispReturn: Step = {
  name: 'upload the ISP return',
  reaches: 'IDENTIFICATION',
  ready: async (l) => (l.isp = (await requestOf(l, 'isp_resolution')).requestId),
  act: (l, id) => uploadReturn(l, id, { subscriber: { name: 'John Smith' } }),
  settled: (l) => restingAt(l, 'IDENTIFICATION', 'IDENTIFICATION_PROPOSAL'),
};
const proposeSuspect: Step = {
  name: 'propose the suspect',
  reaches: 'IDENTIFICATION_APPROVAL',
  ready: nothingToWaitFor,
  act: (l) =>
    posted(
      `/cases/${l.caseId}/identification`,
      'inv.alice',
      {
        suspect: { name: 'John Smith', aliases: [] },
        points: [
          { requestId: l.platform, kind: 'email', detail: 'named by the platform subscriber record' },
          { requestId: l.isp, kind: 'ip_resolution', detail: 'the login address resolves to him' },
        ],
        rationale: 'the platform and the ISP name the same person',
      },
      202,
    ),
  settled: (l) => approvalFor('sgt.carol', l, 'identification'),
};
const approveIdentification = approval(
  'approve the identification',
  'sgt.carol',
  'identification',
  'DISCLOSURE_DECISION',
  async (l) => {
    await restingAt(l, 'DISCLOSURE_DECISION', 'DISCLOSURE_PROPOSAL');
    return restingAt(l, 'DISCLOSURE_DECISION', 'ARREST_OUTCOME');
  },
);
const discloseProposal = (channels?: string[]) =>
  proposal(
    { action: 'disclose', rationale: 'the presumption applies' },
    'DISCLOSURE_APPROVAL',
    'insp.dave',
    'disclosure',
    channels,
  );
const proposeDisclosure = discloseProposal();
/** The phone verified, the letter not: once approved, delivery waits for the letter's verification. */
const proposeDisclosurePhoneVerified = discloseProposal(['sms']);
const approveDisclosure = approval('approve disclosure', 'insp.dave', 'disclosure', 'AFTER_DISCLOSURE', (l) =>
  restingAt(l, 'AFTER_DISCLOSURE'),
);
const approveDisclosureUnverified: Step = {
  ...approveDisclosure,
  reaches: 'DISCLOSURE_DELIVERY',
  settled: (l) => restingAt(l, 'DISCLOSURE_DELIVERY', 'CONTACT_VERIFICATION'),
};
const proposeDelay = proposal(
  {
    action: 'delay',
    ground: 'prejudice_investigation',
    reviewInDays: 1,
    rationale: 'telling her now would alert him before the search',
  },
  'DELAY_APPROVAL',
  'supt.erin',
  'delay',
);
const approveDelay = approval('approve the delay', 'supt.erin', 'delay', 'DELAYED', (l) => restingAt(l, 'DELAYED'));
/** The delay's ground falls away (he is arrested): a proposal to disclose while DELAYED ends it, to the disclosure gate. */
const endDelay: Step = {
  name: 'end the delay early',
  reaches: 'DISCLOSURE_APPROVAL',
  ready: nothingToWaitFor,
  act: (l) =>
    posted(
      `/cases/${l.caseId}/disclosure-proposal`,
      'inv.alice',
      { action: 'disclose', rationale: 'he was arrested this morning: the delay is no longer needed' },
      202,
    ),
  settled: (l) => approvalFor('insp.dave', l, 'disclosure'),
};
/** No further action: the victim is told by SMS (the arrest track sends it), and the track ends. */
const arrestOutcome = (reaches: Stage): Step => ({
  name: 'record the arrest outcome',
  reaches,
  ready: async (l) => {
    await until('the ARREST_OUTCOME task', async () => hasTask(await row(l.caseId), 'ARREST_OUTCOME'));
    return undefined;
  },
  act: (l) =>
    posted(
      `/cases/${l.caseId}/arrest`,
      'inv.alice',
      { outcome: 'no_further_action', at: new Date().toISOString() },
      202,
    ),
  settled: (l) =>
    reaches !== 'DELAYED'
      ? restingAt(l, reaches, 'CASE_CLOSURE')
      : until('the arrest track to end', async () => {
          const k = await fullCase(l.caseId);
          return k.stage === reaches && !!k.arrestTrack?.endedAt;
        }),
});
const closeCaseFrom = (stage: Stage): Step => ({
  name: 'decide to close',
  reaches: 'CLOSED',
  ready: async (l) => {
    await restingAt(l, stage, 'CASE_CLOSURE');
    return undefined;
  },
  act: (l) =>
    posted(
      `/cases/${l.caseId}/close`,
      'inv.alice',
      { reason: 'No further action; the victim was told and nothing is left to do.' },
      202,
    ),
  settled: (l) => restingAt(l, 'CLOSED'),
});
const closeCase = closeCaseFrom('AFTER_DISCLOSURE');
/** The victim declines to be told (their phone verified, for the arrest track's update): the right-to-know branch ends. */
const victimDeclines: Step = {
  name: 'record that the victim declines',
  reaches: DECLINED_STAGE,
  ready: nothingToWaitFor,
  act: async (l) => {
    await verifyContact(l);
    await posted(
      `/cases/${l.caseId}/victim-choice`,
      'inv.alice',
      { choice: 'declines', note: 'she does not want to know who it is' },
      200,
    );
  },
  settled: (l) => restingAt(l, DECLINED_STAGE),
};

/** Nothing traceable came back: the investigator proposes closing without a suspect (contact verified first). */
const proposeClosure: Step = {
  name: 'propose closing without a suspect',
  reaches: 'PLATFORM_REQUESTS',
  ready: nothingToWaitFor,
  act: async (l) => {
    await verifyContact(l);
    await posted(
      `/cases/${l.caseId}/closure-proposal`,
      'inv.alice',
      {
        reason: 'no_suspect_identified',
        rationale: 'The platform holds no subscriber data and the ISP records have lapsed.',
      },
      202,
    );
  },
  settled: (l) => approvalFor('sgt.carol', l, 'closure'),
};
const approveClosure = approval('approve the closure', 'sgt.carol', 'closure', 'CLOSED', (l) => restingAt(l, 'CLOSED'));

const UP_TO_DECISION = [open, approveDataRequest, platformReturn, ispReturn, proposeSuspect, approveIdentification];

/** While delivery waits, the victim's new phone (the old one's verification lost), then it and the letter verified. */
const changePhone: Step = {
  name: "record the victim's new phone while delivery waits, and verify it and the letter",
  reaches: 'AFTER_DISCLOSURE',
  ready: nothingToWaitFor,
  act: async (l) => {
    const contact = { ...demoCaseBody(uniqueReference()).victim.contact, phone: NEW_PHONE };
    const r = await call<{ verified: object }>('PUT', `/cases/${l.caseId}/victim/contact`, 'inv.alice', contact);
    expect(r.status, `PUT contact: ${JSON.stringify(r.body)}`).toBe(200);
    expect(r.body.verified).toEqual({ sms: false, letter: false });
    await verifyContact(l);
  },
  settled: (l) => restingAt(l, 'AFTER_DISCLOSURE'),
};
/** The disclosure is not shown delivered: Notify failed its SMS, and no handover is on record. */
async function notDelivered(l: Lane) {
  expect((await fullCase(l.caseId)).disclosure, 'the disclosure before the handover').toMatchObject({
    delivered: false,
    receiptFailure: { status: 'permanent-failure' },
  });
}
/** Notify's receipt says the disclosure SMS failed for good: delivery reopens, a task for the case's owner. */
const deliveryReopened: Step = {
  name: "Notify's failure receipt reopens delivery",
  reaches: 'AFTER_DISCLOSURE',
  ready: nothingToWaitFor,
  // Notify's doing, once it has the SMS: no one acts.
  act: nothingToWaitFor,
  settled: async (l) => {
    expect((await restingAt(l, 'AFTER_DISCLOSURE', 'DELIVERY_FAILED')).owner).toBe(OWNER);
    await notDelivered(l);
  },
};
const handOver: Step = {
  name: 'record the handover',
  reaches: 'AFTER_DISCLOSURE',
  ready: async (l) => {
    await restingAt(l, 'AFTER_DISCLOSURE', 'DELIVERY_FAILED');
    await notDelivered(l);
    return undefined;
  },
  act: (l) =>
    posted(
      `/cases/${l.caseId}/disclosure/delivered`,
      'inv.alice',
      { at: new Date().toISOString(), note: 'Handed the letter over at the station.' },
      202,
    ),
  settled: (l) =>
    until('the handover on record', async () => {
      const r = await row(l.caseId);
      return !!r && !hasTask(r, 'DELIVERY_FAILED') && (await fullCase(l.caseId)).disclosure?.delivered === true;
    }),
};
/** Notify has accepted the lane's disclosure SMS: it is in the outbox. */
const smsAccepted = (l: Lane) =>
  until('the disclosure SMS accepted by Notify', async () =>
    outbox('sms.jsonl').some((m) => m.reference === `${l.caseId}:disclosure-sms:v1`),
  );

const AFTER_DISCLOSURE_TO_CLOSE = [arrestOutcome('AFTER_DISCLOSURE'), closeCase];
const STEPS: Record<Path, Step[]> = {
  disclose: [...UP_TO_DECISION, proposeDisclosure, approveDisclosure, ...AFTER_DISCLOSURE_TO_CLOSE],
  contact: [
    ...UP_TO_DECISION,
    proposeDisclosurePhoneVerified,
    approveDisclosureUnverified,
    changePhone,
    ...AFTER_DISCLOSURE_TO_CLOSE,
  ],
  failed_delivery: [
    ...UP_TO_DECISION,
    proposeDisclosure,
    approveDisclosure,
    deliveryReopened,
    handOver,
    ...AFTER_DISCLOSURE_TO_CLOSE,
  ],
  delay: [...UP_TO_DECISION, proposeDelay, approveDelay, arrestOutcome('DELAYED')],
  delay_ended: [
    ...UP_TO_DECISION,
    proposeDelay,
    approveDelay,
    endDelay,
    approveDisclosure,
    ...AFTER_DISCLOSURE_TO_CLOSE,
  ],
  declined: [...UP_TO_DECISION, victimDeclines, arrestOutcome(DECLINED_STAGE), closeCaseFrom(DECLINED_STAGE)],
  closure: [open, approveDataRequest, proposeClosure, approveClosure],
};

function lane(
  parkAt: Stage,
  path: Path = DELAY_STAGES.includes(parkAt) ? 'delay' : 'disclose',
  extra: Pick<Lane, 'parkAfter' | 'receiptAtKill'> = {},
): Lane {
  return {
    parkAt,
    path,
    caseId: '',
    platform: '',
    isp: '',
    steps: STEPS[path],
    next: 0,
    ...(path === 'closure' ? { parkAfter: proposeClosure.name } : {}),
    ...extra,
  };
}

/**
 * Three disclosure stages' lanes take the other ways a disclosure goes: the one waiting at delivery has the
 * victim's phone changed, and the ones at the disclosure gate and after disclosure have Notify fail the SMS.
 */
const DISCLOSURE_LANE: Partial<Record<Stage, () => Lane>> = {
  DISCLOSURE_APPROVAL: () => lane('DISCLOSURE_APPROVAL', 'failed_delivery', { receiptAtKill: true }),
  DISCLOSURE_DELIVERY: () => lane('DISCLOSURE_DELIVERY', 'contact'),
  AFTER_DISCLOSURE: () => lane('AFTER_DISCLOSURE', 'failed_delivery', { parkAfter: deliveryReopened.name }),
};

/** A person takes the lane's next step: returns once the API has answered, the workflow possibly still at work on it. */
async function act(l: Lane) {
  const s = l.steps[l.next]!;
  await s.act(l, await s.ready(l));
}
/** The workflow has taken the step up. */
async function settle(l: Lane) {
  await l.steps[l.next]!.settled(l);
  l.next += 1;
}
async function take(l: Lane) {
  await act(l);
  await settle(l);
}
/** Take steps until the case rests at `stage` (the first step reaching it, or the lane's `parkAfter`). */
async function advanceTo(l: Lane, stage: Stage) {
  const parked = () =>
    l.parkAfter ? l.steps[l.next - 1]?.name === l.parkAfter : l.steps[l.next - 1]?.reaches === stage;
  while (!parked()) await take(l);
}
/** Take steps until only the last one (the closing decision, for a disclosure) is left, or none. */
async function advanceToLastWait(l: Lane) {
  const last = closes(l) ? l.steps.length - 1 : l.steps.length;
  while (l.next < last) await take(l);
}

const executions = (): ExecutionRecord[] => JSON.parse(readFileSync(join(stack.dataDir, 'executions.json'), 'utf8'));
/** The moments the stack was killed at. */
const kills: string[] = [];

/**
 * SIGKILL, then start again on the same data: every execution that was
 * running is superseded, and its case continues in one fresh execution, but
 * a case the workflow had closed just before the kill, which has nothing left.
 */
async function crashAndRestart(at: string) {
  await stack.kill();
  const before = executions();
  const running = before.filter((e) => e.status === 'RUNNING');
  await stack.start();
  kills.push(at);
  shared.clear();
  const after = new Map(executions().map((e) => [e.name, e]));
  expect(
    running.map((e) => after.get(e.name)?.status),
    `executions running at the kill ${at}`,
  ).toEqual(running.map(() => 'SUPERSEDED'));
  const fresh = [...after.values()].filter((e) => !before.some((b) => b.name === e.name));
  expect(fresh.length, `executions started after the kill ${at}, as the stack reports`).toBe(stack.resumedCount());
  expect(new Set(fresh.map((e) => e.caseId)).size, 'one successor a case').toBe(fresh.length);
  expect(
    fresh.filter((f) => !running.some((e) => e.caseId === f.caseId)).map((f) => f.name),
    'successors of nothing running',
  ).toEqual([]);
  const closing = new Set(lanes.filter((l) => l.closingAtKill !== undefined).map((l) => l.caseId));
  const left = running.filter((e) => !fresh.some((f) => f.caseId === e.caseId)).map((e) => e.caseId);
  expect(
    left.filter((caseId) => !closing.has(caseId)),
    `cases not continued after the kill ${at}`,
  ).toEqual([]);
}

const outbox = (name: string) => {
  const file = join(stack.outboxDir, name);
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];
};
const repeated = <T>(items: T[], key: (t: T) => string) => {
  const seen = new Map<string, number>();
  for (const i of items) seen.set(key(i), (seen.get(key(i)) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
};
const canonicalIds = (ids: Record<string, string>) =>
  JSON.stringify(Object.entries(ids).sort(([a], [b]) => a.localeCompare(b)));
/** Entries repeating an earlier one's (actor, action, ids), unless REPEATABLE allows it; as "seq actor action ids". */
function duplicateEntries(trail: Entry[]): string[] {
  const last = new Map<string, number>();
  const out: string[] = [];
  trail.forEach((e, i) => {
    const key = `${e.actor} ${e.action} ${canonicalIds(e.ids)}`;
    const before = last.get(key);
    last.set(key, i);
    if (before === undefined) return;
    const allowed = REPEATABLE[e.action];
    if (allowed && (!allowed.after || trail.slice(before + 1, i).some((x) => allowed.after!.test(x.action)))) return;
    out.push(`#${e.seq} ${key}`);
  });
  return out;
}

describe('a local stack killed during each stage of a case and started again', () => {
  test('continues every case from its stage to its end, with nothing approved, sent or audited twice', {
    timeout: 300_000,
  }, async () => {
    lanes.push(
      ...DISCLOSE_STAGES.map((s) => DISCLOSURE_LANE[s]?.() ?? lane(s)),
      ...DELAY_STAGES.map((s) => lane(s)),
      lane('DELAYED', 'delay_ended'),
      lane(DECLINED_STAGE, 'declined'),
      lane('PLATFORM_REQUESTS', 'closure'),
    );

    // 1. Each lane parked at its own stage, then a crash.
    await Promise.all(lanes.map((l) => advanceTo(l, l.parkAt)));
    const stages = async () => new Map((await readAll<Row>('/cases', 'inv.alice')).map((r) => [r.caseId, r.stage]));
    const parked = await stages();
    for (const l of lanes) expect(parked.get(l.caseId), l.parkAt).toBe(l.parkAt);
    await crashAndRestart('with every lane parked at its stage');
    const resumed = await stages();
    for (const l of lanes) expect(resumed.get(l.caseId), `${l.parkAt} after the restart`).toBe(l.parkAt);

    // 2. Every lane's next action, all ready at once, and a crash the moment the API has answered them all.
    const ready = await Promise.all(lanes.map((l) => l.steps[l.next]!.ready(l)));
    // The closure's approval is its closing decision: taken now, it may close before the kill.
    for (const l of lanes) if (closes(l) && l.next === l.steps.length - 1) l.closingAtKill = kills.length + 1;
    const actNow = (l: Lane) => l.steps[l.next]!.act(l, ready[lanes.indexOf(l)]);
    // A failing delivery's approval goes first, and the others' actions once Notify has accepted its SMS: at the kill
    // the receipt saying the SMS failed is on its way, just answered, or left for the stand-in to send once restarted.
    const first = lanes.filter((l) => l.receiptAtKill);
    await Promise.all(
      first.map(async (l) => {
        await actNow(l);
        await smsAccepted(l);
      }),
    );
    await Promise.all(lanes.filter((l) => !first.includes(l)).map(actNow));
    await crashAndRestart('right after each lane’s next action was accepted');

    // 3. Every lane through to its last wait (the closing decision; for a delay, its review date). Half the
    //    closing decisions are taken, and a crash straight after: the other half are killed waiting for theirs.
    await Promise.all(
      lanes.map(async (l) => {
        await settle(l);
        await advanceToLastWait(l);
      }),
    );
    // Every lane that still has its closing decision to take (the closure lane took it before the last kill).
    const closing = lanes.filter((l) => closes(l) && l.next < l.steps.length);
    const closedFirst = closing.filter((_, i) => i % 2 === 0);
    for (const l of closedFirst) l.closingAtKill = kills.length + 1;
    await Promise.all(closedFirst.map(act));
    await crashAndRestart('right after half the closing decisions were accepted, the other half waiting');
    await Promise.all(closing.map((l) => (closedFirst.includes(l) ? settle(l) : take(l))));
    for (const l of lanes) expect(l.next, `${l.parkAt} lane took every step`).toBe(l.steps.length);
  });

  describe('afterwards, every case', () => {
    const each = (what: string, check: (l: Lane) => Promise<void> | void) =>
      test(what, async () => {
        expect(lanes.length, 'the restarts ran').toBe(DISCLOSE_STAGES.length + DELAY_STAGES.length + 3);
        const failures: string[] = [];
        for (const l of lanes) {
          try {
            await check(l);
          } catch (e) {
            const { message, actual } = e as Error & { actual?: unknown };
            failures.push(
              `${l.parkAt} lane (${l.caseId}): ${message.split('\n')[0]}${actual === undefined ? '' : ` (actual: ${JSON.stringify(actual)})`}`,
            );
          }
        }
        expect(failures).toEqual([]);
      });

    each(
      'is at its end: closed (after disclosure, or declined), or delayed with its one delay waiting for review',
      async (l) => {
        const k = await fullCase(l.caseId);
        if (closes(l)) {
          expect(k.stage).toBe('CLOSED');
          expect(k.closure?.reason).toMatch(l.path === 'closure' ? /^no_suspect_identified$/ : /^No further action/);
        } else {
          expect(k.stage).toBe('DELAYED');
        }
        if (l.path !== 'delay' && l.path !== 'delay_ended') expect(k.delays).toEqual([]);
        else
          expect(k.delays.map((d) => d.endedEarly?.by.sub)).toEqual([
            l.path === 'delay' ? undefined : 'local-inv.alice',
          ]);
        if (identifies(l)) expect(k.arrestTrack?.endedAt).toBeTruthy();
        else expect(k.arrestTrack).toBeUndefined();
        // A delay waiting for its review shows the review, due on its date, and nothing else.
        expect(k.openTasks.map((t) => t.task)).toEqual(l.path === 'delay' ? ['DELAY_REVIEW'] : []);
      },
    );

    each(
      'has each gate decided once: one approval per gate, approved, and one decision in the trail per subject',
      async (l) => {
        const k = await fullCase(l.caseId);
        const gates = [
          'data_request',
          ...(identifies(l) ? ['identification'] : ['closure']),
          ...(l.path === 'delay' || l.path === 'delay_ended' ? ['delay'] : []),
          ...(discloses(l) ? ['disclosure'] : []),
        ];
        expect(k.approvals.map((a) => `${a.gate}:${a.status}`).sort()).toEqual(
          gates.map((g) => `${g}:approved`).sort(),
        );
        const trail = await trailOf(l.caseId);
        const decisions = trail.filter((e) => /^gate\.[a-z_]+\.(approved|rejected)$/.test(e.action));
        expect(repeated(decisions, (e) => `${e.action.split('.')[1]}:${e.ids.subjectId}`)).toEqual([]);
        expect(decisions.map((e) => e.action.split('.')[1]).sort()).toEqual([...gates].sort());
      },
    );

    each('got each letter and SMS once, exactly those of its path, recorded and audited once', async (l) => {
      const sms = outbox('sms.jsonl')
        .map((m) => String(m.reference))
        .filter((r) => r.startsWith(`${l.caseId}:`));
      const sent = outbox('notifications.jsonl').filter((n) => String(n.reference).startsWith(`${l.caseId}:`));
      const letters = readdirSync(join(stack.outboxDir, 'letters')).filter((f) => f.startsWith(l.caseId));
      const expectedSms = [
        ...(identifies(l) ? [`${l.caseId}:victim_update:0`] : []),
        ...(discloses(l) ? [`${l.caseId}:disclosure-sms:v1`] : []),
      ].sort();
      // Closed without a suspect, the victim is told by letter (post is the channel) that no one could be traced.
      const expectedLetters = discloses(l)
        ? [`${l.caseId}:disclosure-letter:v1`]
        : identifies(l)
          ? []
          : [`${l.caseId}:not-traced-letter`];
      expect(sms.sort(), 'sms.jsonl').toEqual(expectedSms);
      expect(
        sent
          .filter((n) => n.type === 'sms')
          .map((n) => String(n.reference))
          .sort(),
        'SMS sends accepted by Notify',
      ).toEqual(expectedSms);
      expect(
        sent.filter((n) => n.type === 'letter').map((n) => String(n.reference)),
        'letter sends accepted by Notify',
      ).toEqual(expectedLetters);
      expect(letters, 'letter PDFs').toEqual(expectedLetters.map((r) => `${r.replace(/[^A-Za-z0-9_-]/g, '_')}.pdf`));
      const expected = [...expectedSms, ...expectedLetters].sort();
      expect(
        (await fullCase(l.caseId)).notifications.map((n) => n.reference).sort(),
        "the case's record of what was sent",
      ).toEqual(expected);
      const trail = await trailOf(l.caseId);
      expect(
        trail
          .filter((e) => e.action.startsWith('notification.sent.'))
          .map((e) => e.ids.reference)
          .sort(),
        'notification.sent entries',
      ).toEqual(expected);
    });

    each(
      'was told as its path has it: a new phone only at the new number, a failed SMS reopening delivery once',
      async (l) => {
        const trail = await trailOf(l.caseId);
        const actions = (action: string) => trail.filter((e) => e.action === action).map((e) => e.ids);
        const to = outbox('sms.jsonl')
          .filter((m) => String(m.reference).startsWith(`${l.caseId}:`))
          .map((m) => m.to);
        if (l.path === 'contact') {
          expect(to, 'each SMS sent to').toEqual([NEW_PHONE, NEW_PHONE]);
          expect(actions('victim.contact.changed')).toEqual([{ changed: 'phone' }]);
        }
        // Nobody else's delivery reopened; a failed one once, for its SMS, and delivered by the handover alone.
        expect(actions('disclosure.delivery_reopened')).toEqual(
          l.path === 'failed_delivery'
            ? [{ reference: `${l.caseId}:disclosure-sms:v1`, status: 'permanent-failure' }]
            : [],
        );
        if (l.path !== 'failed_delivery') return;
        expect(actions('disclosure.handed_over')).toHaveLength(1);
        const order = trail.map((e) => e.action);
        expect(order.indexOf('disclosure.delivery_reopened')).toBeLessThan(order.indexOf('disclosure.handed_over'));
        expect((await fullCase(l.caseId)).disclosure).toMatchObject({
          delivered: true,
          receiptFailure: { status: 'permanent-failure' },
        });
      },
    );

    each('had its one arrest tasking published under one event id', (l) => {
      const taskings = outbox('events.jsonl').filter(
        (e) => e.detailType === 'ArrestTasking' && (e.detail as { caseId: string }).caseId === l.caseId,
      );
      expect(new Set(taskings.map((e) => (e.detail as { eventId: string }).eventId)).size).toBe(identifies(l) ? 1 : 0);
    });

    each('has a valid audit chain with no entry repeated', async (l) => {
      const verdict = await read<{ valid: boolean; entries: number }>(`/cases/${l.caseId}/audit/verify`, 'aud.frank');
      expect(verdict.valid).toBe(true);
      const trail = await trailOf(l.caseId);
      expect(duplicateEntries(trail)).toEqual([]);
    });

    each('has its superseded executions and one successor, running or succeeded', (l) => {
      const mine = executions().filter((e) => e.caseId === l.caseId);
      const superseded = mine.filter((e) => e.status === 'SUPERSEDED');
      const live = mine.filter((e) => e.status !== 'SUPERSEDED');
      // Each start resumed it under the next name: <caseId>, <caseId>-r1, <caseId>-r2, ...
      expect(mine.map((e) => e.name)).toEqual(mine.map((_, i) => (i === 0 ? l.caseId : `${l.caseId}-r${i}`)));
      expect(superseded.length).toBeLessThanOrEqual(kills.length);
      if (live.length === 0) {
        // A case closed by the workflow just before the last kill, before the engine had recorded its execution's
        // end: the restart finds the case CLOSED, marks the execution superseded and has nothing to continue.
        expect(l.closingAtKill, 'only a case closing at a kill has no successor').toBeDefined();
        expect(superseded.length).toBe(l.closingAtKill);
        return;
      }
      expect(live.map((e) => e.status)).toEqual([closes(l) ? 'SUCCEEDED' : 'RUNNING']);
      expect(mine.at(-1), 'the successor is the last started').toBe(live[0]);
      // Running at every kill, but a case closing at the last one may have finished before it.
      // Running at every kill until it closed; one closing at a kill may have finished before it.
      const killedRunning = l.closingAtKill ?? kills.length;
      expect(superseded.length).toBeGreaterThanOrEqual(l.closingAtKill ? killedRunning - 1 : killedRunning);
    });
  });
});
