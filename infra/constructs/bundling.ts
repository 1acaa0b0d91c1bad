import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import {
  BUNDLED_FONT_DIR,
  LETTER_FONT_DIR_IN_PACKAGE,
  LETTER_FONT_FILES,
  LETTER_FONT_PACKAGE,
  PDF_FONTS,
} from '../../functions/adapters/pdfFonts.js';
import { PROJECT_ROOT } from '../project.js';

/**
 * How every handler is bundled: the one set of esbuild options that the CDK
 * (infra/constructs/function.ts), the bundle size test and `npm run bench`
 * all build with.
 */

/** api: a route; workflow: a state machine's step; scheduled: run on a timetable; events: a platform event's delivery (EventBridge). */
export type HandlerKind = 'api' | 'workflow' | 'scheduled' | 'events';

/** Each handler is functions/handlers/<kind>/<name>.ts and exports `handler`. */
export const handlerEntry = (kind: HandlerKind, name: string) =>
  join(PROJECT_ROOT, 'functions', 'handlers', kind, `${name}.ts`);

export const HANDLER_KINDS: readonly HandlerKind[] = ['api', 'workflow', 'scheduled', 'events'];

/** Every handler in functions/handlers, as `<kind>/<name>` to its entry file. */
export function allHandlers(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kind of HANDLER_KINDS)
    for (const file of readdirSync(join(PROJECT_ROOT, 'functions', 'handlers', kind)).sort())
      if (file.endsWith('.ts')) out[`${kind}/${file.slice(0, -3)}`] = handlerEntry(kind, file.slice(0, -3));
  return out;
}

/** A handler bundle's limit in bytes (the JavaScript file; its source map is shipped beside it). */
export const BUNDLE_LIMIT_BYTES = 250_000;
/** The limit of a handler that renders a PDF (pdf-lib) or sends through GOV.UK Notify (its client). */
export const HEAVY_BUNDLE_LIMIT_BYTES = 600_000;
/** The handlers that render a PDF or call Notify, as `<kind>/<name>`; the bundle test checks each really does. */
export const HEAVY_HANDLERS: ReadonlySet<string> = new Set([
  'api/getRequestDocument',
  'workflow/notifyVictim',
  'workflow/sendDisclosure',
  // Closing without a suspect: the letter, or the SMS, telling the victim the account could not be traced.
  'workflow/closeWithoutSuspect',
]);
/** The limit of a handler named `<kind>/<name>`. */
export const bundleLimit = (handler: string) =>
  HEAVY_HANDLERS.has(handler) ? HEAVY_BUNDLE_LIMIT_BYTES : BUNDLE_LIMIT_BYTES;

/*
 * Every handler is within its limit (issue 18, since 2026-12-01): the bundle
 * test fails when one crosses it. What a bundle weighs, measured with
 * esbuild's metafile (`npm run bench` lists each bundle's heaviest packages):
 * - the AWS SDK: the DynamoDB client and its marshalling, about 170 kB
 *   (the bare handler, bench/bare.ts, adds the document client), most of
 *   it the protocol code under @smithy/core (about 95 kB), without the
 *   default credentials chain (lambdaCredentials.ts), mnemonist's LRU
 *   (endpointCacheLru), the errors and shapes of operations no function
 *   calls (dynamoDbErrorsOfItsOperations, dynamoDbSchemasTreeShakable), a
 *   SHA-256 in JavaScript (noJavaScriptSha256), the adaptive retry mode
 *   (standardRetryOnly) or the regions' descriptions
 *   (partitionsWithoutDescriptions). Powertools is not in any bundle (the
 *   layer serves it, see POWERTOOLS_MODULE) nor the Secrets Manager client
 *   (the secrets extension serves the keys, functions/adapters/secrets.ts).
 *   Step Functions, S3, Cognito and EventBridge are no SDK clients: their
 *   few calls are signed requests (functions/adapters/clients/sfn.ts,
 *   s3.ts, cognito.ts, eventbridge.ts);
 * - zod/mini, 20 to 32 kB: each handler carries only its own route's
 *   schemas (functions/routeInputs.ts), and of a schema module only the
 *   schemas it parses (markSchemaCallsPure);
 * - the product's own code, 15 to 40 kB: its own route of the table, the
 *   domain rules a handler applies, the audit trail and its digest, the
 *   sealed cursors of the lists and the timeline, each write keeping the
 *   case's summary and the lists' versions; a table a module builds at load
 *   is built in a pure call, left out where unused;
 * - sendDisclosure and closeWithoutSuspect draw the letter (pdf-lib, about
 *   125 kB on Node's zlib without its PNG decoder, forms, annotations,
 *   parser or other unused parts, the standard fonts' metrics and the
 *   letter's font files beside the bundle; names in any script laid out by
 *   functions/adapters/letterShaping.ts) and send it (the Notify client
 *   with jsonwebtoken, through its REST client on fetch, not axios);
 *   getRequestDocument draws a document: all three within their 600 kB.
 */

/** ESM bundles of CommonJS dependencies call require(); without this they fail at run time with "Dynamic require of ... is not supported". */
const BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

const STANDARD_FONTS_DIR = `${sep}@pdf-lib${sep}standard-fonts${sep}`;
const USED_FONTS: ReadonlySet<string> = new Set(Object.values(PDF_FONTS));

/**
 * pdf-lib's standard fonts package imports the metrics of all 14 standard
 * fonts; the product draws with the few in PDF_FONTS. Those travel beside
 * the bundle, in `pdf-fonts/` (copyStandardFontMetrics), read the first
 * time a document draws with the font: about 40 kB less to parse at every
 * cold start, and a letter never reads them. Any other font's metrics
 * become a value that fails loudly the moment pdf-lib reads it.
 */
