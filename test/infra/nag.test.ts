import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks, ServerlessChecks, type NagPack } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build.js';
import { synthesize, type Synthesized } from './template.js';

let s: Synthesized;
beforeAll(() => {
  // cdk-nag runs inside the synth: an unacknowledged finding throws here, with the report.
  s = synthesize();
});

interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
}

function acknowledgements(root: IConstruct): Acknowledgement[] {
  return root.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) =>
          Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason })),
        ),
    );
}

describe('cdk-nag (AwsSolutions, Serverless)', () => {
  it('reports no finding that is not acknowledged', () => {
    const report = JSON.parse(readFileSync(join(s.assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: {
        pluginName?: string;
        summary?: { pluginName?: string };
        violations?: unknown[];
        conclusion?: string;
      }[];
    };
    const violations = report.pluginReports.flatMap((r) => r.violations ?? []);
    expect(violations).toEqual([]);
  });

  it('leaves no CDK warning or error on any stack', () => {
    for (const stack of [s.data, s.workflow, s.api]) {
      const messages = s.assembly.getStackArtifact(stack.artifactId).messages.filter((m) => m.level !== 'info');
      expect(
        messages.map((m) => `${m.level} ${m.id}: ${String(m.entry.data)}`),
        stack.stackName,
      ).toEqual([]);
    }
  });

  it('gives every acknowledgement a reason of at least a sentence', () => {
    const all = acknowledgements(s.app);
    expect(all.length).toBeGreaterThan(0);
    for (const a of all) {
      expect(a.id, a.path).toMatch(/^(Annotation::)?(AwsSolutions|Serverless)-/);
      expect(a.reason.trim().length, `${a.path} ${a.id}`).toBeGreaterThanOrEqual(40);
      expect(a.reason.trim(), `${a.path} ${a.id}`).toMatch(/[.!]$/);
    }
  });

  it('places acknowledgements on the constructs they concern, never on a stack or the app', () => {
    for (const a of acknowledgements(s.app))
      expect(a.path.split('/').length, `${a.id} on ${a.path}`).toBeGreaterThan(1);
  });

  it('acknowledges only findings there are: each acknowledgement answers a finding on its construct or below', () => {
    const findings: { id: string; path: string }[] = [];
    for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()] as NagPack[]) {
      // What the packs would report if nothing were acknowledged.
      (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
      for (const v of pack.validateScope(s.app).violations)
        for (const r of v.violatingResources) findings.push({ id: v.ruleName, path: r.constructPath! });
    }
    for (const a of acknowledgements(s.app)) {
      const id = a.id.replace(/^Annotation::/, '');
      const answered = findings.some((f) => f.id === id && (f.path === a.path || f.path.startsWith(`${a.path}/`)));
      expect(answered, `${id} on ${a.path} answers no finding`).toBe(true);
    }
  });

  it('fails the synth on a finding nobody acknowledged', () => {
    const { app, data } = buildApp({ bundle: false });
    new s3.Bucket(data, 'Unchecked');
    expect(() => app.synth()).toThrow(/AwsSolutions-S1[\s\S]*Unchecked|Unchecked[\s\S]*AwsSolutions-S1/);
  });
});
