import type { FieldError } from '../api.js';
import { CHANNEL_LABELS } from '../format.js';
import type { CaseView } from '../shapes.js';
import { Radios, Textarea, TextInput } from './forms.js';

type Contact = CaseView['victim']['contact'];

/**
 * The victim's contact details, as a case is opened with them and as they are changed since: the same fields under
 * the API's paths (`victim.contact.phone` when opening a case, `phone` when changing them), so each error lands on
 * its own field.
 */
export function ContactFields({
  prefix = '',
  errors,
  current,
  channelLabel = 'How do they want the disclosure?',
}: {
  prefix?: string;
  errors: FieldError[];
  current?: Contact;
  channelLabel?: string;
}) {
  return (
    <>
      <Radios
        name={`${prefix}preferredChannel`}
        label={channelLabel}
        options={Object.entries(CHANNEL_LABELS)}
        defaultValue={current?.preferredChannel}
        errors={errors}
      />
      <TextInput
        name={`${prefix}phone`}
        label="Mobile phone (optional)"
        hint="International format, for example +447700900123"
        width="20"
        type="tel"
        defaultValue={current?.phone}
        errors={errors}
      />
      <Textarea
        name={`${prefix}postalAddress.lines`}
        label="Postal address (optional)"
        hint="One line per line of the address"
        rows={3}
        defaultValue={current?.postalAddress?.lines.join('\n')}
        errors={errors}
      />
      <TextInput
        name={`${prefix}postalAddress.postcode`}
        label="Postcode"
        width="10"
        defaultValue={current?.postalAddress?.postcode}
        errors={errors}
      />
      <TextInput
        name={`${prefix}safeTimes`}
        label="Safe times to contact (optional)"
        hint="Days and hours on England's clock, for example: weekdays after 6pm; weekday mornings; weekends 10am-4pm. Separate more than one with ;. Messages wait until then. Leave blank for any time."
        width="30"
        defaultValue={current?.safeTimes}
        errors={errors}
      />
    </>
  );
}

/** The contact details from the form's values: blanks left out, so the API names what is missing. */
export function contactFromForm(v: Map<string, string[]>, prefix = '') {
  const one = (k: string) => v.get(`${prefix}${k}`)?.[0];
  const lines = one('postalAddress.lines')
    ?.split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const postcode = one('postalAddress.postcode');
  return {
    preferredChannel: one('preferredChannel'),
    phone: one('phone'),
    ...(lines || postcode ? { postalAddress: { lines: lines ?? [], postcode } } : {}),
    safeTimes: one('safeTimes'),
  };
}