const STANDARD_FONT_METRICS_DIR = 'pdf-fonts';
const FONT_LOAD_AT = 'var json = decompressJson(compressedJsonForFontName[fontName]);';
const FONT_LOAD_BESIDE = `var compressed = compressedJsonForFontName[fontName];
        if (compressed && compressed.besideTheBundle)
            compressed = JSON.parse(readMetrics(new URL('./${STANDARD_FONT_METRICS_DIR}/' + compressed.besideTheBundle, import.meta.url), 'utf8'));
        var json = decompressJson(compressed);`;
const usedStandardFontsOnly: Plugin = {
  name: 'used-standard-fonts-only',
  setup(b) {
    b.onResolve({ filter: /\.compressed\.json$/ }, (args) => {
      if (!args.importer.includes(STANDARD_FONTS_DIR)) return undefined;
      const font = basename(args.path, '.compressed.json');
      if (font === 'all-encodings') return undefined;
      if (USED_FONTS.has(font)) return { path: font, namespace: 'standard-font-beside' };
      return { path: font, namespace: 'unused-standard-font' };
    });
    b.onLoad({ filter: /.*/, namespace: 'standard-font-beside' }, (args) => ({
      loader: 'js',
      contents: `export default { besideTheBundle: ${JSON.stringify(`${args.path}.compressed.json`)} };`,
    }));
    b.onLoad({ filter: /[\\/]@pdf-lib[\\/]standard-fonts[\\/]es[\\/]Font\.js$/ }, (args) => {
      const contents = readFileSync(args.path, 'utf8');
      if (!contents.includes(FONT_LOAD_AT))
        throw new Error(`${args.path} no longer reads metrics as usedStandardFontsOnly expects`);
      return {
        loader: 'js',
        contents: `import { readFileSync as readMetrics } from 'node:fs';\n${contents.replace(FONT_LOAD_AT, FONT_LOAD_BESIDE)}`,
      };
    });
    b.onLoad({ filter: /.*/, namespace: 'unused-standard-font' }, (args) => ({
      loader: 'js',
      contents: `export default { get length() { throw new Error(${JSON.stringify(
        `the ${args.path} font is not bundled: add it to PDF_FONTS (functions/adapters/pdfFonts.ts)`,
      )}); } };`,
    }));
  },
};

/**
 * The Notify client imports axios (with follow-redirects, form-data, mime-db
 * and proxy-from-env, about 95 kB) as the REST client it sends through
 * unless given another (`setClient`); it is given one, on Node's fetch
 * (functions/adapters/notify.ts `restClient`), before it sends anything. So
 * the client's `axios` is a module whose default export fails, saying why,
 * if it is ever called.
 */
const notifyClientWithoutAxios: Plugin = {
  name: 'notify-client-without-axios',
  setup(b) {
    b.onResolve({ filter: /^axios$/ }, (args) =>
      args.importer.includes(`${sep}notifications-node-client${sep}`)
        ? { path: 'axios', namespace: 'notify-client-without-axios' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'notify-client-without-axios' }, () => ({
      loader: 'js',
      contents: `export default () => { throw new Error('axios is not bundled (infra/constructs/bundling.ts): the Notify client sends through the REST client functions/adapters/notify.ts gives it'); };`,
    }));
  },
};

/**
 * Powertools idempotency asks its JMESPath engine only to `search` for the
 * key of a send (`reference`): it gets functions/adapters/jmespathFields.ts,
 * that search for fields joined by dots, failing on any other expression,
 * not @aws-lambda-powertools/jmespath (about 23 kB, its lexer, parser and
 * function table built at every cold start of a function that sends).
 */
const jmespathFieldsOnly: Plugin = {
  name: 'jmespath-fields-only',
  setup(b) {
    b.onResolve({ filter: /^@aws-lambda-powertools\/jmespath(\/functions)?$/ }, (args) =>
      args.importer.includes(`${sep}@aws-lambda-powertools${sep}idempotency${sep}`)
        ? { path: join(PROJECT_ROOT, 'functions', 'adapters', 'jmespathFields.ts') }
        : undefined,
    );
  },
};

/**
 * jsonwebtoken (the Notify client signs its requests with it) asks semver
 * only `satisfies(process.version, ...)`, three times at load: it gets
 * functions/adapters/semverSatisfies.ts, that function for the ranges it
 * asks about, not semver (about 20 kB, and some forty regular expressions
 * compiled at every cold start).
 */
const semverSatisfiesOnly: Plugin = {
  name: 'semver-satisfies-only',
  setup(b) {
    b.onResolve({ filter: /^semver$/ }, (args) =>
      args.importer.includes(`${sep}jsonwebtoken${sep}`)
        ? { path: join(PROJECT_ROOT, 'functions', 'adapters', 'semverSatisfies.ts') }
        : undefined,
    );
  },
};

/**
 * pdf-lib's standard fonts inflate and parse their three encodings (Symbol,
 * ZapfDingbats, WinAnsi: every code point each can print) when the bundle
 * is loaded, about 10 ms of every cold start, though a letter uses none of
 * them. Here each encoding is built the first time it is asked for, and the
 * same object every time after (pdf-lib compares them by identity). The
 * exact text replaced is checked: another version fails the build, saying
 * where.
 */
