/**
 * Where the console finds the API and how it signs people in: config.json
 * beside index.html, written by the web stack in AWS and by the local
 * server (with the seeded users) under `npm start`.
 */
export interface SeededUser {
  username: string;
  name: string;
  groups: string[];
  rank?: string;
}

export type ConsoleConfig =
  | { mode: 'local'; apiUrl: string; users: SeededUser[] }
  | {
      mode: 'cognito';
      apiUrl: string;
      cognitoDomain: string;
      clientId: string;
      redirectUri: string;
      logoutUri: string;
    };

export async function loadConfig(): Promise<ConsoleConfig> {
  const res = await fetch('/config.json', { cache: 'no-store', headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`config.json: ${res.status}`);
  const c = (await res.json()) as ConsoleConfig;
  return { ...c, apiUrl: (c.apiUrl ?? '').replace(/\/+$/, '') };
}
