import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { builtinModules } from 'node:module';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allHandlers,
  BUNDLE_LIMIT_BYTES,
  bundleHandlers,
  bundleLimit,
  DYNAMODB_OPERATIONS,
  dynamoDbErrorsThrown,
  dynamoDbSchemasTreeShakable,
  HEAVY_HANDLERS,
  buildPowertoolsLayer,
  LAYER_ONLY_PACKAGES,
  markSchemaCallsPure,
  POWERTOOLS_MODULE,
  splitByDefault,
  type BuiltBundle,
} from '../../infra/constructs/bundling.js';
import { PROJECT_ROOT } from '../../infra/project.js';
import { BUNDLED_FONT_DIR, LETTER_FONT_FILES } from '../../functions/adapters/pdfFonts.js';
import type { Notifier } from '../../functions/adapters/notify.js';
import ts from 'typescript';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { partition } from '@aws-sdk/core/client';
import { routeInputs } from '../../functions/routeInputs.js';
import { routeEntries, routes } from '../../functions/routes.js';
import { startNotifyStandIn } from '../../local/notify-standin.js';
import { STAGES } from '../../functions/domain/stages.js';
import { pdfText } from '../support/pdf.js';

/**
 * Every handler bundled exactly as the CDK bundles it (the options of
 * infra/constructs/bundling.ts), all in one esbuild call, with two small
 * entries that render PDFs through the same bundling.
 */
const workDir = join(PROJECT_ROOT, '.tmp', `bundles-${randomUUID()}`);
const PDF_PROBE = 'probe/pdf';
const ODD_FONT_PROBE = 'probe/oddFont';
const NOTIFY_PROBE = 'probe/notify';
const MIDDY_PROBE = 'probe/middy';
const DYNAMO_PROBE = 'probe/dynamo';
const LETTER_ON_USE_PROBE = 'probe/letterOnUse';
const IDEMPOTENCY_PROBE = 'probe/idempotency';
const IP_LOG_PROBE = 'probe/ipLog';
let bundles: Map<string, BuiltBundle>;

