import { useState } from 'preact/hooks';
import { post, type CaseView } from '../api.js';
import { Button, ErrorSummary, formValues, Radios, Textarea, useSubmit } from '../components/forms.js';
import { CLOSURE_REASON_LABELS, label, when } from '../format.js';
import { ActionCard, type Done } from './CaseActions.js';

/** Where a closure without a suspect may be proposed (docs/api.md, "Closing without a suspect"). */
export const CLOSURE_PROPOSAL_STAGES = [
  'PLATFORM_REQUESTS',
  'ISP_RESOLUTION',
  'IDENTIFICATION',
  'IDENTIFICATION_APPROVAL',
];

/**
 * Closing without a suspect: before identification is approved the investigator proposes closing the case, with
 * a reason; a sergeant or above who neither proposed it nor opened the case decides it. While it waits, the form
 * says so instead.
 */
export function ProposeClosure({ kase, done }: { kase: CaseView; done: Done }) {
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const { errors, detail, busy, submit } = useSubmit(
    () => {
      const v = formValues(form!);
      return post(`/cases/${kase.caseId}/closure-proposal`, {
        reason: v.get('reason')?.[0],
        rationale: v.get('rationale')?.[0],
      });
    },
    () => done('Closure proposed: a sergeant or above decides it'),
  );
  const pending = kase.closureProposal?.status === 'proposed' ? kase.closureProposal : undefined;
  return (
    <ActionCard title="Close without a suspect" id="action-closure">
      {pending ? (
        <p class="govuk-body" data-testid="closure-pending">
          Proposed {when(pending.proposedAt)} by {pending.proposedBy.name} (
          {label(CLOSURE_REASON_LABELS, pending.reason)}): waiting for a sergeant or above to decide. Identification
          waits until then.
        </p>
      ) : (
        <>
          <p class="govuk-body">
            If nobody can be identified, propose closing the case. Requests still outstanding are then abandoned, and
            the victim is told by a safe channel that the account could not be traced, unless they declined to be told.
          </p>
          <ErrorSummary errors={errors} detail={detail} />
          <form ref={setForm} onSubmit={submit} novalidate>
            <Radios name="reason" label="Why" errors={errors} options={Object.entries(CLOSURE_REASON_LABELS)} />
            <Textarea name="rationale" label="Rationale" rows={3} errors={errors} />
            <Button busy={busy}>Propose closing the case</Button>
          </form>
        </>
      )}
    </ActionCard>
  );
}
