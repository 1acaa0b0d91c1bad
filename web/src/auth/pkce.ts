/**
 * Cognito's hosted sign-in with the OAuth 2.0 authorization code flow and
 * PKCE (RFC 7636): a public client, no secret. The verifier and state live
 * in sessionStorage only between leaving for Cognito and coming back.
 */
import { authorizeUrl, origin, randomVerifier, type CognitoSettings } from './pkce-core.js';

export type { CognitoSettings };
const PENDING = 'rtk.pkce';

export async function startSignIn(c: CognitoSettings): Promise<void> {
  const verifier = randomVerifier();
  const state = randomVerifier(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  location.assign(await authorizeUrl(c, verifier, state));
}

/** Back from Cognito with ?code&state: exchange the code for tokens; the ID token carries the groups, rank and force the API reads. */
export async function completeSignIn(
  c: CognitoSettings,
  search: string,
  fetcher: typeof fetch = fetch,
): Promise<string> {
  const params = new URLSearchParams(search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as { verifier: string; state: string } | null;
  sessionStorage.removeItem(PENDING);
  if (params.get('error')) throw new Error(`sign-in refused: ${params.get('error')}`);
  const code = params.get('code');
  if (!code || !pending || params.get('state') !== pending.state)
    throw new Error('sign-in could not be completed: start again');
  const res = await fetcher(`${origin(c.cognitoDomain)}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: c.clientId,
      code,
      redirect_uri: c.redirectUri,
      code_verifier: pending.verifier,
    }),
  });
  if (!res.ok) throw new Error(`sign-in could not be completed (${res.status})`);
  const tokens = (await res.json()) as { id_token?: string };
  if (!tokens.id_token) throw new Error('sign-in returned no ID token');
  return tokens.id_token;
}

export function logoutUrl(c: CognitoSettings): string {
  return `${origin(c.cognitoDomain)}/logout?${new URLSearchParams({ client_id: c.clientId, logout_uri: c.logoutUri })}`;
}
