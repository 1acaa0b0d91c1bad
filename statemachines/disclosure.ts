import { WAIT_DUE } from '../functions/domain/clock.js';
import { RESUMABLE_STAGES } from '../functions/domain/stages.js';
import { TASK_CLOCKS, TASK_DUE, type TaskClock, type TaskDue, type TaskName } from '../functions/domain/tasks.js';
import { clockPlaceholder, functionArn, type WorkflowFunction } from './bindings.js';
import {
  type Catcher,
  type Definition,
  type Retrier,
  type State,
  TOKEN_WAIT,
  withFaultHandling,
} from './faultHandling.js';
import { withResumedWaits } from './resumedWaits.js';

/** Stages a case resumes at after gate 1: all enter CaseTracks, whose branches each take the case from its records. */
const AFTER_GATE_1 = RESUMABLE_STAGES.filter((s) => s !== 'DATA_REQUEST_APPROVAL');
/** Stages after gate 2's approval: the Identification branch resumes them in AfterIdentification. */
const AFTER_IDENTIFICATION = RESUMABLE_STAGES.slice(RESUMABLE_STAGES.indexOf('DISCLOSURE_DECISION'));

/**
 * What the arrest track's plan is timed by (RaiseArrestTasking plans it first, PlanArrestTrack and UpdateVictimOnArrest
 * after), and when its execution must hand over to a fresh one.
 */
const TRACK_CLOCK = {
  'daySeconds.$': '$.settings.daySeconds',
  'arrestOutcomeSeconds.$': '$.settings.tasks.arrestOutcome',
  'executionStartTime.$': '$$.Execution.StartTime',
  'handoverSeconds.$': '$.settings.trackHandover',
};

/**
 * The disclosure workflow, one execution per case, in Amazon States Language (JSONPath only).
 *
 * This is the flow as authored: states, where each goes next, what a person's deadline does. Every Task
 * state also retries what passes, and hands what does not to a supervisor through a `FaultAt<Step>` wait:
 * statemachines/faultHandling.ts adds those to every task alike, and `npm run asl:print` shows the result,
 * the one definition AWS (infra/stacks/workflow.ts) and the local engine (local/engine.ts) run.
 *
 * `${…}` placeholders are bound at deployment (statemachines/bindings.ts): each workflow function's ARN,
 * and every duration from the policy module (functions/domain/policy.ts).
 *
 * Reading a state: `call(fn, params)` invokes a workflow function with the case id (its result dropped
 * unless ResultPath says where); `waitFor(fn, due, payload)` invokes a function that records a task or an
 * approval with this state's token, then waits until a person answers it or `due` seconds pass
 * (States.Timeout, caught as `caught('States.Timeout', next)`).
 */
