import { useState } from 'preact/hooks';
import { post, type CaseView } from '../api.js';
import {
  Button,
  Checkboxes,
  ErrorSummary,
  formValues,
  isoFromLocal,
  localNow,
  Radios,
  Textarea,
  TextInput,
  useSubmit,
} from '../components/forms.js';
import {
  ARREST_LABELS,
  CONSENT_HOW_LABELS,
  label,
  SHAREABLE_LABELS,
  SPO_DECISION_LABELS,
  SPO_KIND_LABELS,
  SPO_POWER_LABELS,
  SUPPORT_SERVICE_LABELS,
  VICTIM_UPDATE_HOW_LABELS,
  when,
} from '../format.js';
import { ActionCard, type Done, WhenInput } from './CaseActions.js';

/**
 * The arrest track's forms (docs/process.md, "After identification") and the referral: each posts to its route
 * with the route's fields, names the outcome its task follows, and shows the problem details as the other forms do.
 */

/** The oldest open task of these kinds, with the outcome (by index into the case's arrests) it follows. */
export function trackTask(kase: CaseView, ...tasks: string[]) {
  const t = kase.openTasks.find((o) => tasks.includes(o.task));
  if (!t) return undefined;
  const outcome = t.arrestIndex === undefined ? undefined : kase.arrests[t.arrestIndex];
  return {
    task: t.task,
    arrestIndex: t.arrestIndex,
    outcome: outcome && `${label(ARREST_LABELS, outcome.outcome).toLowerCase()} (${when(outcome.at)})`,
  };
}

const number = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : v);

/** Victims' Code: the investigator told the victim of an outcome themselves (no update SMS could go, or it was better said). */
export function RecordVictimUpdate({ kase, done }: { kase: CaseView; done: Done }) {
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const owed = trackTask(kase, 'VICTIM_UPDATE');
  const { errors, detail, busy, submit } = useSubmit(
    () => {
      const v = formValues(form!);
      return post(`/cases/${kase.caseId}/victim-update`, {
        arrestIndex: owed?.arrestIndex,
        how: v.get('how')?.[0],
        at: isoFromLocal(v.get('at')?.[0]),
        note: v.get('note')?.[0],
      });
    },
    () => done('Victim update recorded'),
  );
  return (
    <ActionCard title="Update the victim" id="action-victim-update">
      <p class="govuk-body">
        The victim is told of each outcome within 5 working days (1 with enhanced rights)
        {owed?.outcome ? `: this one is ${owed.outcome}` : ''}. Record how you told them.
      </p>
      <ErrorSummary errors={errors} detail={detail} />
      <form ref={setForm} onSubmit={submit} novalidate>
        <Radios
          name="how"
          label="How the victim was told"
          errors={errors}
          options={Object.entries(VICTIM_UPDATE_HOW_LABELS)}
        />
        <WhenInput label="When" errors={errors} />
        <Textarea name="note" label="Note" rows={2} errors={errors} />
        <Button busy={busy}>Record the update</Button>
      </form>
    </ActionCard>
  );
}

/**
 * A Stalking Protection Order considered on an outcome, or the court's answer to one sought: the decision and its
 * reason, and for an order made its conditions (one a line), duration and dates.
 */
