import { createServer, type IncomingMessage } from 'node:http';

/** A request as the recording server received it. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** An answer to give, in turn: one a request. */
export interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/**
 * A local HTTP server standing in for an AWS service in a unit test of a
 * client: it records each request it is sent and gives the next answer
 * queued (`fallback` when none is).
 */
export async function recordingServer(fallback: Answer) {
  const seen: Seen[] = [];
  const answers: Answer[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
    const answer = answers.shift() ?? fallback;
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    seen,
    answers,
    /** Forgets what was seen and queued. */
    reset: () => {
      seen.length = 0;
      answers.length = 0;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