const flow: Definition = {
  Comment: 'Stalking right-to-know disclosure: from data request to disclosure, with supervisor gates. JSONPath only.',
  StartAt: 'LoadSettings',
  States: {
    LoadSettings: {
      Type: 'Pass',
      Comment: "Every duration comes from the policy module through the deployment's substitutions.",
      Parameters: {
        gates: {
          'data_request.$': setting('DataRequestGateSeconds'),
          'identification.$': setting('IdentificationGateSeconds'),
          'disclosure.$': setting('DisclosureGateSeconds'),
          'delay.$': setting('DelayGateSeconds'),
          'closure.$': setting('ClosureGateSeconds'),
        },
        // Each task's due time (functions/domain/tasks.ts TASK_CLOCKS), read by awaitTask as $.settings.tasks.<clock>.
        tasks: Object.fromEntries(
          Object.keys(TASK_CLOCKS).map((clock) => [`${clock}.$`, setting(clockPlaceholder(clock as TaskClock))]),
        ),
        returns: {
          'chase.$': setting('ReturnChaseSeconds'),
          'afterChase.$': setting('ReturnGiveUpAfterChaseSeconds'),
        },
        'daySeconds.$': setting('DaySeconds'),
        'executionHandover.$': setting('ExecutionHandoverSeconds'),
        'trackHandover.$': setting('ArrestTrackHandoverSeconds'),
        'preservationRenewalWarning.$': setting('PreservationRenewalWarningSeconds'),
        'faultResponse.$': setting('FaultResponseSeconds'),
      },
      ResultPath: '$.settings',
      Next: 'IsResuming',
    },
    IsResuming: {
      Type: 'Choice',
      Choices: [{ Variable: '$.resumeAt', IsPresent: true, Next: 'ResumeAtStage' }],
      Default: 'AwaitDataRequestApproval',
    },
    // Every stage a case can wait in (functions/domain/stages.ts RESUMABLE_STAGES; a test holds them equal).
    ResumeAtStage: {
      Type: 'Choice',
      Comment: "A fresh execution continues a case from its stage (after a restart, or past an execution's lifetime).",
      Choices: [
        resumeAt('DATA_REQUEST_APPROVAL', 'AwaitDataRequestApproval'),
        // Every later stage enters the case's tracks again: requests, preservations and identification each take it
        // from their records (the Identification branch routes by stage; the right-to-know branch inside it too).
        ...AFTER_GATE_1.map((stage) => resumeAt(stage, 'PreparePlatformRequests')),
      ],
      Default: 'AwaitDataRequestApproval',
    },

    // ── Gate 1: a supervisor authorises the data request ────────────────────────────────────────────────
    AwaitDataRequestApproval: {
      ...waitFor('openApproval', '$.settings.gates.data_request', { gate: 'data_request' }),
      Comment: 'Gate: data_request. A supervisor decides; past due it escalates one rank up.',
      ResultPath: '$.decision',
      Catch: [caught('States.Timeout', 'EscalateDataRequestApproval')],
      Next: 'DataRequestDecided',
    },
    EscalateDataRequestApproval: { ...call('escalate', { gate: 'data_request' }), Next: 'AwaitDataRequestApproval' },
    DataRequestDecided: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.decision.decision', StringEquals: 'approve', Next: 'PreparePlatformRequests' },
        // A renewal refused on a case holding returned data: identification goes on with what it holds.
        { Variable: '$.decision.goOn', IsPresent: true, Next: 'PreparePlatformRequests' },
      ],
      Default: 'RejectCase',
    },

    // ── After gate 1: requests, preservations and identification, side by side, until the case closes ──────
    PreparePlatformRequests: {
      ...call('prepareRequests', { 'warningSeconds.$': '$.settings.preservationRenewalWarning' }),
      Comment:
        'Preservation then disclosure request per account, under the recorded authorisation (made once: a resumed case finds them). Under an expired authorisation nothing is sent: the case goes back to gate 1 for a renewal.',
      ResultPath: '$.platform',
      Catch: [caught('AuthorisationExpired', 'AwaitDataRequestApproval')],
      Next: 'CaseTracks',
    },
    CaseTracks: {
      Type: 'Parallel',
      Comment:
        "Identification does not wait for every request: a proposal on two standing points goes to gate 2 while requests still run, and their returns keep arriving. Each preservation is warned before it lapses whatever its disclosure request does. The case's closing ends the watches.",
      Branches: [
        {
          // ── Platform requests, and each return's ISP requests as soon as it is in ─────────────────────────
          StartAt: 'PlatformReturns',
          States: {
            PlatformReturns: {
              Type: 'Map',
              Comment: "One branch per account's disclosure request, in parallel.",
              ItemsPath: '$.platform.items',
              ItemSelector: {
                'caseId.$': '$.caseId',
                'requestId.$': '$$.Map.Item.Value.requestId',
                'settings.$': '$.settings',
              },
              ItemProcessor: {
                ProcessorConfig: { Mode: 'INLINE' },
                StartAt: 'AwaitPlatformReturn',
                States: {
                  ...returnWatch('Platform', 'PlanAccountIspRequests'),
                  PlanAccountIspRequests: {
                    ...call('planIspRequests', { 'requestId.$': '$.requestId' }),
                    Comment:
                      "This account's return is in: its ISP look-ups are made now, whatever the other platforms. Under an expired authorisation nothing is sent here; PlanIspRequests, once every account is settled, takes the case back to gate 1.",
                    ResultPath: '$.isp',
                    Catch: [caught('AuthorisationExpired', 'PlatformRequestSettled')],
                    Next: 'AccountIspReturns',
                  },
                  AccountIspReturns: ispReturns('AccountIsp', 'PlatformRequestSettled'),
                  PlatformRequestSettled: { Type: 'Succeed' },
                },
              },
              MaxConcurrency: 20,
              ResultPath: null,
              Next: 'PlanIspRequests',
            },
            PlanIspRequests: {
              ...call('planIspRequests'),
              Comment:
                'Every account settled: any look-up a return still wants is made now. Under an expired authorisation nothing is sent: the case goes back to gate 1 for a renewal (unless a renewal was refused: it goes on with what it holds).',
              Catch: [caught('AuthorisationExpired', 'RenewalNeeded')],
              Next: 'RequestsSettled',
            },
            RenewalNeeded: {
              Type: 'Fail',
              Error: 'AuthorisationExpired',
              Cause: 'a look-up is wanted under an expired authorisation: CaseTracks takes the case back to gate 1',
            },
            RequestsSettled: { Type: 'Succeed' },
          },
        },
        {
          // ── ISP requests the SPoC chose from a return's IP log: chased like the others ─────────────────────
          StartAt: 'AwaitChosenIspRequests',
          States: {
            AwaitChosenIspRequests: {
              ...awaitTask('ISP_REQUESTS_CHOSEN'),
              Comment:
                'Goes on when the SPoC has chosen ISP look-ups that nothing watches yet; they are watched together.',
              ResultPath: '$.isp',
              Catch: [caught('States.Timeout', 'AwaitChosenIspRequests')],
              Next: 'CaseStillOpen',
            },
            CaseStillOpen: {
              Type: 'Choice',
              Comment: 'A closed case asks for nothing more (CaseClosed usually ends this watch first).',
              Choices: [{ Variable: '$.isp.caseEnded', IsPresent: true, Next: 'ChosenIspWatchEnded' }],
              Default: 'ChosenIspReturns',
            },
            ChosenIspReturns: ispReturns('ChosenIsp', 'AwaitChosenIspRequests'),
            ChosenIspWatchEnded: { Type: 'Succeed' },
          },
        },
        {
          // ── Preservations: the renewal warning before the 90 days lapse, whatever the disclosure request does ──
          StartAt: 'PreservationWatches',
          States: {
            PreservationWatches: {
              Type: 'Map',
              ItemsPath: '$.platform.items',
              ItemSelector: {
                'caseId.$': '$.caseId',
                'requestId.$': '$$.Map.Item.Value.preservationRequestId',
                'warnIn.$': '$$.Map.Item.Value.renewalWarningSeconds',
              },
              ItemProcessor: {
                ProcessorConfig: { Mode: 'INLINE' },
                StartAt: 'WaitForPreservationRenewal',
                States: {
                  WaitForPreservationRenewal: {
                    Type: 'Wait',
                    Comment:
                      'US providers keep records 90 days: the SPoC is warned to renew at day 75, counted from the request (a resumed case waits only what is left).',
                    SecondsPath: '$.warnIn',
                    Next: 'WarnPreservationRenewal',
                  },
                  WarnPreservationRenewal: {
                    ...call('requestOverdue', { 'requestId.$': '$.requestId', event: 'preservation_renewal_due' }),
                    End: true,
                  },
                },
              },
              MaxConcurrency: 20,
              ResultPath: null,
              End: true,
            },
          },
        },
        {
          // ── Identification: the investigator proposes the suspect, gate 2 approves; then the rest of the case ──
          StartAt: 'IdentificationResume',
          States: {
            IdentificationResume: {
              Type: 'Choice',
              Choices: [
                resumingAt('IDENTIFICATION', 'AwaitIdentificationProposal'),
                resumingAt('IDENTIFICATION_APPROVAL', 'AwaitIdentificationApproval'),
                ...AFTER_IDENTIFICATION.map((stage) => resumingAt(stage, 'AfterIdentification')),
                // A renewal refused: identification goes on with what the case holds.
                { Variable: '$.decision.goOn', IsPresent: true, Next: 'AwaitIdentificationProposal' },
              ],
              Default: 'AwaitIdentificationReady',
            },
            AwaitIdentificationReady: {
              ...awaitTask('IDENTIFICATION_READY'),
              Comment:
                'Goes on as soon as a suspect is proposed (two points stand, while requests still run), or once every request has settled with nothing left to ask; or to the closure gate.',
              ResultPath: '$.identificationWait',
              Catch: [caught('States.Timeout', 'AwaitIdentificationReady')],
              Next: 'IdentificationReadyOrClosure',
            },
            IdentificationReadyOrClosure: orClosure(
              '$.identificationWait',
              'PLATFORM_REQUESTS',
              'AwaitIdentificationProposal',
            ),
            ClosureProposedAtPlatformRequests: closureFrom('PLATFORM_REQUESTS'),
            AwaitIdentificationProposal: {
              ...awaitTask('IDENTIFICATION_PROPOSAL'),
              Comment:
                'The investigator proposes the suspect on at least two independent points, or proposes to close the case.',
              ResultPath: '$.identificationWait',
              Catch: [caught('States.Timeout', 'EscalateIdentificationProposal')],
              Next: 'IdentificationProposedOrClosure',
            },
            IdentificationProposedOrClosure: orClosure(
              '$.identificationWait',
              'IDENTIFICATION',
              'AwaitIdentificationApproval',
            ),
            ClosureProposedAtIdentification: closureFrom('IDENTIFICATION'),
            EscalateIdentificationProposal: {
              ...call('escalate', { task: 'IDENTIFICATION_PROPOSAL' }),
              Next: 'AwaitIdentificationProposal',
            },
            AwaitIdentificationApproval: {
              ...waitFor('openApproval', '$.settings.gates.identification', { gate: 'identification' }),
              Comment: 'Gate: identification. A supervisor decides; past due it escalates one rank up.',
              ResultPath: '$.decision',
              Catch: [caught('States.Timeout', 'EscalateIdentificationApproval')],
              Next: 'IdentificationDecided',
            },
            EscalateIdentificationApproval: {
              ...call('escalate', { gate: 'identification' }),
              Next: 'AwaitIdentificationApproval',
            },
            IdentificationDecided: {
              Type: 'Choice',
              Choices: [
                // Withdrawn for a closure proposed meanwhile (no decision): the closure gate decides first.
                flagSet('$.decision.closureProposed', 'ClosureProposedAtIdentificationApproval'),
                { Variable: '$.decision.decision', StringEquals: 'approve', Next: 'AfterIdentification' },
              ],
              Default: 'AwaitIdentificationProposal',
            },
            ClosureProposedAtIdentificationApproval: closureFrom('IDENTIFICATION_APPROVAL'),

            // ── Closing without a suspect: proposed before identification is approved, decided at its gate ──────
            // Identification's waits (and its gate's pending approval, withdrawn) give way to this gate: the
            // proposal is recorded on the case and each wait is answered with it (domain/closureProposal.ts
            // closureAnswers), as a victim's choice answers the right-to-know waits, so that a fresh execution
            // resuming at the case's stage finds the same way here. The branch waits here alone: nothing of
            // identification can be decided meanwhile, and a rejection takes it back to where it was
            // ($.resumeAt, set as it left). Approved, the case closes: CaseClosed ends the request watches too.
            AwaitClosureApproval: {
              ...waitFor('openApproval', '$.settings.gates.closure', { gate: 'closure' }),
              Comment: 'Gate: closure. A sergeant or above decides; past due it escalates one rank up.',
              ResultPath: '$.closureDecision',
              Catch: [caught('States.Timeout', 'EscalateClosureApproval')],
              Next: 'ClosureDecided',
            },
            EscalateClosureApproval: { ...call('escalate', { gate: 'closure' }), Next: 'AwaitClosureApproval' },
            ClosureDecided: {
              Type: 'Choice',
              Choices: [
                { Variable: '$.closureDecision.decision', StringEquals: 'approve', Next: 'CloseWithoutSuspect' },
              ],
              Default: 'IdentificationResume',
            },
            CloseWithoutSuspect: {
              ...call('closeWithoutSuspect'),
              Comment:
                'The closure recorded, requests still outstanding abandoned, and the victim told by a safe channel that the account could not be traced (unless they declined): each once.',
              ResultPath: '$.notice',
              Retry: [notifyRetrier()],
              Catch: [caught('NotifyTransientError', 'AwaitClosureInPerson')],
              Next: 'VictimToldOfClosure',
            },
            VictimToldOfClosure: {
              Type: 'Choice',
              Choices: [
                { Variable: '$.notice.notice', StringEquals: 'verify', Next: 'AwaitClosureContactVerification' },
                { Variable: '$.notice.notice', StringEquals: 'in_person', Next: 'AwaitClosureInPerson' },
              ],
              Default: 'CloseCase',
            },
            AwaitClosureContactVerification: {
              ...awaitTask('CONTACT_VERIFICATION'),
              Comment:
                'A channel the victim chose is unverified, or its verification too old: asked for again before anything goes.',
              Catch: [caught('States.Timeout', 'EscalateClosureContactVerification')],
              Next: 'CloseWithoutSuspect',
            },
            EscalateClosureContactVerification: {
              ...call('escalate', { task: 'CONTACT_VERIFICATION' }),
              Next: 'AwaitClosureContactVerification',
            },
            AwaitClosureInPerson: {
              ...awaitTask('CLOSURE_IN_PERSON'),
              Comment:
                'No safe written channel is left (or Notify refused): the investigator tells the victim in person and records it.',
              Catch: [caught('States.Timeout', 'EscalateClosureInPerson')],
              Next: 'CloseCase',
            },
            EscalateClosureInPerson: {
              ...call('escalate', { task: 'CLOSURE_IN_PERSON' }),
              Next: 'AwaitClosureInPerson',
            },

            // ── After identification: the arrest track and the right-to-know decision, side by side ─────────────
            AfterIdentification: {
              Type: 'Parallel',
              Comment: 'The arrest track runs beside the right-to-know decision: disclosure may come before an arrest.',
              Branches: [
                {
                  StartAt: 'RaiseArrestTasking',
                  States: {
                    RaiseArrestTasking: {
                      ...waitFor('raiseArrestTasking', '$.settings.tasks.arrestOutcome', TRACK_CLOCK),
                      Comment:
                        "Arrest tasking out to force systems; once per case. Then the track's first plan and its wait, as PlanArrestTrack.",
                      ResultPath: '$.track',
                      Catch: [caught('States.Timeout', 'EscalateArrestTrack')],
                      Next: 'ArrestTrackPlanned',
                    },
                    ArrestTrackPlanned: {
                      Type: 'Choice',
                      Comment:
                        'A plan came back (it says whether the track is done), or the wait was answered: plan again, waiting no longer than the wait had left.',
                      Choices: [
                        { Variable: '$.track.done', IsPresent: true, Next: 'ArrestTrackGoesOn' },
                        { Variable: '$.track.waitSeconds', IsPresent: true, Next: 'PlanArrestTrack' },
                      ],
                      Default: 'ReplanArrestTrack',
                    },
                    ReplanArrestTrack: {
                      Type: 'Pass',
                      Comment:
                        "Nothing says how long the track may wait: its next plan waits at most the track's longest wait.",
                      Parameters: { 'waitSeconds.$': '$.settings.tasks.arrestOutcome' },
                      ResultPath: '$.track',
                      Next: 'PlanArrestTrack',
                    },
                    // The track's loop: plan and wait in one step when nothing falls due sooner; else update the victim, wait, or finish.
                    PlanArrestTrack: {
                      ...waitFor('planArrestTrack', '$.track.waitSeconds', TRACK_CLOCK),
                      Comment:
                        "Each new outcome opens what it calls for (victim update, SPO consideration, prison contact block); the track learns how long it may wait and whether it is done. When it is to wait at least as long as this state waits, the wait opens here, as AwaitArrestTrack's; any other plan comes back at once.",
                      ResultPath: '$.track',
                      Catch: [caught('States.Timeout', 'EscalateArrestTrack')],
                      Next: 'ArrestTrackPlanned',
                    },
                    ArrestTrackGoesOn: {
                      Type: 'Choice',
                      Choices: [
                        flagSet('$.track.handOver', 'ContinueTrackInFreshExecution'),
                        { Variable: '$.track.heldUntil', IsPresent: true, Next: 'WaitForSafeUpdateTime' },
                        { Variable: '$.track.victimUpdates', NumericGreaterThan: 0, Next: 'UpdateVictimOnArrest' },
                        { Variable: '$.track.done', BooleanEquals: true, Next: 'ArrestTrackDone' },
                      ],
                      Default: 'AwaitArrestTrack',
                    },
                    UpdateVictimOnArrest: {
                      ...waitFor('notifyVictim', '$.track.waitSeconds', { purpose: 'victim_update', ...TRACK_CLOCK }),
                      Comment:
                        "Victims' Code: the victim is told of each arrest-track outcome by SMS, to a phone verified safe, in their safe times (an update due outside them is held: `heldUntil`); what cannot go stays owed for the investigator. Then the track is planned again and waits, as PlanArrestTrack.",
                      ResultPath: '$.track',
                      Retry: [notifyRetrier()],
                      Catch: [
                        caught('NotifyTransientError', 'AwaitArrestTrack'),
                        caught('States.Timeout', 'EscalateArrestTrack'),
                      ],
                      Next: 'ArrestTrackPlanned',
                    },
                    WaitForSafeUpdateTime: {
                      Type: 'Wait',
                      Comment:
                        "An update held for the victim's next safe window: the time was recorded when it was held, so a resumed case waits for the same moment.",
                      TimestampPath: '$.track.heldUntil',
                      Next: 'UpdateVictimOnArrest',
                    },
                    AwaitArrestTrack: {
                      ...awaitTask('ARREST_TRACK'),
                      Comment:
                        'Waits until something is recorded (an outcome, an update, an order, a confirmation) or the next thing owed falls due; answered, with the time it had left.',
                      ResultPath: '$.track',
                      Catch: [caught('States.Timeout', 'EscalateArrestTrack')],
                      Next: 'ArrestTrackPlanned',
                    },
                    EscalateArrestTrack: {
                      ...call('escalate', { task: 'ARREST_TRACK' }),
                      Comment: 'What has fallen due is marked overdue, once each, and written to the trail.',
                      Next: 'ReplanArrestTrack',
                    },
                    ContinueTrackInFreshExecution: {
                      ...call('continueExecution', { 'executionId.$': '$$.Execution.Id' }),
                      Comment:
                        "A Standard execution lives at most a year: a track whose next wait would end past its execution's handover point starts a fresh execution at the case's stage and stops this one; the track goes on there from its records.",
                      Next: 'TrackContinuedInFreshExecution',
                    },
                    // A Fail is the only way one branch ends the others: CaseTracks catches it, and this execution is done.
                    TrackContinuedInFreshExecution: {
                      Type: 'Fail',
                      Error: 'ContinuedInFreshExecution',
                      Cause:
                        'the case goes on in a fresh execution: this one ends, whatever its other branches wait on',
                    },
                    ArrestTrackDone: { Type: 'Succeed' },
                  },
                },
                {
                  StartAt: 'RightToKnowResume',
                  States: {
                    RightToKnowResume: {
                      Type: 'Choice',
                      Choices: [
                        resumingAt('DISCLOSURE_APPROVAL', 'AwaitDisclosureApproval'),
                        resumingAt('DELAY_APPROVAL', 'AwaitDelayApproval'),
                        resumingAt('DELAYED', 'ScheduleDelayReview'),
                        resumingAt('DISCLOSURE_DELIVERY', 'SendDisclosure'),
                        resumingAt('AFTER_DISCLOSURE', 'RightToKnowDone'),
                        resumingAt('DISCLOSURE_DECLINED', 'AwaitVictimChoice'),
                      ],
                      Default: 'AwaitDisclosureProposal',
                    },

                    // Disclose or delay: the investigator proposes, gate 3 (disclosure) or gate 4 (delay) approves.
                    AwaitDisclosureProposal: {
                      ...awaitTask('DISCLOSURE_PROPOSAL'),
                      Comment:
                        'Presumption: disclose. The investigator proposes disclose or delay within 24 hours of identification approval.',
                      ResultPath: '$.proposal',
                      Catch: [caught('States.Timeout', 'EscalateDisclosureProposal')],
                      Next: 'DiscloseOrDelay',
                    },
                    EscalateDisclosureProposal: {
                      ...call('escalate', { task: 'DISCLOSURE_PROPOSAL' }),
                      Next: 'AwaitDisclosureProposal',
                    },
                    DiscloseOrDelay: {
                      Type: 'Choice',
                      Choices: [
                        { Variable: '$.proposal.action', StringEquals: 'delay', Next: 'AwaitDelayApproval' },
                        { Variable: '$.proposal.action', StringEquals: 'declined', Next: 'EnterDisclosureDeclined' },
                      ],
                      Default: 'AwaitDisclosureApproval',
                    },
                    AwaitDisclosureApproval: {
                      ...waitFor('openApproval', '$.settings.gates.disclosure', { gate: 'disclosure' }),
                      Comment: 'Gate: disclosure. A supervisor decides; past due it escalates one rank up.',
                      ResultPath: '$.decision',
                      Catch: [caught('States.Timeout', 'EscalateDisclosureApproval')],
                      Next: 'DisclosureDecided',
                    },
                    EscalateDisclosureApproval: {
                      ...call('escalate', { gate: 'disclosure' }),
                      Next: 'AwaitDisclosureApproval',
                    },
                    DisclosureDecided: {
                      Type: 'Choice',
                      Choices: [
                        // Withdrawn as the victim declined (no decision): back to the decision, which the decline answers.
                        flagSet('$.decision.withdrawn', 'AwaitDisclosureProposal'),
                        { Variable: '$.decision.decision', StringEquals: 'approve', Next: 'SendDisclosure' },
                      ],
                      Default: 'AwaitDisclosureProposal',
                    },
                    AwaitDelayApproval: {
                      ...waitFor('openApproval', '$.settings.gates.delay', { gate: 'delay' }),
                      Comment: 'Gate: delay. A supervisor decides; past due it escalates one rank up.',
                      ResultPath: '$.decision',
                      Catch: [caught('States.Timeout', 'EscalateDelayApproval')],
                      Next: 'DelayDecided',
                    },
                    EscalateDelayApproval: { ...call('escalate', { gate: 'delay' }), Next: 'AwaitDelayApproval' },
                    DelayDecided: {
                      Type: 'Choice',
                      Choices: [
                        flagSet('$.decision.withdrawn', 'AwaitDisclosureProposal'),
                        { Variable: '$.decision.decision', StringEquals: 'approve', Next: 'ScheduleDelayReview' },
                      ],
                      Default: 'AwaitDisclosureProposal',
                    },

                    // A delay: wait for its review date, then decide again; a proposal to disclose ends it early.
                    ScheduleDelayReview: {
                      ...call('scheduleDelayReview', {
                        'daySeconds.$': '$.settings.daySeconds',
                        'executionStartTime.$': '$$.Execution.StartTime',
                        'handoverSeconds.$': '$.settings.executionHandover',
                      }),
                      Comment: 'A delay is never permanent: it ends at its review date, at most 28 days away.',
                      ResultPath: '$.delay',
                      Next: 'DelayOutlivesExecution',
                    },
                    DelayOutlivesExecution: {
                      Type: 'Choice',
                      Comment:
                        'A Standard execution lives at most a year: a review beyond its handover point continues in a fresh execution.',
                      Choices: [
                        {
                          Variable: '$.delay.continueInFreshExecution',
                          BooleanEquals: true,
                          Next: 'ContinueInFreshExecution',
                        },
                      ],
                      Default: 'AwaitDelayReview',
                    },
                    ContinueInFreshExecution: {
                      ...call('continueExecution', { resumeAt: 'DELAYED', 'executionId.$': '$$.Execution.Id' }),
                      Comment: 'Starts a fresh execution at DELAYED and stops this one: the case keeps its place.',
                      Next: 'ContinuedInFreshExecution',
                    },
                    ContinuedInFreshExecution: { Type: 'Succeed' },
                    AwaitDelayReview: {
                      ...awaitTask('DELAY_REVIEW'),
                      Comment:
                        'Waits until the review date, unless the investigator proposes to disclose first: that proposal ends the delay at once and goes to the disclosure gate.',
                      ResultPath: '$.proposal',
                      Catch: [caught('States.Timeout', 'DelayReviewDue')],
                      Next: 'DiscloseOrDelay',
                    },
                    DelayReviewDue: {
                      ...call('escalate', { task: 'DELAY_REVIEW' }),
                      Comment: 'The review date has come: the delay ends and the decision comes round again.',
                      Next: 'AwaitDisclosureProposal',
                    },

                    // Delivery: only to contact details verified safe; by Notify, or by hand.
                    SendDisclosure: {
                      ...call('sendDisclosure', { 'daySeconds.$': '$.settings.daySeconds' }),
                      Comment:
                        "Delivery starts; nothing is sent to contact details not verified safe. Then the letter and the SMS, in the victim's safe times, each sent exactly once; Notify's transient failures retried with backoff, then handed to the investigator. Sent, with no handover in person, the case is after disclosure.",
                      ResultPath: '$.delivery',
                      Retry: [notifyRetrier()],
                      Catch: [caught('NotifyTransientError', 'AwaitDeliveryProblem')],
                      Next: 'HowDelivered',
                    },
                    HowDelivered: {
                      Type: 'Choice',
                      Choices: [
                        { Variable: '$.delivery.declined', BooleanEquals: true, Next: 'EnterDisclosureDeclined' },
                        { Variable: '$.delivery.verified', BooleanEquals: false, Next: 'AwaitContactVerification' },
                        { Variable: '$.delivery.heldUntil', IsPresent: true, Next: 'WaitForSafeTime' },
                        { Variable: '$.delivery.failed', BooleanEquals: true, Next: 'AwaitDeliveryProblem' },
                        { Variable: '$.delivery.handover', BooleanEquals: true, Next: 'AwaitHandover' },
                        { Variable: '$.delivery.inPerson', BooleanEquals: true, Next: 'AwaitInPersonDisclosure' },
                      ],
                      // Sent by Notify: sendDisclosure has entered AFTER_DISCLOSURE itself.
                      Default: 'RightToKnowDone',
                    },
                    WaitForSafeTime: {
                      Type: 'Wait',
                      Comment:
                        "Outside the victim's safe times the letter and SMS wait for the next safe window (the time recorded when they were held, so a resumed case waits for the same moment); then delivery goes on.",
                      TimestampPath: '$.delivery.heldUntil',
                      Next: 'SendDisclosure',
                    },
                    AwaitContactVerification: {
                      ...awaitTask('CONTACT_VERIFICATION'),
                      Catch: [caught('States.Timeout', 'EscalateContactVerification')],
                      Next: 'SendDisclosure',
                    },
                    EscalateContactVerification: {
                      ...call('escalate', { task: 'CONTACT_VERIFICATION' }),
                      Next: 'AwaitContactVerification',
                    },
                    AwaitHandover: {
                      ...awaitTask('HANDOVER'),
                      ResultPath: '$.handover',
                      Catch: [caught('States.Timeout', 'EscalateHandover')],
                      Next: 'HandedOverOrDeclined',
                    },
                    EscalateHandover: { ...call('escalate', { task: 'HANDOVER' }), Next: 'AwaitHandover' },
                    AwaitInPersonDisclosure: {
                      ...awaitTask('IN_PERSON_DISCLOSURE'),
                      Comment:
                        'No written channel is left that is safe (each unsafe, or absent): the investigator tells the victim in person and records it.',
                      ResultPath: '$.handover',
                      Catch: [caught('States.Timeout', 'EscalateInPersonDisclosure')],
                      Next: 'HandedOverOrDeclined',
                    },
                    EscalateInPersonDisclosure: {
                      ...call('escalate', { task: 'IN_PERSON_DISCLOSURE' }),
                      Next: 'AwaitInPersonDisclosure',
                    },
                    AwaitDeliveryProblem: {
                      ...awaitTask('DELIVERY_FAILED'),
                      Comment:
                        'Notify refused the send for good: the investigator delivers the disclosure in person and records it.',
                      ResultPath: '$.handover',
                      Catch: [caught('States.Timeout', 'EscalateDeliveryProblem')],
                      Next: 'HandedOverOrDeclined',
                    },
                    EscalateDeliveryProblem: {
                      ...call('escalate', { task: 'DELIVERY_FAILED' }),
                      Next: 'AwaitDeliveryProblem',
                    },
                    HandedOverOrDeclined: {
                      Type: 'Choice',
                      Comment:
                        'A handover waited for ends with the letter handed over, or with the victim declining to be told.',
                      Choices: [flagSet('$.handover.declined', 'EnterDisclosureDeclined')],
                      Default: 'EnterAfterDisclosure',
                    },
                    EnterAfterDisclosure: {
                      ...call('setStage', { stage: 'AFTER_DISCLOSURE' }),
                      Next: 'RightToKnowDone',
                    },

                    // The victim declined to be told: nothing naming anyone goes to them. They may change their mind until
                    // the case closes; the branch ends once the arrest track has, so that the case can close.
                    EnterDisclosureDeclined: {
                      ...call('setStage', { stage: 'DISCLOSURE_DECLINED' }),
                      Next: 'AwaitVictimChoice',
                    },
                    AwaitVictimChoice: {
                      ...awaitTask('VICTIM_CHOICE'),
                      Comment:
                        'Waits for the victim to change their mind (back to the decision) or for the arrest track to end (the branch ends).',
                      ResultPath: '$.victimChoice',
                      Catch: [caught('States.Timeout', 'AwaitVictimChoice')],
                      Next: 'VictimChoiceMade',
                    },
                    VictimChoiceMade: {
                      Type: 'Choice',
                      Choices: [
                        {
                          Variable: '$.victimChoice.choice',
                          StringEquals: 'wants_to_know',
                          Next: 'AwaitDisclosureProposal',
                        },
                      ],
                      Default: 'RightToKnowDone',
                    },
                    RightToKnowDone: { Type: 'Succeed' },
                  },
                },
              ],
              ResultPath: null,
              Next: 'AwaitClosingDecision',
            },

            // ── The end: closed on the investigator's decision ──────────────────────────────────────────────
            AwaitClosingDecision: {
              ...awaitTask('CASE_CLOSURE'),
              Comment:
                "Both tracks are done: the case closes on the investigator's decision, with its reason, once no task is open.",
              ResultPath: '$.closing',
              Catch: [caught('States.Timeout', 'EscalateClosingDecision')],
              Next: 'ClosingOrReopened',
            },
            ClosingOrReopened: {
              Type: 'Choice',
              Comment:
                'A victim who declined and has changed their mind before the case closed: the right-to-know branch runs again from the decision.',
              Choices: [flagSet('$.closing.reopen', 'ReopenRightToKnow')],
              Default: 'CloseCase',
            },
            ReopenRightToKnow: {
              Type: 'Pass',
              Result: 'DISCLOSURE_DECISION',
              ResultPath: '$.resumeAt',
              Next: 'AfterIdentification',
            },
            EscalateClosingDecision: { ...call('escalate', { task: 'CASE_CLOSURE' }), Next: 'AwaitClosingDecision' },
            CloseCase: { ...call('setStage', { stage: 'CLOSED' }), Next: 'CaseClosed' },
            // A Fail is the only way one branch of a Parallel ends the others: CaseTracks catches it.
            CaseClosed: {
              Type: 'Fail',
              Error: 'CaseClosed',
              Cause: 'the case is closed: the watches beside it (preservations, chosen ISP requests) end with it',
            },
          },
        },
      ],
      ResultPath: null,
      Catch: [
        caught('AuthorisationExpired', 'AwaitDataRequestApproval'),
        caught('CaseClosed', 'Closed'),
        caught('ContinuedInFreshExecution', 'HandedOverToFreshExecution'),
      ],
      Next: 'Closed',
    },
    Closed: { Type: 'Succeed' },
    HandedOverToFreshExecution: { Type: 'Succeed' },

    // ── Rejected at gate 1 ────────────────────────────────────────────────────────────────────────────────
    RejectCase: {
      ...call('setStage', { stage: 'REJECTED' }),
      Comment: 'A data request refused at gate 1 ends the case.',
      Next: 'Rejected',
    },
    Rejected: { Type: 'Succeed' },
  },
};

