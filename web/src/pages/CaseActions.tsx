import { useState } from 'preact/hooks';
import { download, post, type CaseView } from '../api.js';
import {
  Button,
  Checkboxes,
  ErrorSummary,
  FieldScope,
  formValues,
  isoFromLocal,
  localNow,
  Radios,
  Select,
  Textarea,
  TextInput,
  useSubmit,
} from '../components/forms.js';
import { ARREST_LABELS, DELAY_GROUND_LABELS, when } from '../format.js';

/** The investigator's actions on a case, each a form posting to its route of docs/api.md. */
export type Done = (message: string) => void;

/** An action's form on the case page: its fields' ids are its own (FieldScope), apart from the other forms'. */
export function ActionCard({ title, children, id }: { title: string; children: preact.ComponentChildren; id: string }) {
  return (
    <section class="govuk-!-margin-bottom-8" aria-labelledby={`${id}-title`} data-testid={id}>
      <h3 class="govuk-heading-m" id={`${id}-title`}>
        {title}
      </h3>
      <FieldScope.Provider value={id}>{children}</FieldScope.Provider>
    </section>
  );
}

export function ProposeSuspect({ kase, done }: { kase: CaseView; done: Done }) {
  const [candidateId, setCandidateId] = useState<string>(kase.candidates[0]?.candidateId ?? '');
  const candidate = kase.candidates.find((c) => c.candidateId === candidateId);
  const returned = kase.requests.filter((r) => r.status === 'returned' && r.kind !== 'platform_preservation');
  // Every returned request can be a point; the candidate's own points come first and start ticked.
  const available = [
    ...(candidate?.points ?? []),
    ...returned
      .filter((r) => !candidate?.points.some((p) => p.requestId === r.requestId))
      .map((r) => ({
        requestId: r.requestId,
        kind: r.kind === 'isp_resolution' ? 'ip_resolution' : 'other',
        detail: `${r.kind === 'isp_resolution' ? `ISP return for ${r.ip}` : `return from ${r.target} for ${r.accountHandle ?? ''}`}`,
      })),
  ];
  const [chosen, setChosen] = useState<Set<string>>(new Set(candidate?.points.map((p) => p.requestId)));
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const pick = (id: string) => {
    setCandidateId(id);
    setChosen(new Set(kase.candidates.find((c) => c.candidateId === id)?.points.map((p) => p.requestId)));
  };
  const { errors, detail, busy, submit } = useSubmit(
    () => {
      const v = formValues(form!);
      return post(`/cases/${kase.caseId}/identification`, {
        ...(candidate ? { candidateId: candidate.candidateId } : {}),
        suspect: {
          name: v.get('suspect.name')?.[0],
          aliases: (v.get('suspect.aliases')?.[0] ?? '')
            .split(',')
            .map((a) => a.trim())
            .filter(Boolean),
          dateOfBirth: v.get('suspect.dateOfBirth')?.[0],
        },
        points: available
          .filter((p) => chosen.has(p.requestId))
          .map((p) => ({ requestId: p.requestId, kind: p.kind, detail: p.detail })),
        rationale: v.get('rationale')?.[0],
      });
    },
    () => done('Suspect proposed: waiting for a supervisor to approve the identification'),
  );
  return (
    <ActionCard title="Propose the suspect" id="action-identification">
      <ErrorSummary errors={errors} detail={detail} />
      {kase.candidates.length > 0 && (
        <Radios
          name="candidateId"
          label="Candidate from the returns"
          errors={errors}
          value={candidateId}
          onChange={pick}
          options={kase.candidates.map((c) => [
            c.candidateId,
            c.name,
            `${c.points.length} supporting, ${c.contradictions.length} contradicting`,
          ])}
        />
      )}
      <form ref={setForm} onSubmit={submit} novalidate key={candidateId}>
        <TextInput
          name="suspect.name"
          label="Suspect's name"
          width="30"
          defaultValue={candidate?.name ?? ''}
          errors={errors}
        />
        <TextInput
          name="suspect.aliases"
          label="Aliases (optional)"
          hint="Separate with commas"
          width="30"
          errors={errors}
        />
        <TextInput
          name="suspect.dateOfBirth"
          label="Date of birth (optional)"
          hint="For example, 1985-02-03"
          width="10"
          errors={errors}
        />
        <Checkboxes
          name="points"
          label="Corroborating points"
          hint="At least two, from different returns"
          errors={errors}
          options={available.map((p) => ({
            name: 'point',
            value: p.requestId,
            label: p.detail,
            hint: p.kind.replace(/_/g, ' '),
            checked: chosen.has(p.requestId),
            onChange: (on: boolean) => {
              const next = new Set(chosen);
              if (on) next.add(p.requestId);
              else next.delete(p.requestId);
              setChosen(next);
            },
          }))}
        />
        {candidate && candidate.contradictions.length > 0 && (
          <div class="govuk-warning-text">
            <span class="govuk-warning-text__icon" aria-hidden="true">
              !
            </span>
            <strong class="govuk-warning-text__text">
              <span class="govuk-visually-hidden">Warning</span>
              Contradicting: {candidate.contradictions.map((c) => c.detail).join('; ')}
            </strong>
          </div>
        )}
        <Textarea name="rationale" label="Rationale" errors={errors} />
        <Button busy={busy}>Propose the suspect</Button>
      </form>
    </ActionCard>
  );
}

