import { useState } from 'preact/hooks';
import { mayTransferCase } from '../../../functions/domain/access.js';
import { isRank } from '../../../functions/domain/ranks.js';
import { post, type CaseView } from '../api.js';
import type { Session } from '../auth/session.js';
import { Button, ErrorSummary, formValues, Textarea, TextInput, useSubmit } from '../components/forms.js';
import { FINAL_STAGES, when } from '../format.js';
import { ActionCard } from './CaseActions.js';

/** Who the console offers the transfer to: the API's own rule (functions/domain/access.ts), on the signed-in user. */
export function mayTransfer(session: Session, kase: Pick<CaseView, 'owner' | 'stage'>): boolean {
  if (FINAL_STAGES.includes(kase.stage)) return false;
  const user = {
    sub: session.sub,
    name: session.name,
    groups: session.roles,
    rank: isRank(session.rank) ? session.rank : undefined,
    force: session.force ?? '',
  };
  // The case is of the caller's force, or the API would not have shown it.
  return mayTransferCase(user, { caseForce: user.force, owner: kase.owner }).allowed;
}

/** The case's owner, its hand-overs, and the form that hands it to another investigator (POST /cases/{caseId}/owner). */
export function TransferOwner({
  kase,
  session,
  done,
}: {
  kase: CaseView;
  session: Session;
  done: (message: string) => void;
}) {
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const { errors, detail, busy, submit } = useSubmit(
    () => {
      const v = formValues(form!);
      return post<{ owner: string }>(`/cases/${kase.caseId}/owner`, {
        owner: v.get('owner')?.[0]?.trim(),
        reason: v.get('reason')?.[0],
      });
    },
    (r) => {
      form?.reset();
      done(`The case now belongs to ${r.owner}: its letters, messages and tasks name them`);
    },
  );
  const yours = kase.owner === session.sub;
  return (
    <ActionCard title="Case owner" id="action-owner">
      <p class="govuk-body" data-testid="case-owner">
        Owned by <strong>{kase.owner}</strong>
        {yours ? ' (you)' : ''}.
      </p>
      {kase.ownerTransfers.length > 0 && (
        <ul class="govuk-list govuk-body-s" data-testid="owner-transfers">
          {kase.ownerTransfers.map((t) => (
            <li key={t.transferId}>
              {when(t.at)}: {t.by} handed the case from {t.from} to {t.to}: {t.reason}
            </li>
          ))}
        </ul>
      )}
      {mayTransfer(session, kase) && (
        <>
          <ErrorSummary errors={errors} detail={detail} />
          <form ref={setForm} onSubmit={submit} novalidate>
            <TextInput
              name="owner"
              label="New owner"
              hint="The user id of an investigator of your force"
              width="20"
              errors={errors}
            />
            <Textarea name="reason" label="Why the case is handed on" hint="10 to 4,000 characters" errors={errors} />
            <Button busy={busy}>Transfer the case</Button>
          </form>
        </>
      )}
    </ActionCard>
  );
}