const STANDARD_FONT_ENCODINGS = join('@pdf-lib', 'standard-fonts', 'es', 'Encoding.js');
const ENCODINGS_AT_LOAD = [
  [
    'var decompressedEncodings = decompressJson(AllEncodingsCompressed);\nvar allUnicodeMappings = JSON.parse(decompressedEncodings);\n',
    'var allUnicodeMappingsRead;\nvar allUnicodeMappings = function () { return (allUnicodeMappingsRead = allUnicodeMappingsRead || JSON.parse(decompressJson(AllEncodingsCompressed))); };\n',
  ],
  [
    "export var Encodings = {\n    Symbol: new Encoding('Symbol', allUnicodeMappings.symbol),\n    ZapfDingbats: new Encoding('ZapfDingbats', allUnicodeMappings.zapfdingbats),\n    WinAnsi: new Encoding('WinAnsi', allUnicodeMappings.win1252),\n};",
    "var built = {};\nvar encoding = function (name, key) { return (built[name] = built[name] || new Encoding(name, allUnicodeMappings()[key])); };\nexport var Encodings = {\n    get Symbol() { return encoding('Symbol', 'symbol'); },\n    get ZapfDingbats() { return encoding('ZapfDingbats', 'zapfdingbats'); },\n    get WinAnsi() { return encoding('WinAnsi', 'win1252'); },\n};",
  ],
] as const;
const standardFontEncodingsOnUse: Plugin = {
  name: 'standard-font-encodings-on-use',
  setup(b) {
    b.onLoad({ filter: /[\\/]@pdf-lib[\\/]standard-fonts[\\/]es[\\/]Encoding\.js$/ }, (args) => {
      let contents = readFileSync(args.path, 'utf8');
      for (const [from, to] of ENCODINGS_AT_LOAD) {
        if (!contents.includes(from))
          throw new Error(
            `${STANDARD_FONT_ENCODINGS} no longer builds its encodings as infra/constructs/bundling.ts expects: check standardFontEncodingsOnUse`,
          );
        contents = contents.replace(from, to);
      }
      return { loader: 'js', contents };
    });
  },
};

/**
 * Every AWS SDK client loads its event stream support with `import()` the
 * first time an operation streams events (S3 Select, Kinesis and the like):
 * no handler calls one, and an esbuild bundle carries what `import()` names
 * (15 kB). Such an import gets a module that fails, saying why. A client that
 * imports the support at load (S3) still bundles it.
 */
const noLazyEventStreams: Plugin = {
  name: 'no-lazy-event-streams',
  setup(b) {
    b.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, namespace: 'no-lazy-event-streams' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'no-lazy-event-streams' }, () => ({
      loader: 'js',
      contents: `throw new Error('AWS SDK event streams are not bundled (infra/constructs/bundling.ts): no handler is meant to call an operation that streams events');`,
    }));
  },
};

/**
 * The DynamoDB operations the functions call: functions/adapters/clients/dynamo.ts's, Powertools' idempotency
 * store's (GetItem, PutItem, UpdateItem, DeleteItem), and DescribeEndpoints, which the client calls itself when
 * endpoint discovery is switched on. The bundle test fails when a bundle carries another.
 */
export const DYNAMODB_OPERATIONS: readonly string[] = [
  'BatchGetItem',
  'DeleteItem',
  'DescribeEndpoints',
  'GetItem',
  'PutItem',
  'Query',
  'Scan',
  'UpdateItem',
];
const DYNAMODB_CLIENT = join(PROJECT_ROOT, 'node_modules', '@aws-sdk', 'client-dynamodb');

/** The errors DynamoDB documents for the operations the functions call: each operation's `@throws`, in its command's types. */
export function dynamoDbErrorsThrown(operations: readonly string[] = DYNAMODB_OPERATIONS): Set<string> {
  const names = new Set<string>();
  for (const op of operations) {
    const types = readFileSync(join(DYNAMODB_CLIENT, 'dist-types', 'commands', `${op}Command.d.ts`), 'utf8');
    for (const m of types.matchAll(/@throws \{@link (\w+)\}/g)) names.add(m[1]!);
  }
  return names;
}

/**
 * The DynamoDB client registers all 35 of its service's errors when it is
 * loaded (a class and a schema each, about 9 kB), so that an error answer
 * becomes its class. The functions' operations can be answered with 10 of
 * them (dynamoDbErrorsThrown): the backups', exports', imports', global
 * tables' and transactions' errors are not registered, and are left out.
 * Were one ever answered, it would come as the client's DynamoDBServiceException
 * with the error's name, as any error the client does not know does. The
 * exact text replaced is checked: another version fails the build, saying where.
 */
const REGISTER_ERROR = /^n0_registry\.registerError\((\w+)\$, (\w+)\);$/gm;

/**
 * esbuild keeps every top-level constant whose value it cannot prove free of
 * effects, used or not, and the DynamoDB client's schemas (an array a shape,
 * some 350) hold two such things: a list's or map's type written `64 | 0`
 * (a `|` may call an object's `valueOf`) and an error's traits with
 * computed keys, `{ [_e]: _c }` (a computed key may call `toString`). So
 * the shapes of every operation and error no function uses stayed in every
 * bundle (about 5 kB). Here each `a | b` of two integers becomes its value
 * and each computed key that is a string constant of the file becomes that
 * string: the same values, which esbuild can drop where nothing reads them.
 * A computed key that is not such a constant fails the build, saying where.
 */
