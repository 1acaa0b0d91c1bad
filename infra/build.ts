import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { BUNDLING_STACKS_CONTEXT, cdkJsonContext, REGION } from './project.js';
import { ApiStack } from './stacks/api.js';
import { DataStack } from './stacks/data.js';
import { WebStack } from './stacks/web.js';
import { WorkflowStack } from './stacks/workflow.js';

export { REGION };

export const STACK_NAMES = {
  data: 'RightToKnowData',
  workflow: 'RightToKnowWorkflow',
  api: 'RightToKnowApi',
  web: 'RightToKnowWeb',
} as const;

export interface BuildOptions {
  /** Bundle the functions with esbuild (default). Tests turn it off: the templates are the same but for the code assets' hashes. */
  bundle?: boolean;
  /** CDK's built-in CloudFormation template validation; defaults to `bundle`. */
  cfnValidation?: boolean;
  /** Cloud assembly directory; defaults to the CLI's, or a temporary one. */
  outdir?: string;
}

export interface BuiltApp {
  app: App;
  data: DataStack;
  workflow: WorkflowStack;
  api: ApiStack;
  web: WebStack;
}

/**
 * The whole app, checked by the cdk-nag AwsSolutions and Serverless packs:
 * any finding not acknowledged on its construct, with a reason, fails the
 * synth (an exception in process, a non-zero exit under the CLI).
 */
export function buildApp(options: BuildOptions = {}): BuiltApp {
  const bundle = options.bundle ?? true;
  const app = new App({
    context: { ...cdkJsonContext(), ...(bundle ? {} : { [BUNDLING_STACKS_CONTEXT]: [] }) },
    builtinCloudFormationValidation: options.cfnValidation ?? bundle,
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  // Account-agnostic: deployed into the account of the credentials used, always in London.
  const env = { region: REGION };
  const data = new DataStack(app, STACK_NAMES.data, {
    env,
    terminationProtection: true,
    description: 'Right to know: key, tables, buckets',
  });
  const workflow = new WorkflowStack(app, STACK_NAMES.workflow, {
    env,
    data,
    description: 'Right to know: disclosure workflow',
  });
  const api = new ApiStack(app, STACK_NAMES.api, {
    env,
    data,
    workflow,
    description: 'Right to know: users, HTTP API',
    ...consoleUrls(app),
  });
  const web = new WebStack(app, STACK_NAMES.web, {
    env,
    api,
    buildConsole: bundle,
    description: 'Right to know: the console (S3, CloudFront) and its sign-in domain',
    ...(app.node.tryGetContext('signInDomainPrefix')
      ? { signInDomainPrefix: String(app.node.tryGetContext('signInDomainPrefix')) }
      : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, data, workflow, api, web };
}

/** `-c consoleCallbackUrls=https://a,https://b`: where the console's sign-in returns to, once the web stack has a domain. */
function consoleUrls(app: App): {
  consoleCallbackUrls?: string[];
  consoleLogoutUrls?: string[];
  consoleOrigins?: string[];
} {
  const list = (key: string) => {
    const raw = app.node.tryGetContext(key) as string | string[] | undefined;
    if (raw === undefined) return undefined;
    return Array.isArray(raw)
      ? raw
      : raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  };
  const callbacks = list('consoleCallbackUrls');
  const logouts = list('consoleLogoutUrls');
  // The console calls the API from the origin its sign-in returns to: those origins, and no others, pass CORS.
  const origins = callbacks ? [...new Set(callbacks.map((u) => new URL(u).origin))] : undefined;
  return {
    ...(callbacks ? { consoleCallbackUrls: callbacks } : {}),
    ...(logouts ? { consoleLogoutUrls: logouts } : {}),
    ...(origins ? { consoleOrigins: origins } : {}),
  };
}
