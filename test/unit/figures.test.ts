import { afterEach, describe, expect, it, vi } from 'vitest';
import { FIGURES, METRICS_NAMESPACE, METRICS_SERVICE } from '../../functions/domain/monitoring.js';

interface EmfLine {
  _aws: {
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [key: string]: unknown;
}

describe('business figures', () => {
  afterEach(() => vi.restoreAllMocks());

  it('counts a case opened as one embedded metric format line, in the namespace and service the CDK sets', async () => {
    // As the CDK sets them on every function (infra/constructs/function.ts); the metrics are made on first use.
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', METRICS_NAMESPACE);
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', METRICS_SERVICE);
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const { count } = await import('../../functions/adapters/figures.js');

    count('caseOpened');

    const lines = written
      .join('')
      .split('\n')
      .filter((l) => l.includes('"_aws"'))
      .map((l) => JSON.parse(l) as EmfLine);
    expect(lines).toHaveLength(1);
    const [line] = lines;
    const [directive] = line!._aws.CloudWatchMetrics;
    expect(directive!.Namespace).toBe('RightToKnow');
    expect(directive!.Metrics).toEqual([{ Name: FIGURES.caseOpened, Unit: 'Count' }]);
    expect(directive!.Dimensions).toEqual([['service']]);
    expect(line!.service).toBe('right-to-know');
    expect(line![FIGURES.caseOpened]).toBe(1);
    // An id or a person's details never rides along: the figure, its service and the format's own fields only.
    expect(Object.keys(line!).sort()).toEqual(['CasesOpened', '_aws', 'service']);

    // Nothing stays stored for the next invocation to print again.
    written.length = 0;
    count('gateEscalated');
    expect(written.join('')).not.toContain(FIGURES.caseOpened);
    expect(written.join('')).toContain(FIGURES.gateEscalated);
  });
});