export function dynamoDbSchemasTreeShakable(source: string, file = 'schemas_0.js'): string {
  const strings = new Map([...source.matchAll(/^const (_\w+) = ("[^"\\]*");$/gm)].map((m) => [m[1]!, m[2]!]));
  return source
    .replace(/\b(\d+) \| (\d+)\b/g, (_, a: string, b: string) => String(Number(a) | Number(b)))
    .replace(/\[(_\w+)\]:/g, (_, name: string) => {
      const value = strings.get(name);
      if (value === undefined)
        throw new Error(
          `${file}: the computed key [${name}] is no string constant of the file, as dynamoDbSchemasTreeShakable (infra/constructs/bundling.ts) expects`,
        );
      return `[${value}]:`;
    });
}

const dynamoDbErrorsOfItsOperations: Plugin = {
  name: 'dynamodb-errors-of-its-operations',
  setup(b) {
    b.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-dynamodb[\\/]dist-es[\\/]schemas[\\/]schemas_0\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const thrown = dynamoDbErrorsThrown();
      const registered = [...source.matchAll(REGISTER_ERROR)].map((m) => m[2]!);
      const missing = [...thrown].filter((e) => e !== 'DynamoDBServiceException' && !registered.includes(e));
      if (registered.length < 20 || missing.length)
        throw new Error(
          `${args.path} no longer registers the DynamoDB errors as dynamoDbErrorsOfItsOperations (infra/constructs/bundling.ts) expects${missing.length ? `: ${missing.join(', ')} not found` : ''}`,
        );
      return {
        loader: 'js',
        contents: dynamoDbSchemasTreeShakable(
          source.replace(REGISTER_ERROR, (line, _schema, name: string) => (thrown.has(name) ? line : '')),
          args.path,
        ),
      };
    });
  },
};

/** In place of a module that defines one class: a class of that name that fails, saying why, when constructed. */
const failingClass = (name: string, filter: RegExp, className: string, why: string): Plugin => ({
  name,
  setup(b) {
    b.onLoad({ filter }, () => ({
      loader: 'js',
      contents: `export class ${className} { constructor() { throw new Error(${JSON.stringify(why)}); } }`,
    }));
  },
});

/**
 * The SDK hashes (request signing, checksums) with Node's crypto: its
 * SHA-256 in JavaScript (@smithy/core's Sha256Js, 3.3 kB) is the fallback
 * for a Node without one, which Lambda's is not. It becomes a class that
 * fails, saying why, if a Node without crypto's SHA-256 ever constructs it.
 */
const noJavaScriptSha256 = failingClass(
  'no-javascript-sha256',
  /[\\/]@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]checksum[\\/]sha256[\\/]Sha256Js\.js$/,
  'Sha256Js',
  "@smithy/core's SHA-256 in JavaScript is not bundled (infra/constructs/bundling.ts): Node's crypto hashes",
);

/**
 * An AWS SDK client retries in the mode AWS_RETRY_MODE names, standard by
 * default, so its retry configuration carries the adaptive mode too: its
 * strategy and the rate limiter it throttles sends with (about 3.4 kB). The
 * functions' one SDK client, DynamoDB's, is made in standard mode whatever
 * the environment says (functions/adapters/clients/dynamo.ts
 * dynamoClientConfig, Powertools idempotency's store included), so the
 * adaptive strategy becomes a class that fails, saying why, if a client made
 * otherwise ever asks for it.
 */
const standardRetryOnly = failingClass(
  'standard-retry-only',
  /[\\/]@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]retry[\\/]util-retry[\\/]AdaptiveRetryStrategy\.js$/,
  'AdaptiveRetryStrategy',
  "the AWS SDK's adaptive retry mode is not bundled (infra/constructs/bundling.ts): make the client with functions/adapters/clients/dynamo.ts dynamoClientConfig, in standard mode",
);

/**
 * The AWS partitions' table (@aws-sdk/core, read by the endpoint rules'
 * `aws.partition`) names every region with its description ("Europe
 * (London)"), which `aws.partition` returns beside the partition's outputs
 * and no endpoint rule reads: the rules read the outputs (dnsSuffix,
 * supportsFIPS, supportsDualStack...). Each region keeps its entry, empty,
 * so a region still finds its partition as before (about 1.6 kB). The text
 * replaced is checked: another version fails the build, saying where.
 */
const REGION_DESCRIPTION = /\{\s*"description": "[^"\\]*"\s*\}/g;
const partitionsWithoutDescriptions: Plugin = {
  name: 'partitions-without-descriptions',
  setup(b) {
    b.onLoad(
      {
        filter:
          /[\\/]@aws-sdk[\\/]core[\\/]dist-es[\\/]submodules[\\/]client[\\/]util-endpoints[\\/]lib[\\/]aws[\\/]partitions\.js$/,
      },
      (args) => {
        const source = readFileSync(args.path, 'utf8');
        const contents = source.replace(REGION_DESCRIPTION, '{}');
        // Every region was an entry of its description alone: none left, and some found.
        if (contents.includes('"description"') || (source.match(REGION_DESCRIPTION)?.length ?? 0) < 20)
          throw new Error(
            `${args.path} no longer describes its regions as partitionsWithoutDescriptions (infra/constructs/bundling.ts) expects`,
          );
        return { loader: 'js', contents };
      },
    );
  },
};

/**
 * The DynamoDB client's endpoint cache (@aws-sdk/endpoint-cache) imports
 * mnemonist's LRU cache, and with it an iterator library (about 7 kB): it
 * gets functions/adapters/clients/endpointLru.ts, the same methods on a Map.
 */
const endpointCacheLru: Plugin = {
  name: 'endpoint-cache-lru',
  setup(b) {
    b.onResolve({ filter: /^mnemonist\/lru-cache(\.js)?$/ }, (args) =>
      args.importer.includes(`${sep}@aws-sdk${sep}endpoint-cache${sep}`)
        ? { path: join(PROJECT_ROOT, 'functions', 'adapters', 'clients', 'endpointLru.ts') }
        : undefined,
    );
  },
};

