import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { navigate } from '../router.js';
import {
  Button,
  Checkboxes,
  ErrorSummary,
  formValues,
  Radios,
  Select,
  Textarea,
  TextInput,
  useSubmit,
} from '../components/forms.js';
import { ContactFields, contactFromForm } from '../components/contact.js';
import { OFFENCE_LABELS, PLATFORM_LABELS } from '../format.js';

const FOUR = [
  ['fixated', 'Fixated'],
  ['obsessive', 'Obsessive'],
  ['unwanted', 'Unwanted'],
  ['repeated', 'Repeated'],
] as const;

/** The body of POST /cases from the form: blanks are left out so the API names what is missing. */
export function caseBody(form: HTMLFormElement, accounts: number[]) {
  const v = formValues(form);
  const one = (k: string) => v.get(k)?.[0];
  const bool = (k: string) => (one(k) === undefined ? undefined : one(k) === 'yes');
  const sdash = one('risk.sdashYes');
  return {
    crimeReference: one('crimeReference'),
    offence: one('offence'),
    summary: one('summary'),
    victim: {
      name: one('victim.name'),
      dateOfBirth: one('victim.dateOfBirth'),
      enhancedRights: bool('victim.enhancedRights'),
      contact: contactFromForm(v, 'victim.contact.'),
    },
    risk: {
      four: Object.fromEntries(FOUR.map(([k]) => [k, (v.get('risk.four') ?? []).includes(k)])),
      sdashYes: sdash === undefined ? undefined : /^\d+$/.test(sdash) ? Number(sdash) : sdash,
    },
    accounts: accounts.map((_, i) => ({
      platform: one(`accounts.${i}.platform`),
      handle: one(`accounts.${i}.handle`),
      platformUserId: one(`accounts.${i}.platformUserId`),
      url: one(`accounts.${i}.url`),
    })),
  };
}

export function OpenCase() {
  const [accounts, setAccounts] = useState([0]);
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const { errors, detail, busy, submit } = useSubmit(
    () => post<{ caseId: string; stage: string }>('/cases', caseBody(form!, accounts)),
    (r) => navigate(`/case/${r.caseId}`),
  );
  return (
    <>
      <h1 class="govuk-heading-l">Open a case</h1>
      <ErrorSummary errors={errors} detail={detail} />
      <form ref={setForm} onSubmit={submit} novalidate data-testid="open-case-form">
        <h2 class="govuk-heading-m">The crime</h2>
        <TextInput
          name="crimeReference"
          label="Crime reference"
          hint="3 to 30 capitals, digits, / and -, for example LOCAL/26/000123"
          width="20"
          errors={errors}
        />
        <Select
          name="offence"
          label="Offence"
          blank="Choose the offence"
          options={Object.entries(OFFENCE_LABELS)}
          errors={errors}
        />
        <Textarea
          name="summary"
          label="Summary"
          hint="What has happened. Do not include the victim's contact details here."
          errors={errors}
        />

        <h2 class="govuk-heading-m">The victim</h2>
        <TextInput name="victim.name" label="Full name" width="30" autocomplete="off" errors={errors} />
        <TextInput
          name="victim.dateOfBirth"
          label="Date of birth"
          hint="For example, 1990-04-01"
          width="10"
          errors={errors}
        />
        <Radios
          name="victim.enhancedRights"
          label="Entitled to enhanced rights under the Victims' Code?"
          inline
          options={[
            ['yes', 'Yes'],
            ['no', 'No'],
          ]}
          errors={errors}
        />
        <ContactFields prefix="victim.contact." errors={errors} />

        <h2 class="govuk-heading-m">Risk</h2>
        <Checkboxes
          name="risk.four"
          label="FOUR markers present"
          errors={errors}
          options={FOUR.map(([value, text]) => ({ name: 'risk.four', value, label: text }))}
        />
        <TextInput
          name="risk.sdashYes"
          label="S-DASH: number of 'yes' answers (0 to 11)"
          width="2"
          inputMode="numeric"
          errors={errors}
        />

        <h2 class="govuk-heading-m">Online accounts</h2>
        {accounts.map((key, i) => (
          <fieldset class="govuk-fieldset" key={key} id={`f-accounts-${i}`}>
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Account {i + 1}</legend>
            <Select
              name={`accounts.${i}.platform`}
              label="Platform"
              blank="Choose the platform"
              options={Object.entries(PLATFORM_LABELS)}
              errors={errors}
            />
            <TextInput name={`accounts.${i}.handle`} label="Handle" width="20" errors={errors} />
            <TextInput
              name={`accounts.${i}.platformUserId`}
              label="Platform's user id (optional)"
              hint="Handles change; the id does not"
              width="20"
              errors={errors}
            />
            <TextInput
              name={`accounts.${i}.url`}
              label="Profile address (optional)"
              width="30"
              type="url"
              errors={errors}
            />
            {accounts.length > 1 && (
              <Button type="button" secondary onClick={() => setAccounts(accounts.filter((_, j) => j !== i))}>
                Remove account {i + 1}
              </Button>
            )}
          </fieldset>
        ))}
        {accounts.length < 20 && (
          <p>
            <Button type="button" secondary onClick={() => setAccounts([...accounts, Math.max(...accounts) + 1])}>
              Add another account
            </Button>
          </p>
        )}
        <Button busy={busy}>Open the case</Button>
      </form>
    </>
  );
}