/** When something happened (`at`), now by default, in the officer's local time. */
export const WhenInput = ({
  label,
  errors,
  name = 'at',
}: {
  label: string;
  errors: Parameters<typeof TextInput>[0]['errors'];
  name?: string;
}) => (
  <TextInput name={name} label={label} type="datetime-local" width="20" defaultValue={localNow()} errors={errors} />
);

export function RecordArrest({ kase, done }: { kase: CaseView; done: Done }) {
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const { errors, detail, busy, submit } = useSubmit(
    () => {
      const v = formValues(form!);
      return post(`/cases/${kase.caseId}/arrest`, {
        outcome: v.get('outcome')?.[0],
        at: isoFromLocal(v.get('at')?.[0]),
      });
    },
    () => done('Arrest outcome recorded: the victim will be updated'),
  );
  return (
    <ActionCard title="Record the arrest outcome" id="action-arrest">
      <ErrorSummary errors={errors} detail={detail} />
      <form ref={setForm} onSubmit={submit} novalidate>
        <Radios name="outcome" label="Outcome" errors={errors} options={Object.entries(ARREST_LABELS)} />
        <WhenInput label="When" errors={errors} />
        <Button busy={busy}>Record the outcome</Button>
      </form>
    </ActionCard>
  );
}

export function ProposeDisclosure({ kase, done }: { kase: CaseView; done: Done }) {
  // While a delay is in force only a proposal to disclose may be made: it ends the delay at once.
  const delayed = kase.stage === 'DELAYED';
  const review = delayed ? kase.delays.at(-1)?.reviewAt : undefined;
  const [action, setAction] = useState('disclose');
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const { errors, detail, busy, submit } = useSubmit(
    () => {
      const v = formValues(form!);
      const days = v.get('reviewInDays')?.[0];
      return post(`/cases/${kase.caseId}/disclosure-proposal`, {
        action,
        ...(action === 'delay'
          ? { ground: v.get('ground')?.[0], reviewInDays: days && /^\d+$/.test(days) ? Number(days) : days }
          : {}),
        rationale: v.get('rationale')?.[0],
      });
    },
    () =>
      done(
        action === 'disclose'
          ? 'Disclosure proposed: an inspector or above decides'
          : 'Delay proposed: a superintendent decides',
      ),
  );
  return (
    <ActionCard
      title={delayed ? 'End the delay: propose disclosure' : 'Propose disclose or delay'}
      id="action-disclosure"
    >
      {delayed ? (
        <p class="govuk-body">
          A delay is in force until its review{review ? ` on ${when(review)}` : ''}. If its ground has fallen away,
          propose disclosure now: the delay ends at once and an inspector or above decides.
        </p>
      ) : (
        <p class="govuk-body">
          The presumption is to disclose, at the earliest opportunity. A delay needs a ground and a review date no more
          than 28 days away.
        </p>
      )}
      <ErrorSummary errors={errors} detail={detail} />
      <form ref={setForm} onSubmit={submit} novalidate>
        <Radios
          name="action"
          label="Proposal"
          errors={errors}
          value={action}
          onChange={setAction}
          options={[
            ['disclose', 'Disclose the identity to the victim'],
            ...(delayed ? [] : [['delay', 'Delay disclosure'] as [string, string]]),
          ]}
        />
        {action === 'delay' && (
          <div class="govuk-inset-text">
            <Select
              name="ground"
              label="Ground for the delay"
              blank="Choose a ground"
              options={Object.entries(DELAY_GROUND_LABELS)}
              errors={errors}
            />
            <TextInput
              name="reviewInDays"
              label="Review in (days, 1 to 28)"
              width="2"
              inputMode="numeric"
              errors={errors}
            />
          </div>
        )}
        <Textarea name="rationale" label="Rationale" errors={errors} />
        <Button busy={busy}>Send the proposal</Button>
      </form>
    </ActionCard>
  );
}