beforeAll(async () => {
  mkdirSync(workDir, { recursive: true });
  const adapters = join(PROJECT_ROOT, 'functions', 'adapters');
  writeFileSync(
    join(workDir, 'pdf.ts'),
    [
      `import { PDFDocument } from 'pdf-lib';`,
      `import { renderLetterPdf } from ${JSON.stringify(join(adapters, 'letterPdf.ts'))};`,
      `import { renderDocumentPdf } from ${JSON.stringify(join(adapters, 'documentPdf.ts'))};`,
      `const officer = { name: 'DC Alice Smith', phone: '0113 496 0000', force: 'Local Constabulary' };`,
      `export const letter = () => renderLetterPdf({ templateVersion: 't1', force: 'Local Constabulary', reference: 'LOCAL/26/0000001', date: '2026-11-21', salutation: 'Dear Ms Example', paragraphs: [{ heading: 'What we can tell you', lines: ['The person is Дмитрий Петров (also known as محمد عبد الله).'] }], officer });`,
      `export const form = async () => (await PDFDocument.create()).getForm();`,
      `export const read = () => PDFDocument.load(new Uint8Array([0x25, 0x50, 0x44, 0x46]));`,
      `export const image = async () => (await PDFDocument.create()).embedJpg(new Uint8Array([0xff, 0xd8, 0xff]));`,
      `export const objectStreams = async () => (await PDFDocument.create()).save({ useObjectStreams: true });`,
      `export const document = () => renderDocumentPdf({ title: 'Request', date: '2026-11-21', blocks: [{ heading: 'Plain', lines: ['regular'] }, { lines: ['mono 0123'], mono: true }] });`,
    ].join('\n'),
  );
  // The letter as a sending handler draws it: its code in a file beside the bundle, read when first drawn.
  writeFileSync(
    join(workDir, 'letterOnUse.ts'),
    [
      `import { renderLetterPdf } from ${JSON.stringify(join(adapters, 'letterOnUse.ts'))};`,
      `import { renderDocumentPdf } from ${JSON.stringify(join(adapters, 'documentOnUse.ts'))};`,
      `export const document = () => renderDocumentPdf({ title: 'Request', date: '2026-11-21', blocks: [{ heading: 'Plain', lines: ['regular'] }, { lines: ['mono 0123'], mono: true }] });`,
      `const officer = { name: 'DC Alice Smith', phone: '0113 496 0000', force: 'Local Constabulary' };`,
      `export const letter = () => renderLetterPdf({ templateVersion: 't1', force: 'Local Constabulary', reference: 'LOCAL/26/0000001', date: '2026-11-21', salutation: 'Dear Ms Example', paragraphs: [{ heading: 'What we can tell you', lines: ['The person is Дмитрий Петров (also known as محمد عبد الله).'] }], officer });`,
    ].join('\n'),
  );
  writeFileSync(
    join(workDir, 'idempotency.ts'),
    `export { idempotency } from ${JSON.stringify(join(PROJECT_ROOT, 'functions', 'services', 'notifications.ts'))};\n`,
  );
  writeFileSync(
    join(workDir, 'ipLog.ts'),
    `export { ipLogOf, packIpLog } from ${JSON.stringify(join(adapters, 'ipLog.ts'))};\n`,
  );
  writeFileSync(
    join(workDir, 'oddFont.ts'),
    `import { PDFDocument, StandardFonts } from 'pdf-lib';\nexport const embed = async () => (await PDFDocument.create()).embedFont(StandardFonts.TimesRoman);\n`,
  );
  writeFileSync(
    join(workDir, 'notify.ts'),
    [
      `import { createNotifier } from ${JSON.stringify(join(adapters, 'notify.ts'))};`,
      `export const notifier = (baseUrl: string, apiKey: string, smsTemplateId: string) => createNotifier({ baseUrl, apiKey: async () => apiKey, smsTemplateId, timeoutMs: 5000 });`,
    ].join('\n'),
  );
  writeFileSync(
    join(workDir, 'middy.ts'),
    `import middy from '@middy/core';\nexport const run = (n: number) => middy().handler(async (e: number) => e * 2)(n, {} as never);\n`,
  );
  writeFileSync(
    join(workDir, 'dynamo.ts'),
    [
      `import { ConditionalCheckFailedException, DynamoDBClient, DynamoDBServiceException, PutItemCommand } from '@aws-sdk/client-dynamodb';`,
      `import { partition } from '@aws-sdk/core/client';`,
      `const credentials = { accessKeyId: 'probe', secretAccessKey: 'probe' };`,
      `export const put = (endpoint: string, maxAttempts = 1) => new DynamoDBClient({ endpoint, region: 'eu-west-2', credentials, maxAttempts })`,
      `  .send(new PutItemCommand({ TableName: 'probe', Item: { pk: { S: 'probe' } } }))`,
      `  .then(() => 'written', (e) => ({ name: e.name, message: e.message, fault: e.$fault, conditional: e instanceof ConditionalCheckFailedException, service: e instanceof DynamoDBServiceException }));`,
      `export const retryMode = (retryMode?: string) => new DynamoDBClient({ region: 'eu-west-2', credentials, retryMode }).config.retryStrategy().then((s) => s.mode, (e) => e.message);`,
      `export const endpoint = (params: Record<string, unknown>) => new DynamoDBClient({ region: 'eu-west-2', credentials }).config.endpointProvider(params).url.href;`,
      `export { partition };`,
    ].join('\n'),
  );
  const { bundles: built } = await bundleHandlers(
    {
      ...allHandlers(),
      [PDF_PROBE]: join(workDir, 'pdf.ts'),
      [ODD_FONT_PROBE]: join(workDir, 'oddFont.ts'),
      [NOTIFY_PROBE]: join(workDir, 'notify.ts'),
      [MIDDY_PROBE]: join(workDir, 'middy.ts'),
      [DYNAMO_PROBE]: join(workDir, 'dynamo.ts'),
      [LETTER_ON_USE_PROBE]: join(workDir, 'letterOnUse.ts'),
      [IDEMPOTENCY_PROBE]: join(workDir, 'idempotency.ts'),
      [IP_LOG_PROBE]: join(workDir, 'ipLog.ts'),
    },
    join(workDir, 'out'),
    // The probes that send through Notify, draw a letter on use and load idempotency are split as the handlers are.
    new Set([...splitByDefault(), ...['notify.ts', 'letterOnUse.ts', 'idempotency.ts'].map((f) => join(workDir, f))]),
  );
  bundles = new Map(built.map((b) => [b.name, b]));
}, 180_000);
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const handlerNames = Object.keys(allHandlers());
/** A bundle's code: its file and the chunks beside it that it imports when first used. */
const codeOf = (b: BuiltBundle, encoding: BufferEncoding = 'utf8') =>
  [b.file, ...b.chunks].map((f) => readFileSync(f, encoding)).join('\n');
const carries = (b: BuiltBundle, pkg: string) => Object.keys(b.inputs).some((p) => p.includes(`node_modules/${pkg}/`));

