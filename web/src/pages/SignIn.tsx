import { useEffect, useState } from 'preact/hooks';
import type { ConsoleConfig } from '../config.js';
import { post } from '../api.js';
import { setSession, type Session } from '../auth/session.js';
import { completeSignIn, startSignIn } from '../auth/pkce.js';
import { navigate } from '../router.js';
import { Button, ErrorSummary, Radios, useSubmit } from '../components/forms.js';
import { RANK_LABELS } from '../format.js';
import { homeFor } from '../nav.js';

type OnSession = (s: Session | undefined) => void;

export function SignIn({ config, onSession }: { config: ConsoleConfig; onSession: OnSession }) {
  if (config.mode === 'cognito') {
    return (
      <>
        <h1 class="govuk-heading-l">Sign in</h1>
        <p class="govuk-body">You sign in with your force account and its authenticator app.</p>
        <Button onClick={() => void startSignIn(config)} type="button">
          Sign in
        </Button>
      </>
    );
  }
  const [username, setUsername] = useState('');
  const { errors, detail, busy, submit } = useSubmit(
    async () => {
      const { token } = await post<{ token: string }>('/local/token', { username });
      const s = setSession(token);
      if (!s) throw new Error('the token could not be read');
      return s;
    },
    (s) => {
      onSession(s);
      navigate(homeFor(s), true);
    },
  );
  return (
    <>
      <h1 class="govuk-heading-l">Sign in</h1>
      <p class="govuk-body">
        Local stack: choose one of the seeded users. In AWS this page sends you to the force's sign-in.
      </p>
      <ErrorSummary errors={errors} detail={detail} />
      <form onSubmit={submit} novalidate>
        <Radios
          name="username"
          label="Who are you?"
          errors={errors}
          value={username}
          onChange={setUsername}
          options={config.users.map((u) => [
            u.username,
            `${u.name} (${u.username})`,
            `${u.groups.join(', ')}${u.rank ? ` · ${RANK_LABELS[u.rank] ?? u.rank}` : ''}`,
          ])}
        />
        <Button busy={busy}>Sign in</Button>
      </form>
    </>
  );
}

export function SignInCallback({ config, onSession }: { config: ConsoleConfig; onSession: OnSession }) {
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (config.mode !== 'cognito') return navigate('/sign-in', true);
    const search = location.search;
    // The code is single-use: take it out of the address bar and history at once.
    history.replaceState(null, '', '/auth/callback');
    completeSignIn(config, search)
      .then((token) => {
        const s = setSession(token);
        if (!s) throw new Error('the sign-in token could not be read');
        onSession(s);
        navigate(homeFor(s), true);
      })
      .catch((e: Error) => setError(e.message));
  }, []);
  return error ? (
    <>
      <h1 class="govuk-heading-l">Sign-in failed</h1>
      <p class="govuk-body">{error}</p>
      <p class="govuk-body">
        <a class="govuk-link" href="/sign-in">
          Sign in again
        </a>
      </p>
    </>
  ) : (
    <p class="govuk-body">Signing you in…</p>
  );
}