/**
 * The definition as deployed: the flow above with every wait on a person's twin for a resumption
 * (statemachines/resumedWaits.ts), then every task's retries, last catch and fault wait.
 */
export const disclosureDefinition = (): Definition => withFaultHandling(withResumedWaits(flow));

// ── The vocabulary the flow is written in ──────────────────────────────────────────────────────────────

/** A duration (seconds) from the policy module: a placeholder bound at deployment, read as a number. */
function setting(name: string): string {
  return `States.StringToJson('\${${name}}')`;
}

/** A workflow function invoked with the case id and `params`; its result is dropped unless ResultPath says where. */
function call(name: WorkflowFunction, params: Record<string, unknown> = {}): State {
  return {
    Type: 'Task',
    Resource: functionArn(name),
    Parameters: { 'caseId.$': '$.caseId', ...params },
    ResultPath: null,
  };
}

/**
 * A wait on people: `name` records the task or approval with this state's token (never logged, never
 * returned), and the state waits until it is answered or `due` (a path to seconds) passes. The function is
 * told the same timeout the engine enforces, so the due time it shows is the real one.
 */
function waitFor(name: WorkflowFunction, due: string, payload: Record<string, unknown>): State {
  return {
    Type: 'Task',
    Resource: TOKEN_WAIT,
    Parameters: {
      FunctionName: functionArn(name),
      Payload: {
        'caseId.$': '$.caseId',
        'taskToken.$': '$$.Task.Token',
        'timeoutSeconds.$': due,
        'execution.$': '$$.Execution.Name',
        ...payload,
      },
    },
    TimeoutSecondsPath: due,
    ResultPath: null,
  };
}

