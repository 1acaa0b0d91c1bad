import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, type BuiltApp } from '../../infra/build.js';

export interface Resource {
  Type: string;
  Properties?: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface Synthesized extends BuiltApp {
  templates: { data: Template; workflow: Template; api: Template };
  /** Every resource of every stack, keyed "<stack>/<logicalId>". */
  resources: Record<string, Resource>;
  assembly: CloudAssembly;
}

/** One in-process synth of the whole app, no bundling (seconds, not minutes): cdk-nag runs, and throws on a finding. */
export function synthesize(): Synthesized {
  const built = buildApp({ bundle: false });
  const assembly = built.app.synth();
  const templates = {
    data: Template.fromStack(built.data),
    workflow: Template.fromStack(built.workflow),
    api: Template.fromStack(built.api),
  };
  const resources: Record<string, Resource> = {};
  for (const [stack, template] of Object.entries(templates)) {
    for (const [id, r] of Object.entries(template.toJSON().Resources as Record<string, Resource>))
      resources[`${stack}/${id}`] = r;
  }
  return { ...built, templates, resources, assembly };
}

export const ofType = (resources: Record<string, Resource>, type: string) =>
  Object.entries(resources).filter(([, r]) => r.Type === type);

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Every statement of every identity policy (inline, default and managed), with where it is. */
export function identityStatements(resources: Record<string, Resource>): { where: string; statement: Statement }[] {
  const out: { where: string; statement: Statement }[] = [];
  for (const [where, r] of Object.entries(resources)) {
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') {
      for (const statement of r.Properties!.PolicyDocument.Statement as Statement[]) out.push({ where, statement });
    }
    if (r.Type === 'AWS::IAM::Role') {
      for (const p of (r.Properties!.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]) {
        for (const statement of p.PolicyDocument.Statement) out.push({ where, statement });
      }
    }
  }
  return out;
}

export const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