describe('handler bundles', () => {
  it('bundles every handler of functions/handlers', () => {
    expect(handlerNames.length).toBeGreaterThan(40);
    for (const name of handlerNames) expect(bundles.has(name), name).toBe(true);
  });

  it.each(handlerNames)('%s is within its limit', (name) => {
    const b = bundles.get(name)!;
    expect(b.bytes, `${name}: ${b.bytes} bytes`).toBeLessThanOrEqual(bundleLimit(name));
  });

  it('allows the larger limit only to handlers that render a PDF or call Notify, and to each of them', () => {
    for (const name of handlerNames) {
      const heavy = carries(bundles.get(name)!, 'pdf-lib') || carries(bundles.get(name)!, 'notifications-node-client');
      expect(HEAVY_HANDLERS.has(name), name).toBe(heavy);
    }
  });

  it('keeps the AWS SDK in the bundle, all but its credentials chain and the event streams it would load lazily', () => {
    const getCase = bundles.get('api/getCase')!;
    expect(carries(getCase, '@aws-sdk/client-dynamodb')).toBe(true);
    expect(carries(getCase, '@aws-sdk/credential-provider-env')).toBe(true);
    for (const unused of [
      '@aws-sdk/credential-provider-node',
      '@aws-sdk/credential-provider-ini',
      '@aws-sdk/credential-provider-sso',
    ])
      expect(carries(getCase, unused), unused).toBe(false);
    expect(Object.keys(getCase.inputs).some((p) => p.includes('/submodules/event-streams/'))).toBe(false);
    // The client's version, for its user agent, without the rest of its package.json.
    const pkg = JSON.parse(
      readFileSync(join(PROJECT_ROOT, 'node_modules', '@aws-sdk', 'client-dynamodb', 'package.json'), 'utf8'),
    ) as { version: string; description: string };
    const code = codeOf(getCase);
    expect(code).toContain(JSON.stringify(pkg.version));
    expect(code).not.toContain(pkg.description);
    // DynamoDB's endpoint cache takes functions/adapters/clients/endpointLru.ts, not mnemonist's LRU.
    expect(carries(getCase, 'mnemonist')).toBe(false);
    expect(Object.keys(getCase.inputs)).toContain('functions/adapters/clients/endpointLru.ts');
  });

  it('calls Step Functions, S3, Cognito and EventBridge with signed requests, not their SDK clients', () => {
    const started = ['api/openCase', 'workflow/openApproval', 'workflow/continueExecution'];
    for (const name of started)
      expect(Object.keys(bundles.get(name)!.inputs), name).toContain('functions/adapters/clients/sfn.ts');
    const stored = ['api/getLetter', 'api/uploadReturn', 'scheduled/auditDigest', 'workflow/sendDisclosure'];
    for (const name of stored)
      expect(Object.keys(bundles.get(name)!.inputs), name).toContain('functions/adapters/clients/s3.ts');
    expect(Object.keys(bundles.get('api/transferOwner')!.inputs)).toContain('functions/adapters/clients/cognito.ts');
    for (const name of ['workflow/planArrestTrack', 'workflow/raiseArrestTasking'])
      expect(Object.keys(bundles.get(name)!.inputs), name).toContain('functions/adapters/clients/eventbridge.ts');
    for (const name of handlerNames)
      for (const client of [
        '@aws-sdk/client-sfn',
        '@aws-sdk/client-s3',
        '@aws-sdk/client-cognito-identity-provider',
        '@aws-sdk/client-eventbridge',
      ])
        expect(carries(bundles.get(name)!, client), `${name} carries ${client}`).toBe(false);
  });

  it("gives each API handler its own route's schemas, not every route's", () => {
    const bodySchemas = ['api', 'afterIdentification', 'requests'].map((m) => `functions/schemas/${m}.ts`);
    for (const [route, input] of Object.entries(routeInputs)) {
      const b = bundles.get(`api/${route}`);
      if (!b || 'body' in input || route === 'openapi') continue;
      // A route that takes no body parses no body schema: every GET route, health and the OpenAPI document aside.
      for (const module of bodySchemas)
        expect(Object.keys(b.inputs), `${route} carries ${module}`).not.toContain(module);
    }
    for (const name of ['api/health', 'api/getStats']) expect(carries(bundles.get(name)!, 'zod'), name).toBe(false);
  });

  it('gives each API handler its own entry of the route table, not every route with its summary', () => {
    const summaries = routeEntries.filter(([, r]) => r.summary.length > 20);
    for (const name of handlerNames.filter((n) => n.startsWith('api/') && n !== 'api/openapi')) {
      const code = codeOf(bundles.get(name)!);
      const own = name.slice('api/'.length);
      for (const [route, r] of summaries)
        if (route !== own)
          expect(code.includes(JSON.stringify(r.summary)), `${name} carries ${route}'s entry`).toBe(false);
    }
    const ownSummary = JSON.stringify(routes.recordVictimChoice.summary);
    expect(codeOf(bundles.get('api/recordVictimChoice')!)).toContain(ownSummary);
  });

  it('gives a handler of a schema module only the schemas it parses', () => {
    // Messages of schemas in functions/schemas/api.ts and common.ts, each carried by the route that parses it.
    const crimeReference = 'must be 3 to 30 capitals, digits';
    const postcode = 'must be a UK postcode';
    const code = (name: string) => codeOf(bundles.get(name)!);
    expect(code('api/openCase')).toContain(crimeReference);
    expect(code('api/updateContact')).toContain(postcode);
    for (const name of ['api/decideApproval', 'api/recordArrest', 'api/retryFault', 'api/closeCase']) {
      expect(code(name), `${name} carries the case's schema`).not.toContain(crimeReference);
      expect(code(name), `${name} carries the address schema`).not.toContain(postcode);
    }
  });

  it("marks pure only the calls that build a schema module's constants", () => {
    const source = [
      'z.config(en());',
      'export const A = z.strictObject({ a: text(10).check(z.refine((t) => parse(t).ok)) });',
      'export function f() { return z.string(); }',
    ].join('\n');
    expect(markSchemaCallsPure(source, 'x.ts', ts).split('\n')).toEqual([
      'z.config(en());',
      'export const A = /* @__PURE__ */ z.strictObject({ a: /* @__PURE__ */ text(10).check(/* @__PURE__ */ z.refine((t) => parse(t).ok)) });',
      'export function f() { return z.string(); }',
    ]);
    // A spread keeps a constant whatever its calls: its whole initializer is built in a pure call instead.
    const spread = [
      'const base = { caseId: id };',
      'export const E = z.object({ ...base, at: z.string() });',
      'export const L = z.enum([...NAMES]);',
    ].join('\n');
    expect(markSchemaCallsPure(spread, 'x.ts', ts).split('\n')).toEqual([
      'const base = { caseId: id };',
      'export const E = /* @__PURE__ */ (() => (z.object({ ...base, at: z.string() })))();',
      'export const L = /* @__PURE__ */ (() => (z.enum([...NAMES])))();',
    ]);
  });

  it("gives a workflow step its own event's schema, not every step's", () => {
    // OpenFaultEvent's state (functions/schemas/workflow.ts), built from the fields every waiting step shares.
    const faultState = '[A-Za-z]{1,80}';
    expect(codeOf(bundles.get('workflow/openFault')!)).toContain(faultState);
    for (const name of handlerNames.filter((n) => n.startsWith('workflow/') && n !== 'workflow/openFault'))
      expect(codeOf(bundles.get(name)!), `${name} carries openFault's event schema`).not.toContain(faultState);
  });

  it('imports at run time only what Node or the Powertools layer serves, and carries no logger, metrics or tracer', () => {
    for (const name of handlerNames) {
      const b = bundles.get(name)!;
      for (const path of b.external)
        expect(
          builtinModules.includes(path.replace(/^node:/, '')) || path === POWERTOOLS_MODULE,
          `${name} imports ${path}`,
        ).toBe(true);
      for (const pkg of LAYER_ONLY_PACKAGES) expect(carries(b, pkg), `${name} carries ${pkg}`).toBe(false);
    }
    expect(bundles.get('api/getCase')!.external).toContain(POWERTOOLS_MODULE);
  });

  it('loads zlib only when an IP log is packed or read, and packs and reads one so', async () => {
    for (const name of ['api/uploadReturn', 'api/chooseIspRequests', 'api/listIpLog'])
      expect(codeOf(bundles.get(name)!), name).not.toMatch(/from\s*"node:zlib"/);
    const probe = (await import(pathToFileURL(bundles.get(IP_LOG_PROBE)!.file).href)) as {
      packIpLog: (events: unknown[]) => Uint8Array;
      ipLogOf: (returned: { ipLog?: Uint8Array; ipEvents: unknown[] }) => unknown[];
    };
    const events = Array.from({ length: 3 }, (_, i) => ({ ip: `198.51.100.${i}`, at: '2026-11-01T08:30:00.000Z' }));
    const ipLog = probe.packIpLog(events);
    expect(ipLog.byteLength).toBeGreaterThan(0);
    expect(probe.ipLogOf({ ipLog, ipEvents: [] })).toEqual(events);
    expect(probe.ipLogOf({ ipEvents: events.slice(0, 1) })).toEqual(events.slice(0, 1));
  });

  it("loads no web streams at import for middy's streamed responses, which no handler sends", async () => {
    for (const name of handlerNames.filter((n) => !HEAVY_HANDLERS.has(n))) {
      const code = codeOf(bundles.get(name)!);
      expect(code, name).not.toMatch(/from\s*"node:stream\/(web|promises)"/);
    }
    const probe = (await import(pathToFileURL(bundles.get(MIDDY_PROBE)!.file).href)) as {
      run: (n: number) => Promise<number>;
    };
    await expect(probe.run(21)).resolves.toBe(42);
  });

  it("builds the layer's module with the logger, metrics, tracing and middlewares every handler imports", async () => {
    const nodeModules = join(workDir, 'layer', 'node_modules');
    await buildPowertoolsLayer(nodeModules);
    const layer = (await import(pathToFileURL(join(nodeModules, POWERTOOLS_MODULE, 'index.mjs')).href)) as Record<
      string,
      unknown
    >;
    const source = (await import('../../functions/powertools.js')) as Record<string, unknown>;
    expect(Object.keys(layer).sort()).toEqual(Object.keys(source).sort());
    expect(typeof layer.tracing).toBe('function');
    expect(typeof layer.injectLambdaContext).toBe('function');
  });

  it('resolves the layer by its package name from a handler bundle, as Lambda serves it from node_modules', async () => {
    // The layer beside the bundles, as the bench lays it out: the bundle names the package, never a path.
    const nodeModules = join(workDir, 'node_modules');
    await buildPowertoolsLayer(nodeModules);
    const health = bundles.get('api/health')!;
    expect(health.external).toContain(POWERTOOLS_MODULE);
    const loaded = (await import(pathToFileURL(health.file).href)) as { handler?: unknown };
    expect(typeof loaded.handler).toBe('function');
  });

  it("leaves out the tables a module builds at load where the handler uses none of that module's rules", () => {
    const code = (name: string) => codeOf(bundles.get(name)!);
    // The stages in their order (domain/stages.ts), behind RESUMABLE_STAGES and the stage schema.
    const stages = JSON.stringify(STAGES).slice(0, -1);
    // The safe times' words (domain/safeTimes.ts), behind the contact schema's check; the right-to-left runs of the
    // letter's lines (domain/printing.ts), behind its layout.
    const tables = [
      { what: 'the stages', text: stages, usedBy: 'workflow/continueExecution' },
      { what: 'the safe times', text: 'afternoons:', usedBy: 'api/updateContact' },
      { what: "a letter's right-to-left runs", text: 'Thaana', usedBy: 'workflow/sendDisclosure' },
    ];
    for (const { what, text, usedBy } of tables) {
      expect(code(usedBy), `${usedBy} carries ${what}`).toContain(text);
      for (const name of ['api/uploadReturn', 'api/proposeIdentification'])
        expect(code(name), `${name} carries ${what}`).not.toContain(text);
    }
  });

  it('gives a route that touches no case no database client', () => {
    for (const name of ['api/health', 'api/openapi']) {
      expect(carries(bundles.get(name)!, '@aws-sdk/client-dynamodb'), name).toBe(false);
      expect(bundles.get(name)!.bytes).toBeLessThanOrEqual(BUNDLE_LIMIT_BYTES);
    }
  });
});