export function ConsiderProtectionOrder({ kase, done }: { kase: CaseView; done: Done }) {
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const owed = trackTask(kase, 'SPO_CONSIDERATION', 'SPO_APPLICATION');
  const answering = owed?.task === 'SPO_APPLICATION';
  const [decision, setDecision] = useState(answering ? 'made' : 'not_sought');
  const [considered, setConsidered] = useState('full');
  const [duration, setDuration] = useState('time_limited');
  const { errors, detail, busy, submit } = useSubmit(
    () => {
      const v = formValues(form!);
      const full = considered === 'full';
      return post(`/cases/${kase.caseId}/protection-order`, {
        arrestIndex: owed?.arrestIndex,
        considered,
        power: v.get('power')?.[0],
        decision,
        reason: v.get('reason')?.[0],
        ...(decision === 'made'
          ? {
              order: {
                conditions: (v.get('order.conditions')?.[0] ?? '')
                  .split('\n')
                  .map((c) => c.trim())
                  .filter(Boolean),
                ...(full
                  ? {
                      duration:
                        duration === 'time_limited'
                          ? { kind: 'time_limited', years: number(v.get('order.duration.years')?.[0]) }
                          : { kind: 'until_further_order' },
                    }
                  : {}),
                madeAt: isoFromLocal(v.get('order.madeAt')?.[0]),
                servedAt: isoFromLocal(v.get('order.servedAt')?.[0]),
              },
            }
          : {}),
      });
    },
    () => done('Stalking Protection Order decision recorded'),
  );
  return (
    <ActionCard
      title={answering ? "Record the court's answer on the order" : 'Consider a Stalking Protection Order'}
      id="action-protection-order"
    >
      <p class="govuk-body">
        {answering ? 'An order was sought' : 'An order is considered'}
        {owed?.outcome ? ` on the outcome ${owed.outcome}` : ''}. A full order lasts at least 2 years, or until a
        further order.
      </p>
      <ErrorSummary errors={errors} detail={detail} />
      <form ref={setForm} onSubmit={submit} novalidate>
        <Radios
          name="considered"
          label="Order"
          inline
          errors={errors}
          value={considered}
          onChange={setConsidered}
          options={Object.entries(SPO_KIND_LABELS)}
        />
        <Radios
          name="power"
          label="How it is sought"
          errors={errors}
          defaultValue="application"
          options={Object.entries(SPO_POWER_LABELS)}
        />
        <Radios
          name="decision"
          label="Decision"
          errors={errors}
          value={decision}
          onChange={setDecision}
          options={Object.entries(SPO_DECISION_LABELS)}
        />
        {decision === 'made' && (
          <div class="govuk-inset-text">
            <Textarea name="order.conditions" label="Conditions (one a line)" rows={3} errors={errors} />
            {considered === 'full' && (
              <>
                <Radios
                  name="order.duration"
                  label="Duration"
                  inline
                  errors={errors}
                  value={duration}
                  onChange={setDuration}
                  options={[
                    ['time_limited', 'A fixed number of years'],
                    ['until_further_order', 'Until a further order'],
                  ]}
                />
                {duration === 'time_limited' && (
                  <TextInput
                    name="order.duration.years"
                    label="Years (at least 2)"
                    width="2"
                    inputMode="numeric"
                    errors={errors}
                  />
                )}
              </>
            )}
            <WhenInput name="order.madeAt" label="When the order was made" errors={errors} />
            <WhenInput name="order.servedAt" label="When it was served on the subject" errors={errors} />
          </div>
        )}
        <Textarea name="reason" label="Reason" rows={3} errors={errors} />
        <Button busy={busy}>Record the order decision</Button>
      </form>
    </ActionCard>
  );
}

/** The subject of a full order notified their names and address within 3 days of service, or did not (then a follow-up stays open until they do). */
export function RecordSpoNotification({ kase, done }: { kase: CaseView; done: Done }) {
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const owed = trackTask(kase, 'SPO_NOTIFICATION', 'SPO_NOTIFICATION_MISSED');
  const missed = owed?.task === 'SPO_NOTIFICATION_MISSED';
  const { errors, detail, busy, submit } = useSubmit(
    () => {
      const v = formValues(form!);
      const notified = missed ? 'yes' : v.get('notified')?.[0];
      return post(`/cases/${kase.caseId}/protection-order/notification`, {
        arrestIndex: owed?.arrestIndex,
        notified: notified === undefined ? undefined : notified === 'yes',
        at: isoFromLocal(v.get('at')?.[0]),
        note: v.get('note')?.[0],
      });
    },
    () => done("The order subject's notification recorded"),
  );
  return (
    <ActionCard
      title={missed ? 'Follow up: the order subject did not notify' : "Record the order subject's notification"}
      id="action-spo-notification"
    >
      <p class="govuk-body">
        {missed
          ? 'The subject did not notify their names and address in time: act on the breach, and record their notification when they make it.'
          : 'The subject of a full order notifies their names and home address within 3 days of service.'}
        {owed?.outcome ? ` The order followed ${owed.outcome}.` : ''}
      </p>
      <ErrorSummary errors={errors} detail={detail} />
      <form ref={setForm} onSubmit={submit} novalidate>
        {!missed && (
          <Radios
            name="notified"
            label="Did the subject notify within the 3 days?"
            inline
            errors={errors}
            options={[
              ['yes', 'Yes'],
              ['no', 'No: a breach to act on'],
            ]}
          />
        )}
        <WhenInput label={missed ? 'When the subject notified' : 'When'} errors={errors} />
        <Textarea name="note" label="Note" rows={2} errors={errors} />
        <Button busy={busy}>{missed ? 'Record the late notification' : 'Record the notification'}</Button>
      </form>
    </ActionCard>
  );
}