/**
 * The wait on a person's task (functions/domain/tasks.ts): `awaitTask` records it with this state's token, due
 * when the registry says (a policy clock read from the settings, or a path the workflow worked out) unless `due`
 * says otherwise.
 */
function awaitTask(task: TaskName, payload: Record<string, unknown> = {}, due = duePath(task)): State {
  return waitFor('awaitTask', due, { task, ...payload });
}

function duePath(task: TaskName): string {
  const due: TaskDue = TASK_DUE[task];
  return 'clock' in due ? `$.settings.tasks.${due.clock}` : due.path;
}

/**
 * The wait on one request's return (`$.requestId`): chased when late, then given up, so a case never waits
 * forever. `subject` names the states (`Await<subject>Return`, ...): state names are unique in a definition.
 */
function returnWatch(subject: string, next: string): Record<string, State> {
  const awaitReturn = (due?: string) => awaitTask('REQUEST_RETURN', { 'requestId.$': '$.requestId' }, due);
  return {
    [`Await${subject}Return`]: {
      ...awaitReturn(),
      Comment: 'The SPoC uploads the return; chased when it is late.',
      Catch: [caught('States.Timeout', `Chase${subject}Return`)],
      Next: next,
    },
    [`Chase${subject}Return`]: {
      ...call('requestOverdue', { 'requestId.$': '$.requestId', event: 'chased' }),
      Next: `Await${subject}ReturnAfterChase`,
    },
    [`Await${subject}ReturnAfterChase`]: {
      ...awaitReturn('$.settings.returns.afterChase'),
      Comment: 'Still nothing: the request is given up and its branch ends with that outcome recorded.',
      Catch: [caught('States.Timeout', `Abandon${subject}Request`)],
      Next: next,
    },
    [`Abandon${subject}Request`]: {
      ...call('requestOverdue', { 'requestId.$': '$.requestId', event: 'abandoned' }),
      Next: next,
    },
  };
}