describe('fonts in a bundle', () => {
  it('renders a letter with the letter font read from beside the bundle, and a document with the standard fonts', async () => {
    const probe = (await import(pathToFileURL(bundles.get(PDF_PROBE)!.file).href)) as {
      letter: () => Promise<Uint8Array>;
      document: () => Promise<Uint8Array>;
    };
    const letter = await probe.letter();
    expect(Buffer.from(letter).toString('latin1')).toMatch(/\/BaseFont \/DejaVuSans\b/);
    expect(pdfText(letter)).toContain('The person is Дмитрий Петров (also known as محمد عبد الله).');
    const fonts = join(dirname(bundles.get(PDF_PROBE)!.file), BUNDLED_FONT_DIR);
    expect(readdirSync(fonts).sort()).toEqual(['LICENSE', ...Object.values(LETTER_FONT_FILES)].sort());
    // The font files travel beside the bundle, not inside it as base64 ("wOFF" is d09GRg in base64).
    expect(codeOf(bundles.get('workflow/sendDisclosure')!, 'latin1')).not.toContain('d09GRg');
    const document = Buffer.from(await probe.document()).toString('latin1');
    expect(document.startsWith('%PDF-')).toBe(true);
    expect(document).toContain('/BaseFont /Helvetica');
    expect(document).toContain('/BaseFont /Courier');
  });

  it("draws a sending handler's letter, and a request's document, from a file beside the bundle, read when first drawn", async () => {
    const b = bundles.get(LETTER_ON_USE_PROBE)!;
    // Not compiled at load: pdf-lib and the letter's layout are in a chunk, in the bundle's own folder.
    expect(Object.keys(b.loadInputs).some((p) => p.includes('node_modules/pdf-lib/'))).toBe(false);
    expect(carries(b, 'pdf-lib')).toBe(true);
    expect(b.chunks.length).toBeGreaterThan(0);
    for (const chunk of b.chunks) expect(dirname(chunk)).toBe(dirname(b.file));
    const probe = (await import(pathToFileURL(b.file).href)) as {
      letter: () => Promise<Uint8Array>;
      document: () => Promise<Uint8Array>;
    };
    const letter = await probe.letter();
    expect(Buffer.from(letter).toString('latin1')).toMatch(/\/BaseFont \/DejaVuSans\b/);
    expect(pdfText(letter)).toContain('The person is Дмитрий Петров (also known as محمد عبد الله).');
    // A request document, as getRequestDocument draws it: the standard fonts' metrics read from beside the bundle.
    const document = Buffer.from(await probe.document());
    expect(document.toString('latin1')).toContain('/BaseFont /Courier');
  });

  it('gives every handler that draws or sends, and only those, what it uses on some calls in files beside it', () => {
    const senders = ['notifications-node-client', '@aws-lambda-powertools/idempotency'];
    const lazily = { 'workflow/sendDisclosure': ['pdf-lib', ...senders] } as Record<string, string[]>;
    lazily['workflow/closeWithoutSuspect'] = lazily['workflow/sendDisclosure']!;
    lazily['workflow/notifyVictim'] = senders;
    lazily['api/getRequestDocument'] = ['pdf-lib'];
    for (const name of handlerNames) {
      const b = bundles.get(name)!;
      expect(b.chunks.length > 0, `${name} has chunks`).toBe(HEAVY_HANDLERS.has(name));
      for (const pkg of lazily[name] ?? []) {
        expect(carries(b, pkg), `${name} carries ${pkg}`).toBe(true);
        expect(
          Object.keys(b.loadInputs).some((p) => p.includes(`node_modules/${pkg}/`)),
          `${name} compiles ${pkg} at load`,
        ).toBe(false);
      }
      // Its size counts every file it ships; what a cold start reads, its file and the chunks that file imports.
      const files = [b.file, ...b.chunks];
      expect(b.bytes).toBe(files.reduce((n, f) => n + readFileSync(f).length, 0));
      if (HEAVY_HANDLERS.has(name)) expect(b.loadBytes, name).toBeLessThan(b.bytes);
      else expect(b.loadBytes, name).toBe(b.bytes);
    }
  });

  it('gives a split handler few files to read at a cold start: notifyVictim its own and two beside it, none more than four', () => {
    // Each file a cold start reads costs its import as much as some kilobytes of code (issue 18, npm run bench).
    const atLoad = (file: string, seen = new Set<string>()): Set<string> => {
      seen.add(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*"(\.\/[^"]+\.mjs)"/g)) {
        const next = join(dirname(file), m[1]!);
        if (!seen.has(next)) atLoad(next, seen);
      }
      return seen;
    };
    expect(atLoad(bundles.get('workflow/notifyVictim')!.file).size).toBeLessThanOrEqual(3);
    for (const name of HEAVY_HANDLERS) expect(atLoad(bundles.get(name)!.file).size, name).toBeLessThanOrEqual(4);
  });

  it('loads Powertools idempotency, with its DynamoDB store, from its files beside the bundle when first sending', async () => {
    const b = bundles.get(IDEMPOTENCY_PROBE)!;
    expect(b.chunks.length).toBeGreaterThan(0);
    expect(Object.keys(b.loadInputs).some((p) => p.includes('/@aws-lambda-powertools/idempotency/'))).toBe(false);
    // The layer's module beside the bundles, as Lambda serves it from /opt/nodejs/node_modules.
    await buildPowertoolsLayer(join(workDir, 'out', 'node_modules'));
    const probe = (await import(pathToFileURL(b.file).href)) as {
      idempotency: () => Promise<Record<string, unknown>>;
    };
    const loaded = await probe.idempotency();
    for (const name of [
      'IdempotencyAlreadyInProgressError',
      'IdempotencyConfig',
      'makeIdempotent',
      'DynamoDBPersistenceLayer',
    ])
      expect(typeof loaded[name], name).toBe('function');
  });

  const LETTER_DRAWERS = ['workflow/sendDisclosure', 'workflow/closeWithoutSuspect'];
  it('lays the letter out without fontkit, and gives only the handlers that draw a letter the font files', () => {
    for (const name of handlerNames) {
      expect(carries(bundles.get(name)!, 'fontkit'), name).toBe(false);
      expect(Object.keys(bundles.get(name)!.inputs).includes('functions/adapters/letterShaping.ts'), name).toBe(
        LETTER_DRAWERS.includes(name),
      );
      const fonts = join(dirname(bundles.get(name)!.file), BUNDLED_FONT_DIR);
      if (LETTER_DRAWERS.includes(name)) expect(readdirSync(fonts), name).toContain(LETTER_FONT_FILES.regular);
    }
  });

  it("draws PDFs on Node's zlib, without pako or a PNG decoder", () => {
    for (const name of [...HEAVY_HANDLERS, PDF_PROBE]) {
      const b = bundles.get(name)!;
      expect(carries(b, 'pako'), name).toBe(false);
      expect(carries(b, '@pdf-lib/upng'), name).toBe(false);
    }
    expect(Object.keys(bundles.get(PDF_PROBE)!.inputs)).toContain('functions/adapters/pdfDeflate.ts');
  });

  it("builds the standard fonts' encodings when a document first asks for one, not when the bundle loads", () => {
    // Every inflate goes through Node's zlib (pdfDeflate.ts): count them at import and after drawing a document.
    const counted = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        [
          "import zlib from 'node:zlib'; import { syncBuiltinESMExports } from 'node:module';",
          'let n = 0; const inflate = zlib.inflateSync; zlib.inflateSync = (...a) => { n += 1; return inflate(...a); }; syncBuiltinESMExports();',
          'const probe = await import(process.argv[1]); const atImport = n; await probe.document();',
          'process.stdout.write(JSON.stringify([atImport, n]));',
        ].join(' '),
        bundles.get(PDF_PROBE)!.file,
      ],
      { encoding: 'utf8' },
    );
    const [atImport, afterDocument] = JSON.parse(counted) as [number, number];
    expect(atImport).toBe(0);
    expect(afterDocument).toBeGreaterThan(0);
  });

  it("carries none of pdf-lib's forms, annotations or parser: using them fails loudly", async () => {
    const probe = (await import(pathToFileURL(bundles.get(PDF_PROBE)!.file).href)) as {
      form: () => Promise<unknown>;
      read: () => Promise<unknown>;
    };
    await expect(probe.form()).rejects.toThrow(/pdf-lib's core.acroform.PDFAcroForm.js is not bundled/);
    await expect(probe.read()).rejects.toThrow(/pdf-lib's core.parser.PDFParser.js is not bundled/);
  });

  it('carries neither its stream decoders, image embedders, page copier nor object streams: using them fails loudly', async () => {
    // Each such module is a stub of a few hundred bytes, or left out.
    const { inputs } = bundles.get(PDF_PROBE)!;
    for (const left of ['core/streams/FlateStream.js', 'api/svgPath.js', 'core/interactive/ViewerPreferences.js'])
      expect(inputs[`node_modules/pdf-lib/es/${left}`]?.bytesInOutput ?? 0, left).toBeLessThan(500);
    const probe = (await import(pathToFileURL(bundles.get(PDF_PROBE)!.file).href)) as {
      image: () => Promise<unknown>;
      objectStreams: () => Promise<unknown>;
    };
    await expect(probe.image()).rejects.toThrow(/pdf-lib's core.embedders.JpegEmbedder.js is not bundled/);
    await expect(probe.objectStreams()).rejects.toThrow(/pdf-lib's core.writers.PDFStreamWriter.js is not bundled/);
  });

  it('carries no other font metrics, and a font not listed fails loudly', async () => {
    const inputs = Object.keys(bundles.get(PDF_PROBE)!.inputs).filter((p) => p.endsWith('.compressed.json'));
    expect(inputs.map((p) => p.split('/').pop())).toEqual(['all-encodings.compressed.json']);
    // The metrics of the fonts drawn with travel beside the bundle, read when a document first draws with one.
    const metrics = ['Courier.compressed.json', 'Helvetica-Bold.compressed.json', 'Helvetica.compressed.json'];
    const beside = join(dirname(bundles.get(PDF_PROBE)!.file), 'pdf-fonts');
    expect(readdirSync(beside).sort()).toEqual(metrics);
    const helvetica = JSON.parse(readFileSync(join(beside, 'Helvetica.compressed.json'), 'utf8')) as string;
    for (const name of [PDF_PROBE, 'workflow/sendDisclosure', 'api/getRequestDocument'])
      expect(codeOf(bundles.get(name)!), name).not.toContain(helvetica.slice(0, 64));
    const odd = (await import(pathToFileURL(bundles.get(ODD_FONT_PROBE)!.file).href)) as {
      embed: () => Promise<unknown>;
    };
    await expect(odd.embed()).rejects.toThrow(/Times-Roman font is not bundled/);
  });
});

describe('the Notify client in a bundle', () => {
  const SENDERS = ['workflow/notifyVictim', 'workflow/sendDisclosure', 'workflow/closeWithoutSuspect'];

  it('sends through its REST client on fetch, and a Notify failure keeps its status and kind', async () => {
    const outboxDir = join(workDir, 'notify-outbox');
    const smsTemplateId = randomUUID();
    const standIn = await startNotifyStandIn({
      port: 0,
      outboxDir,
      serviceId: randomUUID(),
      secret: randomUUID(),
      smsTemplateId,
    });
    try {
      const probe = (await import(pathToFileURL(bundles.get(NOTIFY_PROBE)!.file).href)) as {
        notifier: (baseUrl: string, apiKey: string, smsTemplateId: string) => Notifier;
      };
      const notifier = probe.notifier(standIn.url, standIn.apiKey, smsTemplateId);
      const sent = await notifier.sendSms({ to: '+447700900123', body: 'A message', reference: 'bundle-probe-1' });
      expect(sent.id).toMatch(/^[0-9a-f-]{36}$/);
      const sms = readFileSync(join(outboxDir, 'sms.jsonl'), 'utf8').trim().split('\n');
      expect(sms.map((l) => (JSON.parse(l) as { reference?: string }).reference)).toEqual(['bundle-probe-1']);
      expect(await notifier.findSent('bundle-probe-1', 'sms')).toEqual({ id: sent.id });
      standIn.failNext(429, 1);
      await expect(
        notifier.sendSms({ to: '+447700900123', body: 'A message', reference: 'bundle-probe-2' }),
      ).rejects.toMatchObject({ name: 'NotifyError', kind: 'transient', status: 429 });
    } finally {
      await standIn.close();
    }
  });

  it('carries neither semver nor axios (nor what axios brings), and loads no fetch implementation at import', () => {
    for (const name of SENDERS) {
      const b = bundles.get(name)!;
      expect(carries(b, 'notifications-node-client'), name).toBe(true);
      expect(carries(b, 'semver'), name).toBe(false);
      expect(Object.keys(b.inputs), name).toContain('functions/adapters/semverSatisfies.ts');
      for (const pkg of ['axios', 'follow-redirects', 'form-data', 'mime-db', 'proxy-from-env'])
        expect(carries(b, pkg), `${name} carries ${pkg}`).toBe(false);
    }
    // Node loads undici (its fetch) the first time fetch, Request, Response or FormData is read.
    const loaded = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        'await import(process.argv[1]); process.stdout.write(JSON.stringify(process.moduleLoadList.filter((m) => m.includes("undici"))));',
        bundles.get(NOTIFY_PROBE)!.file,
      ],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(loaded)).toEqual([]);
  });
});

