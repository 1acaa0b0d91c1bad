/**
 * The signed-in user: an ID token (Cognito's, or the local stack's in the
 * same shape) kept in sessionStorage for this tab's session only, and the
 * claims read from it. Nothing else about anyone is stored in the browser.
 */
export type Role = 'investigator' | 'spoc' | 'supervisor' | 'auditor';

export interface Session {
  token: string;
  sub: string;
  username: string;
  name: string;
  roles: Role[];
  rank?: string;
  force?: string;
  expiresAt: number;
}

const KEY = 'rtk.idToken';

function base64UrlDecode(part: string): string {
  const b64 = part
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Reads, does not verify: the API verifies every request; the console only needs the name and roles to lay out its pages. */
export function sessionFromToken(token: string): Session | undefined {
  try {
    const claims = JSON.parse(base64UrlDecode(token.split('.')[1] ?? '')) as Record<string, unknown>;
    const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : [];
    const expiresAt = Number(claims.exp) * 1000;
    if (!Number.isFinite(expiresAt) || expiresAt <= Date.now()) return undefined;
    return {
      token,
      sub: String(claims.sub ?? ''),
      username: String(claims['cognito:username'] ?? claims.sub ?? ''),
      name: String(claims.name ?? claims['cognito:username'] ?? ''),
      roles: groups.filter((g): g is Role => ['investigator', 'spoc', 'supervisor', 'auditor'].includes(g)),
      ...(typeof claims['custom:rank'] === 'string' ? { rank: claims['custom:rank'] } : {}),
      ...(typeof claims['custom:force'] === 'string' ? { force: claims['custom:force'] } : {}),
      expiresAt,
    };
  } catch {
    return undefined;
  }
}

let current: Session | undefined;

export function getSession(): Session | undefined {
  if (current && current.expiresAt <= Date.now()) clearSession();
  if (!current) {
    const stored = sessionStorage.getItem(KEY);
    current = stored ? sessionFromToken(stored) : undefined;
    if (!current) sessionStorage.removeItem(KEY);
  }
  return current;
}

export function setSession(token: string): Session | undefined {
  current = sessionFromToken(token);
  if (current) sessionStorage.setItem(KEY, token);
  return current;
}

export function clearSession(): void {
  current = undefined;
  sessionStorage.removeItem(KEY);
}

export const hasRole = (s: Session | undefined, role: Role) => !!s?.roles.includes(role);