export function VerifyContact({ kase, done }: { kase: CaseView; done: Done }) {
  // A channel recorded unsafe is verified again only once its details change.
  const channels = (['sms', 'letter'] as const).filter(
    (c) => kase.contactChannels[c] === 'unverified' || kase.contactChannels[c] === 'stale',
  );
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const [safe, setSafe] = useState('yes');
  const { errors, detail, busy, submit } = useSubmit(
    async () => {
      const v = formValues(form!);
      const chosen = v.get('channel') ?? [];
      const verified = safe === 'yes';
      if (!chosen.length)
        return post(`/cases/${kase.caseId}/contact-verification`, { verified, note: v.get('note')?.[0] });
      for (const channel of chosen)
        await post(`/cases/${kase.caseId}/contact-verification`, { channel, verified, note: v.get('note')?.[0] });
      return undefined;
    },
    () => done(safe === 'yes' ? "Victim's contact details marked safe" : "Victim's contact details recorded unsafe"),
  );
  return (
    <ActionCard title="Verify the victim's contact details" id="action-verify">
      <p class="govuk-body">
        A stalker may control the victim's phone. Only details confirmed with the victim as safe, within the last 28
        days, are used; details recorded unsafe are never used.
      </p>
      <ErrorSummary errors={errors} detail={detail} />
      <form ref={setForm} onSubmit={submit} novalidate>
        <Checkboxes
          name="channel"
          label="Details checked with the victim"
          errors={errors}
          options={channels.map((c) => ({
            name: 'channel',
            value: c,
            label: c === 'sms' ? 'Mobile phone (text message)' : 'Postal address (letter)',
          }))}
        />
        <Radios
          name="verified"
          label="Safe to use?"
          inline
          errors={errors}
          value={safe}
          onChange={setSafe}
          options={[
            ['yes', 'Yes, safe'],
            ['no', 'No, unsafe: never use them'],
          ]}
        />
        <Textarea name="note" label="How it was confirmed" rows={2} errors={errors} />
        <Button busy={busy}>{safe === 'yes' ? 'Mark as safe' : 'Record as unsafe'}</Button>
      </form>
    </ActionCard>
  );
}

/** The letter handed over in person; or, on a case closed without a suspect, the victim told in person (`closing`). */
export function RecordHandover({ kase, done, closing = false }: { kase: CaseView; done: Done; closing?: boolean }) {
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const { errors, detail, busy, submit } = useSubmit(
    () => {
      const v = formValues(form!);
      return post(`/cases/${kase.caseId}/disclosure/delivered`, {
        at: isoFromLocal(v.get('at')?.[0]),
        note: v.get('note')?.[0],
      });
    },
    () => done(closing ? 'Recorded: the victim was told in person' : 'Handover recorded'),
  );
  return (
    <ActionCard
      title={closing ? 'Record that the victim was told in person' : 'Record the in-person handover'}
      id="action-handover"
    >
      <ErrorSummary errors={errors} detail={detail} />
      <form ref={setForm} onSubmit={submit} novalidate>
        <WhenInput
          label={
            closing ? 'When the victim was told the account could not be traced' : 'When the letter was handed over'
          }
          errors={errors}
        />
        <Textarea name="note" label="Note" rows={2} errors={errors} />
        <Button busy={busy}>Record the handover</Button>
      </form>
    </ActionCard>
  );
}

export function LetterDownload({ kase }: { kase: CaseView }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <section class="govuk-!-margin-bottom-6" data-testid="letter">
      <h3 class="govuk-heading-m">Disclosure letter</h3>
      {error && <p class="govuk-error-message">{error}</p>}
      <Button
        type="button"
        secondary
        busy={busy}
        onClick={() => {
          setBusy(true);
          download(`/cases/${kase.caseId}/disclosure/letter.pdf`, `disclosure-letter-${kase.caseId}.pdf`)
            .then(() => setError(undefined))
            .catch((e: Error) => setError(e.message))
            .finally(() => setBusy(false));
        }}
      >
        Download the letter (PDF)
      </Button>
    </section>
  );
}

export function CloseCase({ kase, done }: { kase: CaseView; done: Done }) {
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const { errors, detail, busy, submit } = useSubmit(
    () => post(`/cases/${kase.caseId}/close`, { reason: formValues(form!).get('reason')?.[0] }),
    () => done('Case closed: its trail is kept'),
  );
  return (
    <ActionCard title="Close the case" id="action-close">
      <ErrorSummary errors={errors} detail={detail} />
      <form ref={setForm} onSubmit={submit} novalidate>
        <Textarea name="reason" label="Why the case can close" rows={3} errors={errors} />
        <Button busy={busy}>Close the case</Button>
      </form>
    </ActionCard>
  );
}
