/** PKCE (RFC 7636) and the Cognito authorize URL: pure functions over Web Crypto, the same in the browser and in Node. */
export interface CognitoSettings {
  cognitoDomain: string;
  clientId: string;
  redirectUri: string;
  logoutUri: string;
}

export function base64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function randomVerifier(bytes = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export async function challengeFor(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

export const origin = (domain: string) =>
  (domain.startsWith('https://') ? domain : `https://${domain}`).replace(/\/+$/, '');

export async function authorizeUrl(c: CognitoSettings, verifier: string, state: string): Promise<string> {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: c.clientId,
    redirect_uri: c.redirectUri,
    scope: 'openid email profile',
    state,
    code_challenge_method: 'S256',
    code_challenge: await challengeFor(verifier),
  });
  return `${origin(c.cognitoDomain)}/oauth2/authorize?${q}`;
}
