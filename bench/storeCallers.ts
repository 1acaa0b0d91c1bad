import { writeFileSync } from 'node:fs';

/**
 * Where a bench's DynamoDB calls come from: each call counted under its key (storeCallKey) and the frames of the
 * product's code that made it (under functions/, the client's own module left out), innermost first. Costs a stack
 * trace a call, so only when asked for (`--callers <file>`): one line a caller, `count<TAB>key <- frame < frame`,
 * most first. What bench/results/load.md's notes on where the calls go were read from.
 */
export class StoreCallers {
  private readonly counts = new Map<string, number>();

  note(key: string): void {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 60;
    const stack = new Error().stack ?? '';
    Error.stackTraceLimit = limit;
    const frames = stack
      .split('\n')
      .filter((line) => line.includes('functions/') && !/clients\/dynamo|node_modules/.test(line))
      .map((line) =>
        line
          .trim()
          .replace(/^at (async )?/, '')
          .replace(/\(?[^ ]*functions\//, '')
          .replace(/:\d+\)?$/, ''),
      )
      .slice(0, 6);
    const caller = `${key} <- ${frames.join(' < ')}`;
    this.counts.set(caller, (this.counts.get(caller) ?? 0) + 1);
  }

  write(file: string): void {
    const rows = [...this.counts].sort((a, b) => b[1] - a[1]).map(([caller, n]) => `${n}\t${caller}`);
    writeFileSync(file, `${rows.join('\n')}\n`);
  }
}
