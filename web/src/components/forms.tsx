import { type ComponentChildren, createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type FieldError } from '../api.js';

/**
 * GOV.UK Design System form patterns: an error summary at the top linking to
 * each field, and the message beside the field itself. Fields are named by
 * the API's paths (victim.contact.phone), so the problem details' errors[]
 * land on the field they are about.
 */
export const fieldId = (name: string, scope = '') => `f-${scope ? `${scope}-` : ''}${name.replace(/[^\w-]/g, '-')}`;

/**
 * Forms that share a page keep their fields' ids apart: each names its scope (the action cards do), so two
 * forms' `note` fields are `f-action-handover-note` and `f-action-verify-note`, and a label, an error message or
 * a link in the error summary reaches the field of its own form.
 */
export const FieldScope = createContext('');

const labels = new Map<string, { label: string; choice: boolean }>();

/** The API's schema messages for a missing answer, in the Design System's words: "Enter …", "Select …". */
export function humanMessage(message: string, field: { label: string; choice: boolean } | undefined): string {
  if (!field) return message;
  const what = field.label.replace(/\s*\(optional\)$/i, '').replace(/\?$/, '');
  const lower = what.charAt(0).toLowerCase() + what.slice(1);
  if (/received undefined$/.test(message) || (field.choice && /^Invalid option/.test(message)))
    return `${field.choice || /boolean/.test(message) ? 'Select' : 'Enter'} ${lower}`;
  return message;
}

/** The errors for a field: its own path, and paths below it (postalAddress.lines.0 shows on postalAddress.lines). */
export const errorsFor = (errors: FieldError[], name: string) =>
  errors.filter((e) => e.path === name || e.path.startsWith(`${name}.`));

function fieldFor(path: string): { label: string; choice: boolean } | undefined {
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const l = labels.get(p);
    if (l) return l;
  }
  return undefined;
}

function targetFor(path: string, scope: string): HTMLElement | null {
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const el = document.getElementById(fieldId(p, scope));
    if (el) return el;
  }
  return null;
}