/**
 * pdf-lib compresses a PDF's streams with pako (a port of zlib to JavaScript,
 * 46 kB), and its standard fonts inflate their metrics with it: their
 * modules get functions/adapters/pdfDeflate.ts, the same `deflate` and
 * `inflate` on Node's zlib. Its PNG decoder (@pdf-lib/upng, 25 kB, which
 * brings pako too) serves only `embedPng`, which no document calls: it
 * becomes a module that fails, saying why, if one ever does.
 */
const pdfLibOnNodeZlib: Plugin = {
  name: 'pdf-lib-on-node-zlib',
  setup(b) {
    b.onResolve({ filter: /^pako$/ }, (args) =>
      args.importer.includes(`${sep}pdf-lib${sep}`) || args.importer.includes(STANDARD_FONTS_DIR)
        ? { path: join(PROJECT_ROOT, 'functions', 'adapters', 'pdfDeflate.ts') }
        : undefined,
    );
    b.onResolve({ filter: /^@pdf-lib\/upng$/ }, (args) => ({ path: args.path, namespace: 'no-png-decoder' }));
    b.onLoad({ filter: /.*/, namespace: 'no-png-decoder' }, () => ({
      loader: 'js',
      contents: `const fail = () => { throw new Error('PNG images are not bundled (infra/constructs/bundling.ts): no document embeds one'); }; export default { decode: fail, toRGBA8: fail };`,
    }));
  },
};

/**
 * pdf-lib carries interactive forms (fields, their appearances, AcroForm
 * dictionaries), annotations and its parser of existing PDFs in every
 * bundle that draws one (about 75 kB), because its document class refers to
 * them; the product only creates documents and draws text and lines on
 * them. Each module of those folders (their index files aside) becomes one
 * whose exports fail, saying why, the moment anything reads, calls or
 * constructs them (an `instanceof` against one is false). So do the modules
 * that serve only what no document does (about 40 kB more, parsed at every
 * cold start of a function that draws): the stream decoders (reading a
 * stream of another PDF), the viewer preferences (only when a title is asked
 * to show in the window's bar), SVG paths, embedding an image, another PDF's
 * page, a file or JavaScript, copying pages between documents, and object
 * streams with their cross-reference stream (every document is saved with
 * `useObjectStreams: false`).
 */
const PDF_LIB_UNUSED = [
  'api/form/',
  'core/acroform/',
  'core/annotation/',
  'core/parser/',
  'core/streams/',
  'core/interactive/',
  'api/svgPath.js',
  'api/PDFImage.js',
  'api/PDFEmbeddedPage.js',
  'api/PDFEmbeddedFile.js',
  'api/PDFJavaScript.js',
  'core/embedders/JpegEmbedder.js',
  'core/embedders/PngEmbedder.js',
  'core/embedders/PDFPageEmbedder.js',
  'core/embedders/FileEmbedder.js',
  'core/embedders/JavaScriptEmbedder.js',
  'core/PDFObjectCopier.js',
  'core/writers/PDFStreamWriter.js',
  'core/structures/PDFCrossRefStream.js',
  'core/structures/PDFObjectStream.js',
].map((path) => `${sep}pdf-lib${sep}es${sep}${path.replaceAll('/', sep)}`);
const pdfLibDrawingOnly: Plugin = {
  name: 'pdf-lib-drawing-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]pdf-lib[\\/]es[\\/].*\.js$/ }, (args) => {
      if (!PDF_LIB_UNUSED.some((path) => args.path.includes(path)) || basename(args.path) === 'index.js')
        return undefined;
      const source = readFileSync(args.path, 'utf8');
      const names = [...source.matchAll(/^export var ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]!);
      const hasDefault = /^export default [A-Za-z_$][\w$]*;/m.test(source);
      if (/^export (?!var |default )/m.test(source))
        throw new Error(`${args.path} exports in a way pdfLibDrawingOnly (infra/constructs/bundling.ts) does not read`);
      const what = JSON.stringify(`pdf-lib's ${args.path.slice(args.path.lastIndexOf(`${sep}es${sep}`) + 4)}`);
      return {
        loader: 'js',
        contents: [
          `const fail = () => { throw new Error(${what} + ' is not bundled (infra/constructs/bundling.ts): documents are created and drawn on with text and lines, never read, filled in, annotated or given images, pages, files or scripts'); };`,
          "const stub = () => new Proxy(function () {}, { get: (t, p) => (p === 'prototype' ? t.prototype : p === Symbol.hasInstance ? () => false : fail()), construct: fail, apply: fail });",
          ...names.map((n) => `export const ${n} = stub();`),
          hasDefault ? 'export default stub();' : '',
        ].join('\n'),
      };
    });
  },
};

/**
 * Each AWS SDK client's runtime config imports its whole package.json (about
 * 2.4 kB) to name its version in the user agent, the one field it reads: it
 * gets an object with the package's name and version only.
 */
const sdkClientVersionOnly: Plugin = {
  name: 'sdk-client-version-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/package\.json$/ }, (args) =>
      /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]runtimeConfig\.js$/.test(args.importer)
        ? { path: join(dirname(args.importer), '..', 'package.json'), namespace: 'sdk-client-version-only' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'sdk-client-version-only' }, (args) => {
      const { name, version } = JSON.parse(readFileSync(args.path, 'utf8')) as { name: string; version: string };
      return { loader: 'json', contents: JSON.stringify({ name, version }) };
    });
  },
};

/**
 * @middy/core imports Node's web streams and the promise form of `pipeline`
 * for a streamed response (`streamifyResponse`), which no handler sends; an
 * ES module's imports of Node's own modules are loaded with it, so every
 * handler loaded them at each cold start (about 5 ms of CPU). middy gets
 * the same two names, which reach Node's modules only when a response is
 * streamed.
 */