/** The ISP requests planned just before (`$.isp.requestIds`), each watched to its return in parallel. */
function ispReturns(subject: string, next: string): State {
  return {
    Type: 'Map',
    ItemsPath: '$.isp.requestIds',
    ItemSelector: { 'caseId.$': '$.caseId', 'requestId.$': '$$.Map.Item.Value', 'settings.$': '$.settings' },
    ItemProcessor: {
      ProcessorConfig: { Mode: 'INLINE' },
      StartAt: `Await${subject}Return`,
      States: { ...returnWatch(subject, `${subject}ReturnSettled`), [`${subject}ReturnSettled`]: { Type: 'Succeed' } },
    },
    MaxConcurrency: 20,
    ResultPath: null,
    Next: next,
  };
}

/**
 * An error with a path of its own (a deadline passed, a domain error): on to `next`, the state's input unchanged.
 * A wait's deadline is its timeout, or, for a wait resumed after its first due time passed (a restart), WaitDue
 * from the function that opened it again (domain/clock.ts resumedDueAt).
 */
function caught(error: string, next: string): Catcher {
  return { ErrorEquals: error === 'States.Timeout' ? [error, WAIT_DUE] : [error], ResultPath: null, Next: next };
}

/** Tried before the usual retriers: Notify's own rate limits and outages pass more slowly (up to an hour apart). */
function notifyRetrier(): Retrier {
  return {
    ErrorEquals: ['NotifyTransientError'],
    IntervalSeconds: 30,
    MaxAttempts: 8,
    BackoffRate: 2,
    MaxDelaySeconds: 3600,
    JitterStrategy: 'FULL',
  };
}