export function ErrorSummary({ errors, detail }: { errors: FieldError[]; detail?: string | undefined }) {
  const ref = useRef<HTMLDivElement>(null);
  const scope = useContext(FieldScope);
  useEffect(() => {
    if (errors.length || detail) ref.current?.focus();
  }, [errors, detail]);
  if (!errors.length && !detail) return null;
  return (
    <div class="govuk-error-summary" data-module="govuk-error-summary" tabIndex={-1} ref={ref}>
      <div role="alert">
        <h2 class="govuk-error-summary__title">There is a problem</h2>
        <div class="govuk-error-summary__body">
          {detail && !errors.length && <p class="govuk-body">{detail}</p>}
          {errors.length > 0 && (
            <ul class="govuk-list govuk-error-summary__list">
              {errors.map((e) => {
                const f = fieldFor(e.path);
                const text = humanMessage(e.message, f);
                return (
                  <li key={`${e.path}:${e.message}`}>
                    <a
                      href={`#${fieldId(e.path, scope)}`}
                      onClick={(ev) => {
                        const el = targetFor(e.path, scope);
                        if (!el) return;
                        ev.preventDefault();
                        el.scrollIntoView({ block: 'center' });
                        (el.matches('input,select,textarea')
                          ? el
                          : (el.querySelector<HTMLElement>('input,select,textarea') ?? el)
                        ).focus();
                      }}
                    >
                      {f
                        ? text === e.message
                          ? `${f.label}: ${text}`
                          : text
                        : e.path
                          ? `${e.path}: ${e.message}`
                          : e.message}
                    </a>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      </div>
    </div>
  );
}

/** Submit state for a form posting to the API: the errors to show, and whether it is in flight. */
export function useSubmit<T>(action: () => Promise<T>, done: (result: T) => void) {
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [detail, setDetail] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e?: Event) => {
    e?.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      const result = await action();
      setErrors([]);
      setDetail(undefined);
      done(result);
    } catch (err) {
      if (err instanceof ApiError) {
        setErrors(err.problem.errors ?? []);
        setDetail(err.problem.detail ?? err.problem.title);
      } else if (err instanceof LocalError) {
        setErrors(err.errors);
        setDetail(undefined);
      } else {
        setErrors([]);
        setDetail((err as Error).message);
      }
    } finally {
      setBusy(false);
    }
  };
  return { errors, detail, busy, submit };
}

/** A problem found before asking the API (a file that is not JSON): shown the same way. */
export class LocalError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

interface FieldProps {
  name: string;
  label: string;
  hint?: string;
  errors: FieldError[];
}

function Group({
  name,
  label,
  hint,
  errors,
  children,
  fieldset,
  choice,
}: FieldProps & { children: ComponentChildren; fieldset?: boolean; choice?: boolean }) {
  const field = { label, choice: !!(choice ?? fieldset) };
  labels.set(name, field);
  const mine = errorsFor(errors, name);
  const id = fieldId(name, useContext(FieldScope));
  const message = mine.length ? (
    <p id={`${id}-error`} class="govuk-error-message">
      <span class="govuk-visually-hidden">Error:</span>{' '}
      {[...new Set(mine.map((e) => humanMessage(e.message, field)))].join('; ')}
    </p>
  ) : null;
  const hintEl = hint ? (
    <div id={`${id}-hint`} class="govuk-hint">
      {hint}
    </div>
  ) : null;
  if (fieldset) {
    return (
      <div class={`govuk-form-group${mine.length ? ' govuk-form-group--error' : ''}`}>
        <fieldset
          class="govuk-fieldset"
          id={id}
          aria-describedby={[hint && `${id}-hint`, mine.length && `${id}-error`].filter(Boolean).join(' ') || undefined}
        >
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{label}</legend>
          {hintEl}
          {message}
          {children}
        </fieldset>
      </div>
    );
  }
  return (
    <div class={`govuk-form-group${mine.length ? ' govuk-form-group--error' : ''}`}>
      <label class="govuk-label govuk-label--s" for={id}>
        {label}
      </label>
      {hintEl}
      {message}
      {children}
    </div>
  );
}

const describedBy = (name: string, hint: string | undefined, errors: FieldError[], scope: string) =>
  [hint && `${fieldId(name, scope)}-hint`, errorsFor(errors, name).length && `${fieldId(name, scope)}-error`]
    .filter(Boolean)
    .join(' ') || undefined;

export function TextInput(
  p: FieldProps & {
    type?: string;
    width?: string;
    defaultValue?: string;
    autocomplete?: string;
    inputMode?: string;
    spellcheck?: boolean;
  },
) {
  const scope = useContext(FieldScope);
  const bad = errorsFor(p.errors, p.name).length > 0;
  return (
    <Group {...p}>
      <input
        class={`govuk-input${p.width ? ` govuk-input--width-${p.width}` : ''}${bad ? ' govuk-input--error' : ''}`}
        id={fieldId(p.name, scope)}
        name={p.name}
        type={(p.type ?? 'text') as 'text'}
        defaultValue={p.defaultValue}
        autocomplete={p.autocomplete ?? 'off'}
        inputMode={p.inputMode as never}
        spellcheck={p.spellcheck ?? false}
        aria-describedby={describedBy(p.name, p.hint, p.errors, scope)}
      />
    </Group>
  );
}

export function Textarea(p: FieldProps & { rows?: number; defaultValue?: string }) {
  const scope = useContext(FieldScope);
  const bad = errorsFor(p.errors, p.name).length > 0;
  return (
    <Group {...p}>
      <textarea
        class={`govuk-textarea${bad ? ' govuk-textarea--error' : ''}`}
        id={fieldId(p.name, scope)}
        name={p.name}
        rows={p.rows ?? 4}
        defaultValue={p.defaultValue}
        aria-describedby={describedBy(p.name, p.hint, p.errors, scope)}
      />
    </Group>
  );
}

export function Select(p: FieldProps & { options: [string, string][]; defaultValue?: string; blank?: string }) {
  const scope = useContext(FieldScope);
  const bad = errorsFor(p.errors, p.name).length > 0;
  return (
    <Group {...p} choice>
      <select
        class={`govuk-select${bad ? ' govuk-select--error' : ''}`}
        id={fieldId(p.name, scope)}
        name={p.name}
        defaultValue={p.defaultValue}
        aria-describedby={describedBy(p.name, p.hint, p.errors, scope)}
      >
        {p.blank !== undefined && <option value="">{p.blank}</option>}
        {p.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </Group>
  );
}

export function Radios(
  p: FieldProps & {
    options: [string, string, string?][];
    value?: string;
    onChange?: (v: string) => void;
    inline?: boolean;
    defaultValue?: string;
  },
) {
  const scope = useContext(FieldScope);
  return (
    <Group {...p} fieldset>
      <div class={`govuk-radios govuk-radios--small${p.inline ? ' govuk-radios--inline' : ''}`}>
        {p.options.map(([value, text, hint], i) => {
          const id = i === 0 ? `${fieldId(p.name, scope)}-input` : `${fieldId(p.name, scope)}-${i}`;
          return (
            <div class="govuk-radios__item" key={value}>
              <input
                class="govuk-radios__input"
                id={id}
                name={p.name}
                type="radio"
                value={value}
                {...(p.value !== undefined
                  ? { checked: p.value === value }
                  : { defaultChecked: p.defaultValue === value })}
                onChange={() => p.onChange?.(value)}
              />
              <label class="govuk-label govuk-radios__label" for={id}>
                {text}
              </label>
              {hint && <div class="govuk-hint govuk-radios__hint">{hint}</div>}
            </div>
          );
        })}
      </div>
    </Group>
  );
}

export function Checkboxes(
  p: FieldProps & {
    options: {
      name: string;
      value: string;
      label: string;
      hint?: string;
      checked?: boolean;
      onChange?: (on: boolean) => void;
    }[];
  },
) {
  const scope = useContext(FieldScope);
  return (
    <Group {...p} fieldset>
      <div class="govuk-checkboxes govuk-checkboxes--small">
        {p.options.map((o, i) => {
          const id = `${fieldId(p.name, scope)}-${i}`;
          return (
            <div class="govuk-checkboxes__item" key={`${o.name}:${o.value}`}>
              <input
                class="govuk-checkboxes__input"
                id={id}
                name={o.name}
                type="checkbox"
                value={o.value}
                {...(o.onChange
                  ? {
                      checked: !!o.checked,
                      onChange: (e: Event) => o.onChange!((e.currentTarget as HTMLInputElement).checked),
                    }
                  : { defaultChecked: o.checked })}
              />
              <label class="govuk-label govuk-checkboxes__label" for={id}>
                {o.label}
              </label>
              {o.hint && <div class="govuk-hint govuk-checkboxes__hint">{o.hint}</div>}
            </div>
          );
        })}
      </div>
    </Group>
  );
}

/**
 * One checkbox on its own, outside any form: a page's switch (show every request, show who viewed) or a row's choice
 * in a table. Its label may be visually hidden where the row says what it is.
 */
export function Toggle({
  id,
  checked,
  onChange,
  children,
  spaced = false,
}: {
  id: string;
  checked: boolean;
  onChange: (on: boolean) => void;
  children: ComponentChildren;
  spaced?: boolean;
}) {
  return (
    <div class={`govuk-checkboxes govuk-checkboxes--small${spaced ? ' govuk-!-margin-bottom-4' : ''}`}>
      <div class="govuk-checkboxes__item">
        <input
          class="govuk-checkboxes__input"
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)}
        />
        <label class="govuk-label govuk-checkboxes__label" for={id}>
          {children}
        </label>
      </div>
    </div>
  );
}

export function Button({
  children,
  busy,
  secondary,
  warning,
  onClick,
  type,
}: {
  children: ComponentChildren;
  busy?: boolean;
  secondary?: boolean;
  warning?: boolean;
  onClick?: () => void;
  type?: 'submit' | 'button';
}) {
  return (
    <button
      type={type ?? 'submit'}
      class={`govuk-button${secondary ? ' govuk-button--secondary' : ''}${warning ? ' govuk-button--warning' : ''}`}
      data-module="govuk-button"
      disabled={busy}
      aria-disabled={busy}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

/** FormData as strings; blanks left out, so optional fields stay absent. */
export function formValues(form: HTMLFormElement): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of new FormData(form)) {
    if (typeof v !== 'string') continue;
    const t = v.trim();
    if (t === '') continue;
    out.set(k, [...(out.get(k) ?? []), t]);
  }
  return out;
}

/** A local date-time input's value as ISO 8601 UTC, or the text itself so the API names what is wrong with it. */
export function isoFromLocal(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

export function localNow(offsetMs = 0): string {
  const d = new Date(Date.now() + offsetMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function Panel({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="govuk-panel govuk-panel--confirmation">
      <h2 class="govuk-panel__title">{title}</h2>
      {children && <div class="govuk-panel__body">{children}</div>}
    </div>
  );
}

export function Notice({ children, tone = 'info' }: { children: ComponentChildren; tone?: 'info' | 'success' }) {
  return (
    // biome-ignore lint/a11y/useAriaPropsSupportedByRole: GOV.UK Frontend's banner: role alert (success) or region, labelled by its title
    <div
      class={`govuk-notification-banner${tone === 'success' ? ' govuk-notification-banner--success' : ''}`}
      role={tone === 'success' ? 'alert' : 'region'}
      aria-labelledby="nb-title"
    >
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id="nb-title">
          {tone === 'success' ? 'Success' : 'Important'}
        </h2>
      </div>
      <div class="govuk-notification-banner__content">{children}</div>
    </div>
  );
}
