import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Start the product as a user would (`npm start`), on a free port and its own data folder. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Started {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Ctrl-C, as in a terminal; resolves once npm and everything it started have gone. */
  stop: () => Promise<{ code: number | null; signal: NodeJS.Signals | null; groupGone: boolean }>;
}

export async function npmStart(
  dataDir: string,
  timeScale: number,
  extraEnv: Record<string, string> = {},
): Promise<Started> {
  const port = await freePort();
  const child = spawn(
    'npm',
    ['start', '--', '--port', String(port), '--data', dataDir, '--time-scale', String(timeScale)],
    {
      env: { ...process.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  // Both pipes end only when every process holding them has gone (npm, tsx and the stack's node): npm can exit on
  // Ctrl-C before the stack has said it stopped, and the stack's last words are read after it has exited.
  const pipesClosed = Promise.all(
    [child.stdout!, child.stderr!].map((s) => new Promise<void>((resolve) => s.once('close', () => resolve()))),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!out.includes('Ctrl-C stops it')) {
    if (child.exitCode !== null) throw new Error(`npm start exited: ${out}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => out,
    stop: async () => {
      const exited =
        child.exitCode !== null || child.signalCode !== null
          ? { code: child.exitCode, signal: child.signalCode }
          : await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
              child.once('exit', (code, signal) => resolve({ code, signal }));
              // Ctrl-C reaches the whole process group, as in a terminal.
              process.kill(-child.pid!, 'SIGINT');
            });
      // The stack takes up to 10 s to close its parts (local/start.ts), longer on a loaded machine.
      await Promise.race([pipesClosed, new Promise((r) => setTimeout(r, 30_000))]);
      let groupGone = false;
      for (let i = 0; i < 50 && !groupGone; i++) {
        try {
          process.kill(-child.pid!, 0);
          await new Promise((r) => setTimeout(r, 100));
        } catch {
          groupGone = true;
        }
      }
      return { ...exited, groupGone };
    },
  };
}
