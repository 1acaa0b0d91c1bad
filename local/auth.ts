import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import type { Rank } from '../functions/domain/ranks.js';
import type { Role } from '../functions/domain/users.js';

/**
 * Local identity: the seeded users of docs/api.md, ID tokens signed by a local RSA
 * key in Cognito's shape, and verified with aws-jwt-verify exactly as
 * against a Cognito user pool.
 */
export interface SeededUser {
  username: string;
  name: string;
  groups: Role[];
  rank?: Rank;
  force: string;
}

export const SEEDED_USERS: readonly SeededUser[] = [
  { username: 'inv.alice', name: 'DC Alice Hughes', groups: ['investigator'], rank: 'constable', force: 'LOCAL' },
  { username: 'inv.ahmed', name: 'DC Ahmed Khan', groups: ['investigator'], rank: 'constable', force: 'LOCAL' },
  { username: 'spoc.sam', name: 'Sam Patel (SPoC)', groups: ['spoc'], rank: 'constable', force: 'LOCAL' },
  { username: 'sgt.bob', name: 'DS Bob Evans', groups: ['supervisor'], rank: 'sergeant', force: 'LOCAL' },
  { username: 'sgt.carol', name: 'DS Carol Price', groups: ['supervisor'], rank: 'sergeant', force: 'LOCAL' },
  { username: 'insp.dave', name: 'DI Dave Morgan', groups: ['supervisor'], rank: 'inspector', force: 'LOCAL' },
  { username: 'supt.erin', name: 'Supt Erin Walsh', groups: ['supervisor'], rank: 'superintendent', force: 'LOCAL' },
  { username: 'aud.frank', name: 'Frank Lewis (PSD)', groups: ['auditor'], force: 'LOCAL' },
  {
    username: 'ds.grace',
    name: 'DS Grace Obi',
    groups: ['investigator', 'supervisor'],
    rank: 'sergeant',
    force: 'LOCAL',
  },
];

/** A seeded user's `sub`, as their tokens carry it. */
export const localSub = (username: string) => `local-${username}`;

/** The seeded users as the functions' directory of people reads them (functions/adapters/people.ts, LOCAL_PEOPLE). */
export const seededPeople = () =>
  SEEDED_USERS.map((u) => ({
    sub: localSub(u.username),
    name: u.name,
    groups: u.groups,
    force: u.force,
    ...(u.rank ? { rank: u.rank } : {}),
  }));

export const LOCAL_USER_POOL_ID = 'eu-west-2_local';
export const LOCAL_CLIENT_ID = 'local-console';
export const LOCAL_ISSUER = `https://cognito-idp.eu-west-2.amazonaws.com/${LOCAL_USER_POOL_ID}`;
const KID = 'local-1';
const TOKEN_SECONDS = 8 * 3600;

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** Tokens whose signature and claims have been verified, kept until they expire (at most this many). */
const VERIFIED_KEPT = 1000;

export class LocalIdentity {
  private readonly privateKey: KeyObject;
  private readonly verifier;
  /**
   * The claims of each token verified, by the whole token (signature included), as API Gateway's JWT authorizer keeps
   * them: the RSA check and the parsing are done once a token, not on every request. Each use checks the expiry
   * again; only a token that verified, with an expiry, is kept, and a token differing in any byte is verified afresh.
   */
  private readonly verified = new Map<string, Record<string, unknown>>();

  constructor(keyFile: string) {
    if (!existsSync(keyFile)) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    }
    this.privateKey = createPrivateKey(readFileSync(keyFile));
    const jwk = createPublicKey(this.privateKey).export({ format: 'jwk' });
    this.verifier = JwtRsaVerifier.create({
      issuer: LOCAL_ISSUER,
      audience: LOCAL_CLIENT_ID,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'id') throw new Error('not an ID token');
      },
    });
    this.verifier.cacheJwks({ keys: [{ ...jwk, kid: KID, alg: 'RS256', use: 'sig' } as never] });
  }

  /** Sign any claims (tests use this to make expired or odd tokens); seeded users go through tokenFor. */
  sign(
    claims: Record<string, unknown>,
    header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT', kid: KID },
  ): string {
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    return `${input}.${b64url(sign('RSA-SHA256', Buffer.from(input), this.privateKey))}`;
  }

  claimsFor(user: SeededUser, nowSeconds = Math.floor(Date.now() / 1000)): Record<string, unknown> {
    return {
      sub: localSub(user.username),
      'cognito:username': user.username,
      'cognito:groups': user.groups,
      ...(user.rank ? { 'custom:rank': user.rank } : {}),
      'custom:force': user.force,
      name: user.name,
      iss: LOCAL_ISSUER,
      aud: LOCAL_CLIENT_ID,
      token_use: 'id',
      auth_time: nowSeconds,
      iat: nowSeconds,
      exp: nowSeconds + TOKEN_SECONDS,
      jti: randomUUID(),
    };
  }

  tokenFor(username: string): string | undefined {
    const user = SEEDED_USERS.find((u) => u.username === username);
    return user ? this.sign(this.claimsFor(user)) : undefined;
  }

  /** The claims of a valid token, or undefined for anything else: missing, malformed, expired, wrongly signed, alg none. */
  async verify(authorization: string | undefined): Promise<Record<string, unknown> | undefined> {
    const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token) return undefined;
    const kept = this.verified.get(token);
    if (kept) {
      if (Number(kept.exp) * 1000 > Date.now()) return kept;
      this.verified.delete(token);
      return undefined;
    }
    try {
      const claims = (await this.verifier.verify(token)) as Record<string, unknown>;
      // A token without an expiry is verified every time (its keeping would have no end).
      if (typeof claims.exp !== 'number') return claims;
      if (this.verified.size >= VERIFIED_KEPT) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, claims);
      return claims;
    } catch {
      return undefined;
    }
  }
}
