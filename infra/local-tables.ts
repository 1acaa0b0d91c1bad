import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  AttributeDefinition,
  CreateTableCommandInput,
  GlobalSecondaryIndex,
  KeySchemaElement,
  Projection,
} from '@aws-sdk/client-dynamodb';
import { App } from 'aws-cdk-lib';
import { BUNDLING_STACKS_CONTEXT, cdkJsonContext, REGION } from './project.js';
import { DataStack, type TableRole } from './stacks/data.js';

export interface LocalTableDefinition {
  role: TableRole;
  /** CreateTable input for the local store; the table is named after its role. */
  input: CreateTableCommandInput;
  /** The time-to-live attribute, if the table has one (the local store ignores it; AWS deletes expired items). */
  ttlAttribute?: string;
}

interface CfnTableProperties {
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: AttributeDefinition[];
  GlobalSecondaryIndexes?: { IndexName: string; KeySchema: KeySchemaElement[]; Projection: Projection }[];
  TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
}

const ROLE_ORDER: readonly TableRole[] = ['cases', 'audit', 'consultations', 'idempotency'];

/**
 * The tables of the data stack as the local stack creates them: keys,
 * attribute definitions and indexes read from the synthesized template, so
 * production and the local store have one definition.
 */
export function localTableDefinitions(): LocalTableDefinition[] {
  const outdir = mkdtempSync(join(tmpdir(), 'rtk-tables-'));
  try {
    const app = new App({
      outdir,
      context: { ...cdkJsonContext(), [BUNDLING_STACKS_CONTEXT]: [] },
      builtinCloudFormationValidation: false,
      treeMetadata: false,
    });
    const stack = new DataStack(app, 'RightToKnowData', { env: { region: REGION } });
    const template = app.synth().getStackArtifact(stack.artifactId).template as {
      Resources: Record<string, { Type: string; Properties: CfnTableProperties }>;
    };
    return tablesIn(template.Resources);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function tablesIn(resources: Record<string, { Type: string; Properties: CfnTableProperties }>): LocalTableDefinition[] {
  const found = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::DynamoDB::Table');
  const definitions = found.map(([logicalId, { Properties: p }]): LocalTableDefinition => {
    const role = (DataStack.TABLE_LOGICAL_IDS as Record<string, TableRole | undefined>)[logicalId];
    if (!role) throw new Error(`table ${logicalId} in the data stack has no role in DataStack.TABLE_LOGICAL_IDS`);
    const indexes: GlobalSecondaryIndex[] | undefined = p.GlobalSecondaryIndexes?.map((gsi) => ({
      IndexName: gsi.IndexName,
      KeySchema: gsi.KeySchema,
      Projection: gsi.Projection,
    }));
    return {
      role,
      input: {
        TableName: role,
        KeySchema: p.KeySchema,
        AttributeDefinitions: p.AttributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
        ...(indexes?.length ? { GlobalSecondaryIndexes: indexes } : {}),
      },
      ...(p.TimeToLiveSpecification?.Enabled ? { ttlAttribute: p.TimeToLiveSpecification.AttributeName } : {}),
    };
  });
  const missing = ROLE_ORDER.filter((role) => !definitions.some((d) => d.role === role));
  if (missing.length) throw new Error(`the data stack has no table for ${missing.join(', ')}`);
  return definitions.sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));
}