const middyStreamsOnUse: Plugin = {
  name: 'middy-streams-on-use',
  setup(b) {
    b.onResolve({ filter: /^node:stream\/(web|promises)$/ }, (args) =>
      args.importer.includes(`${sep}@middy${sep}core${sep}`)
        ? { path: args.path, namespace: 'middy-streams-on-use' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'middy-streams-on-use' }, (args) => ({
      loader: 'js',
      contents:
        args.path === 'node:stream/web'
          ? 'export class ReadableStream { static [Symbol.hasInstance](value) { return value instanceof globalThis.ReadableStream; } }'
          : "export const pipeline = async (...streams) => (await import('node:stream/promises')).pipeline(...streams);",
    }));
  },
};

/** The folder of the zod schemas, as an esbuild path filter; english.ts (which sets zod's messages at load) aside. */
const SCHEMA_MODULES = /[\\/]functions[\\/]schemas[\\/][^\\/]+\.ts$/;
const SCHEMA_SETUP = 'english.ts';

/**
 * A schema module is a list of constants built by calls (`z.strictObject`,
 * `text(100)`, `z.string().check(...)`), and esbuild keeps any top-level
 * call it cannot tell is pure: a handler that parses one route's body
 * carried every schema of that module, with the checks, domain rules and
 * zod schema kinds they use (about 13 kB). Each call in the initializer of
 * a top-level constant of functions/schemas (not in a function body, not a
 * statement of its own) is marked pure, so a schema no handler reads is
 * left out. Building a schema has no effect but its value; english.ts,
 * which configures zod, is left as it is. A constant whose initializer
 * spreads an object (`z.object({ ...waiting, gate })`, or the shared fields
 * themselves) is kept by esbuild whatever its calls are marked (a spread
 * may run a getter): its whole initializer becomes a call of a pure arrow,
 * `/* @__PURE__ *\/ (() => (...))()`, the same value, left out where
 * unused (the event schemas of every workflow step were in each step's
 * bundle).
 */
export function markSchemaCallsPure(source: string, fileName: string, typescript: typeof import('typescript')): string {
  const ts = typescript;
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const starts: number[] = [];
  const wrapped: { start: number; end: number }[] = [];
  const spreads = (node: import('typescript').Node): boolean =>
    !ts.isFunctionLike(node) &&
    (ts.isSpreadAssignment(node) || ts.isSpreadElement(node) || ts.forEachChild(node, spreads) === true);
  const visit = (node: import('typescript').Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isCallExpression(node)) {
      // `a().b()`: the outer call covers its callee's chain; only the outermost call of a chain is marked.
      const parent = node.parent;
      const inChain =
        ts.isPropertyAccessExpression(parent) &&
        ts.isCallExpression(parent.parent) &&
        parent.parent.expression === parent;
      if (!inChain) starts.push(node.getStart(file));
    }
    ts.forEachChild(node, visit);
  };
  for (const statement of file.statements)
    if (ts.isVariableStatement(statement))
      for (const declaration of statement.declarationList.declarations)
        if (declaration.initializer && spreads(declaration.initializer))
          wrapped.push({ start: declaration.initializer.getStart(file), end: declaration.initializer.getEnd() });
        else if (declaration.initializer) visit(declaration.initializer);
  // From the end, so that each position still holds: the marks, then the wrapped initializers (none holds a mark).
  const edits = [
    ...starts.map((at) => ({ at, text: '/* @__PURE__ */ ' })),
    ...wrapped.flatMap(({ start, end }) => [
      { at: start, text: '/* @__PURE__ */ (() => (' },
      { at: end, text: '))()' },
    ]),
  ].sort((a, b) => b.at - a.at);
  let out = source;
  for (const { at, text } of edits) out = `${out.slice(0, at)}${text}${out.slice(at)}`;
  return out;
}

const schemaCallsPure: Plugin = {
  name: 'schema-calls-pure',
  setup(b) {
    b.onLoad({ filter: SCHEMA_MODULES }, async (args) => {
      if (basename(args.path) === SCHEMA_SETUP) return undefined;
      const ts = (await import('typescript')).default;
      return { loader: 'ts', contents: markSchemaCallsPure(readFileSync(args.path, 'utf8'), args.path, ts) };
    });
  },
};

/** The standard fonts' module that loads their metrics, as esbuild names an input. */
const STANDARD_FONT_MODULE = 'node_modules/@pdf-lib/standard-fonts/es/Font.js';

/** A bundle that draws with the standard fonts carries the metrics of those in PDF_FONTS beside it, in `pdf-fonts/`. */
function copyStandardFontMetrics(bundleDir: string): void {
  const to = join(bundleDir, STANDARD_FONT_METRICS_DIR);
  mkdirSync(to, { recursive: true });
  for (const font of USED_FONTS)
    copyFileSync(
      join(PROJECT_ROOT, 'node_modules', '@pdf-lib', 'standard-fonts', 'es', `${font}.compressed.json`),
      join(to, `${font}.compressed.json`),
    );
}

/** The module that reads the letter's font files (functions/adapters/letterFont.ts), as esbuild names an input. */
const LETTER_FONT_MODULE = 'functions/adapters/letterFont.ts';

/**
 * A bundle that draws a letter carries the letter font's files in `fonts/`
 * beside it, as files (read once per process) rather than base64 inside the
 * JavaScript: the bundle is parsed at every cold start, the fonts only when a
 * letter is drawn.
 */