describe('the DynamoDB client in a bundle', () => {
  const commandsOf = (b: BuiltBundle) =>
    Object.entries(b.inputs)
      .filter(([p, { bytesInOutput }]) => bytesInOutput > 0 && p.includes('/client-dynamodb/dist-es/commands/'))
      .map(([p]) => /(\w+)Command\.js$/.exec(p)![1]!);

  it('calls only the operations whose errors it registers', () => {
    const called = new Set(handlerNames.flatMap((name) => commandsOf(bundles.get(name)!)));
    expect(called.size).toBeGreaterThan(3);
    for (const op of called) expect(DYNAMODB_OPERATIONS, `${op}: add it to DYNAMODB_OPERATIONS`).toContain(op);
    const thrown = dynamoDbErrorsThrown();
    expect(thrown).toContain('ConditionalCheckFailedException');
    expect(thrown).toContain('ProvisionedThroughputExceededException');
    // The error classes a bundle carries (their names as they construct themselves): those of its operations only.
    const code = codeOf(bundles.get('api/getCase')!);
    const classes = [...code.matchAll(/name="(\w+)";\$fault=/g)].map((m) => m[1]!);
    expect(classes).toContain('ConditionalCheckFailedException');
    for (const error of classes) expect(thrown, error).toContain(error);
  });

  it('carries the shapes of the operations it calls and of the errors it registers, no others', () => {
    const schemas = readFileSync(
      join(PROJECT_ROOT, 'node_modules', '@aws-sdk', 'client-dynamodb', 'dist-es', 'schemas', 'schemas_0.js'),
      'utf8',
    );
    const errors = [...schemas.matchAll(/registerError\((\w+)\$, \w+\)/g)].map((m) => m[1]!);
    const unregistered = errors.filter((e) => !dynamoDbErrorsThrown().has(e) && e !== 'DynamoDBServiceException');
    expect(unregistered).toContain('BackupInUseException');
    let checked = 0;
    for (const name of handlerNames) {
      const b = bundles.get(name)!;
      if (!carries(b, '@aws-sdk/client-dynamodb')) continue;
      checked += 1;
      const code = codeOf(b);
      const called = commandsOf(b);
      // The input shape of an operation is named in the bundle only when the operation is (DescribeEndpoints's is a Request).
      const operations = DYNAMODB_OPERATIONS.filter((op) => op !== 'DescribeEndpoints');
      for (const op of [...operations, 'CreateTable', 'ExecuteStatement', 'TransactWriteItems'])
        expect(code.includes(`"${op}Input"`), `${name}: ${op}Input`).toBe(called.includes(op));
      // An error's schema names it in a constant of its own (the retry rules list some throttling errors by name).
      for (const error of unregistered) expect(code.includes(`="${error}"`), `${name}: ${error}`).toBe(false);
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('fails the build when a schema of the DynamoDB client has a computed key it cannot read', () => {
    const source = [
      'const _e = "error";',
      'const _c = "client";',
      'export var A$ = [-3, n0, _A, { [_e]: _c }, [_m], [64 | 0, 128 | 1]];',
    ].join('\n');
    expect(dynamoDbSchemasTreeShakable(source).split('\n')[2]).toBe(
      'export var A$ = [-3, n0, _A, { ["error"]: _c }, [_m], [64, 129]];',
    );
    expect(() => dynamoDbSchemasTreeShakable(`${source}\nexport var B$ = [3, n0, _B, { [_x]: 1 }];`)).toThrow(
      /\[_x\] is no string constant/,
    );
  });

  it('retries in standard mode, and carries no adaptive mode: a client that asks for it fails, saying why', async () => {
    for (const name of handlerNames)
      expect(
        Object.keys(bundles.get(name)!.inputs).some((p) => p.endsWith('/DefaultRateLimiter.js')),
        `${name} carries the adaptive mode's rate limiter`,
      ).toBe(false);
    const probe = (await import(pathToFileURL(bundles.get(DYNAMO_PROBE)!.file).href)) as {
      put: (endpoint: string, maxAttempts?: number) => Promise<unknown>;
      retryMode: (mode?: string) => Promise<string>;
    };
    expect(await probe.retryMode('standard')).toBe('standard');
    expect(await probe.retryMode('adaptive')).toMatch(/adaptive retry mode is not bundled/);
    // A throttled or failed call is still tried again, in the standard mode's way.
    let requests = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        requests += 1;
        const failing = requests === 1;
        res.writeHead(failing ? 500 : 200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify(
            failing ? { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'probe' } : {},
          ),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      expect(await probe.put(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 3)).toBe('written');
      expect(requests).toBe(2);
    } finally {
      server.close();
    }
  });

  it("resolves a region's partition and endpoint as the SDK does, without the regions' descriptions", async () => {
    const sdk = new DynamoDBClient({ region: 'eu-west-2', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const probe = (await import(pathToFileURL(bundles.get(DYNAMO_PROBE)!.file).href)) as {
      endpoint: (params: Record<string, unknown>) => string;
      partition: typeof partition;
    };
    const outcome = (resolve: () => string) => {
      try {
        return resolve();
      } catch (e) {
        return `refused: ${(e as Error).message}`;
      }
    };
    const regions = ['eu-west-2', 'us-east-1', 'cn-north-1', 'us-gov-west-1', 'us-iso-east-1', 'us-isob-east-1'];
    for (const region of [...regions, 'eu-isoe-west-1', 'us-isof-south-1', 'eusc-de-east-1', 'xx-nowhere-1']) {
      const { description, ...outputs } = partition(region) as ReturnType<typeof partition> & { description?: string };
      expect(probe.partition(region), region).toEqual(outputs);
      if (regions.includes(region)) expect(description, region).toEqual(expect.any(String));
      for (const UseFIPS of [false, true])
        for (const UseDualStack of [false, true]) {
          const params = { Region: region, UseFIPS, UseDualStack };
          expect(
            outcome(() => probe.endpoint(params)),
            JSON.stringify(params),
          ).toBe(outcome(() => sdk.config.endpointProvider(params).url.href));
        }
    }
    expect(codeOf(bundles.get('api/getCase')!)).not.toContain('Europe (London)');
  });

  it('answers an error of its operations with its class, and one it does not register as a service error by name', async () => {
    let answer = { type: '', status: 400 };
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${answer.type}`, message: 'probe' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const probe = (await import(pathToFileURL(bundles.get(DYNAMO_PROBE)!.file).href)) as {
        put: (endpoint: string) => Promise<unknown>;
      };
      answer = { type: 'ConditionalCheckFailedException', status: 400 };
      expect(await probe.put(endpoint)).toEqual({
        name: 'ConditionalCheckFailedException',
        message: 'probe',
        fault: 'client',
        conditional: true,
        service: true,
      });
      answer = { type: 'BackupInUseException', status: 400 };
      expect(await probe.put(endpoint)).toEqual({
        name: 'BackupInUseException',
        message: 'probe',
        fault: 'client',
        conditional: false,
        service: true,
      });
    } finally {
      server.close();
    }
  });
});