function resumeAt(stage: string, next: string) {
  return { Variable: '$.resumeAt', StringEquals: stage, Next: next };
}

/** A flag a wait may answer with (absent otherwise): present and true. */
function flagSet(variable: string, next: string) {
  return {
    And: [
      { Variable: variable, IsPresent: true },
      { Variable: variable, BooleanEquals: true },
    ],
    Next: next,
  };
}

/**
 * After one of identification's waits (its answer at `answer`): to the closure gate when a closure was proposed,
 * noting where to come back to; else on to `next`.
 */
function orClosure(answer: string, stage: string, next: string): State {
  return {
    Type: 'Choice',
    Choices: [flagSet(`${answer}.closureProposed`, `ClosureProposedAt${pascal(stage)}`)],
    Default: next,
  };
}

/** Leaving identification for the closure gate: a rejection resumes the branch at `stage` (IdentificationResume). */
function closureFrom(stage: string): State {
  return { Type: 'Pass', Result: stage, ResultPath: '$.resumeAt', Next: 'AwaitClosureApproval' };
}

function pascal(stage: string): string {
  return stage
    .toLowerCase()
    .split('_')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** Inside the Parallel, where `resumeAt` may be absent: present and equal. */
function resumingAt(stage: string, next: string) {
  return {
    And: [
      { Variable: '$.resumeAt', IsPresent: true },
      { Variable: '$.resumeAt', StringEquals: stage },
    ],
    Next: next,
  };
}