function copyLetterFonts(bundleDir: string): void {
  const from = join(PROJECT_ROOT, 'node_modules', LETTER_FONT_PACKAGE, LETTER_FONT_DIR_IN_PACKAGE);
  const to = join(bundleDir, BUNDLED_FONT_DIR);
  mkdirSync(to, { recursive: true });
  for (const file of Object.values(LETTER_FONT_FILES)) copyFileSync(join(from, file), join(to, file));
  copyFileSync(join(from, '..', 'LICENSE'), join(to, 'LICENSE'));
}

/**
 * Powertools for AWS Lambda, served to every function by a layer
 * (infra/constructs/function.ts), as Powertools recommends deploying it.
 * Every handler reaches Powertools through `#powertools`
 * (functions/powertools.ts: the logger, tracer and metrics, and the
 * middlewares); the layer holds that module bundled with the Powertools
 * packages package-lock.json installed (logger, metrics, tracer and the
 * X-Ray SDK), as one minified module, POWERTOOLS_MODULE (the Tracer in a
 * chunk beside it, read only when tracing is on), and each handler
 * bundle imports it from /opt/nodejs/node_modules instead of carrying it.
 * One file, not the packages as npm lays them out: Node imports those as
 * hundreds of modules, which measured two to three times the bare
 * handler's import time; one bundled file costs what it cost in the bundle.
 */
export const POWERTOOLS_MODULE = 'right-to-know-powertools';
/** Where bundle-cli.ts writes the layer's content, beside the handlers' bundles. */
export const POWERTOOLS_LAYER_DIR = 'powertools-layer';
/** The Powertools packages only the layer carries: a bundle that carried one would hold a second logger, tracer or metrics. */
export const LAYER_ONLY_PACKAGES: readonly string[] = [
  '@aws-lambda-powertools/logger',
  '@aws-lambda-powertools/metrics',
  '@aws-lambda-powertools/tracer',
  'aws-xray-sdk-core',
];