/** A remand in custody or a custodial sentence asked the prison to block contact: its confirmation, the oldest first. */
export function ConfirmPrisonContact({ kase, done }: { kase: CaseView; done: Done }) {
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const block = trackTask(kase, 'PRISON_CONTACT');
  const { errors, detail, busy, submit } = useSubmit(
    () => {
      const v = formValues(form!);
      const reference = v.get('prisonReference')?.[0];
      return post(`/cases/${kase.caseId}/prison-contact/confirmed`, {
        ...(block?.arrestIndex === undefined ? {} : { arrestIndex: block.arrestIndex }),
        at: isoFromLocal(v.get('at')?.[0]),
        ...(reference ? { prisonReference: reference } : {}),
        note: v.get('note')?.[0],
      });
    },
    () => done('Prison contact block confirmed'),
  );
  return (
    <ActionCard title="Confirm the prison contact block" id="action-prison-contact">
      <p class="govuk-body">
        The prison or remand centre was asked to block contact with the victim
        {block?.outcome ? ` (${block.outcome})` : ''}. Record its confirmation.
      </p>
      <ErrorSummary errors={errors} detail={detail} />
      <form ref={setForm} onSubmit={submit} novalidate>
        <WhenInput label="When the prison confirmed" errors={errors} />
        <TextInput name="prisonReference" label="Prison reference (optional)" width="20" errors={errors} />
        <Textarea name="note" label="Note" rows={2} errors={errors} />
        <Button busy={busy}>Record the confirmation</Button>
      </form>
    </ActionCard>
  );
}

/** A referral to a support service, only with the victim's consent; what is shared is chosen field by field. */
export function MakeReferral({ kase, done }: { kase: CaseView; done: Done }) {
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const { errors, detail, busy, submit } = useSubmit(
    () => {
      const v = formValues(form!);
      return post(`/cases/${kase.caseId}/referrals`, {
        service: v.get('service')?.[0],
        consent: {
          given: v.get('consent.given')?.[0] === 'yes',
          recordedAt: isoFromLocal(v.get('consent.recordedAt')?.[0]),
          how: v.get('consent.how')?.[0],
        },
        shared: v.get('shared') ?? [],
      });
    },
    () => {
      // A referral is not a task that closes: the form stays, emptied, for the next one.
      form?.reset();
      done('Referral made');
    },
  );
  return (
    <ActionCard title="Refer the victim to a support service" id="action-referral">
      {kase.referrals.length > 0 && (
        <ul class="govuk-list govuk-list--bullet" data-testid="referrals">
          {kase.referrals.map((r) => (
            <li key={r.referralId}>
              {label(SUPPORT_SERVICE_LABELS, r.service)}, {when(r.referredAt)}
            </li>
          ))}
        </ul>
      )}
      <p class="govuk-body">Only with the victim's consent. Share no more than the service needs.</p>
      <ErrorSummary errors={errors} detail={detail} />
      <form ref={setForm} onSubmit={submit} novalidate>
        <Radios name="service" label="Service" errors={errors} options={Object.entries(SUPPORT_SERVICE_LABELS)} />
        <Checkboxes
          name="consent.given"
          label="Consent"
          errors={errors}
          options={[{ name: 'consent.given', value: 'yes', label: 'The victim consented to this referral' }]}
        />
        <Radios
          name="consent.how"
          label="How consent was given"
          inline
          errors={errors}
          options={Object.entries(CONSENT_HOW_LABELS)}
        />
        <TextInput
          name="consent.recordedAt"
          label="When consent was given"
          type="datetime-local"
          width="20"
          defaultValue={localNow()}
          errors={errors}
        />
        <Checkboxes
          name="shared"
          label="What is shared with the service"
          errors={errors}
          options={Object.entries(SHAREABLE_LABELS).map(([value, text]) => ({ name: 'shared', value, label: text }))}
        />
        <Button busy={busy}>Make the referral</Button>
      </form>
    </ActionCard>
  );
}
