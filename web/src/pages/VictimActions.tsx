import { useState } from 'preact/hooks';
import { post, put, type CaseView } from '../api.js';
import { ContactFields, contactFromForm } from '../components/contact.js';
import { Button, ErrorSummary, formValues, Radios, Textarea, useSubmit } from '../components/forms.js';
import { CHANNEL_LABELS, label, when } from '../format.js';
import { ActionCard, type Done } from './CaseActions.js';

/**
 * The victim's choice (docs/api.md, "The victim's choice"): to be told or not, by which channel, with a support
 * worker present or not. Declining sends nothing that names anyone; the victim may change their mind until the case
 * closes.
 */
export function RecordVictimChoice({ kase, done }: { kase: CaseView; done: Done }) {
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const current = kase.victimChoices.at(-1);
  const [choice, setChoice] = useState(current?.choice === 'declines' ? 'wants_to_know' : 'declines');
  const { errors, detail, busy, submit } = useSubmit(
    () => {
      const v = formValues(form!);
      const support = v.get('supportPresent')?.[0];
      return post(`/cases/${kase.caseId}/victim-choice`, {
        choice,
        ...(choice === 'wants_to_know' && v.get('channel') ? { channel: v.get('channel')![0] } : {}),
        ...(choice === 'wants_to_know' && support ? { supportPresent: support === 'yes' } : {}),
        note: v.get('note')?.[0],
      });
    },
    () =>
      done(
        choice === 'declines' ? 'Recorded: the victim declines to be told' : 'Recorded: the victim wants to be told',
      ),
  );
  return (
    <ActionCard title="Record the victim's choice" id="action-victim-choice">
      <p class="govuk-body" data-testid="victim-choice-now">
        {current
          ? `Last recorded ${when(current.at)}: the victim ${current.choice === 'declines' ? 'declines to be told' : 'wants to be told'}${current.channel ? `, ${label(CHANNEL_LABELS, current.channel).toLowerCase()}` : ''}${current.supportPresent ? ', with a support worker present' : ''}.`
          : 'Nothing recorded yet: the presumption is that the victim is told.'}{' '}
        A victim who declines is sent nothing that names anyone, and may change their mind until the case is closed.
      </p>
      <ErrorSummary errors={errors} detail={detail} />
      <form ref={setForm} onSubmit={submit} novalidate>
        <Radios
          name="choice"
          label="The victim"
          errors={errors}
          value={choice}
          onChange={setChoice}
          options={[
            ['wants_to_know', 'Wants to be told'],
            ['declines', 'Declines to be told'],
          ]}
        />
        {choice === 'wants_to_know' && (
          <>
            <Radios
              name="channel"
              label="How they want to be told (optional)"
              inline
              errors={errors}
              defaultValue={kase.victim.contact.preferredChannel}
              options={Object.entries(CHANNEL_LABELS)}
            />
            <Radios
              name="supportPresent"
              label="Will a support worker (an IDVA or ISAC) be present? (optional)"
              inline
              errors={errors}
              options={[
                ['yes', 'Yes'],
                ['no', 'No'],
              ]}
            />
          </>
        )}
        <Textarea name="note" label="What the victim said" rows={2} errors={errors} />
        <Button busy={busy}>Record the choice</Button>
      </form>
    </ActionCard>
  );
}

/**
 * New contact details (docs/api.md, "The victim's contact and choices"): a changed phone or address loses its
 * verification, so nothing goes to it, or to the old one, until the new one is verified with the victim.
 */
export function ChangeContact({ kase, done }: { kase: CaseView; done: Done }) {
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const { errors, detail, busy, submit } = useSubmit(
    () => put(`/cases/${kase.caseId}/victim/contact`, contactFromForm(formValues(form!))),
    () => done("Victim's contact details changed: verify any new phone or address with them"),
  );
  return (
    <ActionCard title="Change the victim's contact details" id="action-contact">
      <p class="govuk-body">
        A new phone number or address must be verified safe with the victim before anything is sent to it.
      </p>
      <ErrorSummary errors={errors} detail={detail} />
      <form ref={setForm} onSubmit={submit} novalidate>
        <ContactFields errors={errors} current={kase.victim.contact} channelLabel="How they want to be told" />
        <Button busy={busy}>Change the contact details</Button>
      </form>
    </ActionCard>
  );
}