const powertoolsFromLayer: Plugin = {
  name: 'powertools-from-layer',
  setup(b) {
    b.onResolve({ filter: /^#powertools$/ }, () => ({ path: POWERTOOLS_MODULE, external: true }));
  },
};

/**
 * The layer's content under `nodeModules` (the layer's nodejs/node_modules,
 * or a bench's stand-in for it): POWERTOOLS_MODULE, functions/powertools.ts
 * bundled with the options of every handler, its source map and licences
 * beside it. Its package.json names the module as `main`, not `exports`:
 * Node resolves the package the same way from either, and an `exports` map
 * cost every handler's import about 4 million more instructions (some 4%
 * of the bare handler's import, issue 18), the first time its resolver
 * for export maps runs.
 */
export async function buildPowertoolsLayer(nodeModules: string): Promise<{ bytes: number }> {
  const dir = join(nodeModules, POWERTOOLS_MODULE);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: POWERTOOLS_MODULE, private: true, type: 'module', main: './index.mjs' }, null, 2)}\n`,
  );
  const result = await build({
    ...handlerBuildOptions(),
    entryPoints: { index: join(PROJECT_ROOT, 'functions', 'powertools.ts') },
    outdir: dir,
    // The Tracer, imported only when switched on, in a file of its own: read only then.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
  });
  const out = Object.entries(result.metafile.outputs).find(([k]) => k.endsWith('index.mjs'));
  if (!out) throw new Error('esbuild wrote no Powertools layer module');
  return { bytes: out[1].bytes };
}

/** The esbuild options of every handler bundle. */
export function handlerBuildOptions(): BuildOptions {
  return {
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    // Deployed on Node 22; node20 so the same code runs in the local stack.
    target: 'node20',
    mainFields: ['module', 'main'],
    banner: { js: BANNER },
    outExtension: { '.js': '.mjs' },
    minify: true,
    treeShaking: true,
    // Licence notices go to a file beside the bundle (<name>.mjs.LEGAL.txt), shipped with it.
    legalComments: 'linked',
    // Linked source maps (NODE_OPTIONS=--enable-source-maps): stack traces name the TypeScript file and line.
    sourcemap: true,
    // The AWS SDK is bundled too (the versions we test are the versions we run), all but its credentials chain.
    alias: {
      '@aws-sdk/credential-provider-node': join(
        PROJECT_ROOT,
        'functions',
        'adapters',
        'clients',
        'lambdaCredentials.ts',
      ),
    },
    plugins: [
      schemaCallsPure,
      middyStreamsOnUse,
      powertoolsFromLayer,
      usedStandardFontsOnly,
      standardFontEncodingsOnUse,
      notifyClientWithoutAxios,
      semverSatisfiesOnly,
      jmespathFieldsOnly,
      noLazyEventStreams,
      pdfLibOnNodeZlib,
      pdfLibDrawingOnly,
      endpointCacheLru,
      noJavaScriptSha256,
      standardRetryOnly,
      partitionsWithoutDescriptions,
      dynamoDbErrorsOfItsOperations,
      sdkClientVersionOnly,
    ],
    logLevel: 'warning',
  };
}

export interface BuiltBundle {
  /** `<kind>/<name>` as given, or the output name. */
  name: string;
  /** The JavaScript file written: the one Lambda imports. */
  file: string;
  /** The handler's JavaScript: its file and the files it imports when first used (`chunks`). */
  bytes: number;
  sourceMapBytes: number;
  /**
   * The files beside `file` it imports (a split bundle's): those it imports with `import()`, read the first time
   * each is imported, and the code they share with `file`, imported with it.
   */
  chunks: string[];
  /** What every cold start reads and compiles: `file` and the chunks it imports statically. */
  loadBytes: number;
  /** The inputs bundled (in the file or its chunks), with the bytes each contributes. */
  inputs: Record<string, { bytesInOutput: number }>;
  /** The inputs bundled in what every cold start compiles (`loadBytes`). */
  loadInputs: Record<string, { bytesInOutput: number }>;
  /** What it imports at run time rather than carries: Node's own modules and the layer's packages. */
  external: string[];
}

/**
 * A handler that renders a PDF or calls Notify (HEAVY_HANDLERS) uses its
 * heaviest code on some calls only, and reaches it with `import()`: the
 * letter's drawing (functions/adapters/letterOnUse.ts) and the Notify client
 * (functions/adapters/notify.ts). Bundled in one file, that code was still
 * compiled at every cold start (about 0.2 of the bare handler's import time
 * in sendDisclosure and closeWithoutSuspect). Such a handler is bundled on
 * its own, with esbuild's code splitting: what it imports with `import()` is
 * a file beside its own (`<name>-<module>-<hash>.mjs`, in the function's
 * folder, so that what it reads beside itself, the fonts, is found from
 * there too), read and compiled the first time it is imported. Every other
 * handler is one file, all bundled in one esbuild call.
 */
export const splitByDefault = (): ReadonlySet<string> =>
  new Set([...HEAVY_HANDLERS].map((name) => allHandlers()[name]).filter((file): file is string => !!file));

/**
 * Bundle many handlers: `entries` maps an output name (`api/getCase`, or
 * `<kind>/<name>/index`) to its entry file; each becomes
 * `<outdir>/<name>.mjs` with its source map. Those whose entry file is in
 * `split` (by default the handlers of HEAVY_HANDLERS) are bundled each on
 * its own, with code splitting (see splitByDefault); the others in one call.
 */
export async function bundleHandlers(
  entries: Record<string, string>,
  outdir: string,
  split: ReadonlySet<string> = splitByDefault(),
): Promise<{ bundles: BuiltBundle[]; metafile: Metafile }> {
  const whole = Object.fromEntries(Object.entries(entries).filter(([, file]) => !split.has(file)));
  const builds = await Promise.all([
    build({ ...handlerBuildOptions(), entryPoints: whole, outdir, metafile: true, write: true }),
    ...Object.entries(entries)
      .filter(([, file]) => split.has(file))
      .map(([name, file]) =>
        build({
          ...handlerBuildOptions(),
          entryPoints: { [basename(name)]: file },
          outdir: join(outdir, dirname(name)),
          splitting: true,
          chunkNames: `${basename(name)}-[name]-[hash]`,
          metafile: true,
          write: true,
        }),
      ),
  ]);
  const metafile: Metafile = {
    inputs: Object.assign({}, ...builds.map((r) => r.metafile.inputs)),
    outputs: Object.assign({}, ...builds.map((r) => r.metafile.outputs)),
  };
  const outputs = metafile.outputs;
  const bundles: BuiltBundle[] = [];
  for (const name of Object.keys(entries)) {
    const file = join(outdir, `${name}.mjs`);
    const key = Object.keys(outputs).find((k) => join(PROJECT_ROOT, k) === file);
    if (!key) throw new Error(`esbuild wrote no bundle for ${name}`);
    // The chunks it imports, statically or with import(), and theirs.
    const chunks: string[] = [];
    const pending = [key];
    while (pending.length)
      for (const i of outputs[pending.pop()!]!.imports)
        if (!i.external && outputs[i.path] && !chunks.includes(i.path)) {
          chunks.push(i.path);
          pending.push(i.path);
        }
    // What it imports statically, and those theirs: read and compiled with it at every cold start.
    const atLoad = [key];
    for (let at = 0; at < atLoad.length; at++)
      for (const i of outputs[atLoad[at]!]!.imports)
        if (i.kind === 'import-statement' && !i.external && outputs[i.path] && !atLoad.includes(i.path))
          atLoad.push(i.path);
    const parts = [key, ...chunks];
    const inputsOf = (of: string[]) => {
      const merged: BuiltBundle['inputs'] = {};
      for (const part of of)
        for (const [path, { bytesInOutput }] of Object.entries(outputs[part]!.inputs))
          merged[path] = { bytesInOutput: (merged[path]?.bytesInOutput ?? 0) + bytesInOutput };
      return merged;
    };
    const inputs = inputsOf(parts);
    if (Object.keys(inputs).includes(LETTER_FONT_MODULE)) copyLetterFonts(dirname(file));
    if (Object.keys(inputs).includes(STANDARD_FONT_MODULE)) copyStandardFontMetrics(dirname(file));
    const sum = (of: (part: string) => number, among = parts) => among.reduce((n, part) => n + of(part), 0);
    bundles.push({
      name,
      file,
      bytes: sum((part) => outputs[part]!.bytes),
      sourceMapBytes: sum((part) => outputs[`${part}.map`]?.bytes ?? 0),
      chunks: chunks.map((c) => join(PROJECT_ROOT, c)),
      loadBytes: sum((part) => outputs[part]!.bytes, atLoad),
      inputs,
      loadInputs: inputsOf(atLoad),
      external: [
        ...new Set(parts.flatMap((part) => outputs[part]!.imports.filter((i) => i.external).map((i) => i.path))),
      ].sort(),
    });
  }
  return { bundles, metafile };
}

/** The packages (or project folders) a bundle carries, largest first, in bytes. */
export function weightByPackage(inputs: BuiltBundle['inputs']): [string, number][] {
  const by = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path.split('/').slice(0, 2).join('/');
    by.set(pkg, (by.get(pkg) ?? 0) + bytesInOutput);
  }
  return [...by].sort((a, b) => b[1] - a[1]);
}
