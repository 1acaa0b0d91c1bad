import { parseArgs } from 'node:util';
import { faultOptionsFromEnv } from './faults.js';
import { startStack } from './stack.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    'time-scale': { type: 'string', default: process.env.TIME_SCALE ?? '1' },
    data: { type: 'string', default: '.data' },
    verbose: { type: 'boolean', default: false },
  },
});

const say = (line: string) => process.stdout.write(`${line}\n`);
// The fault-injection seam, for chaos and crash runs only: LOCAL_FAULTS='{"rules":[...]}' (local/faults.ts).
const faults = faultOptionsFromEnv();
const stack = await startStack({
  port: Number(values.port),
  timeScale: Number(values['time-scale']),
  dataDir: values.data,
  quiet: !values.verbose,
  log: say,
  ...(faults ? { faults } : {}),
});
if (faults) say('  Faults         injected as LOCAL_FAULTS asks (local/faults.ts)');
say('Right to know: local stack running');
say(`  API            ${stack.apiUrl}   (GET /health, GET /openapi.json, POST /local/token {"username":"inv.alice"})`);
say(`  DynamoDB       ${stack.endpoints.dynamodb}   (dynalite, data in ${stack.dataDir}/dynamo)`);
say(`  S3             ${stack.endpoints.s3}   (s3rver, data in ${stack.dataDir}/s3)`);
say(
  `  Step Functions ${stack.endpoints.stepFunctions}   (aws-local-stepfunctions; time scale ${values['time-scale']})`,
);
say(`  Notify         ${stack.endpoints.notify}   (stand-in; outbox in ${stack.outboxDir})`);
say('  Seeded users   inv.alice inv.ahmed spoc.sam sgt.bob sgt.carol insp.dave supt.erin aud.frank ds.grace');
say('Ctrl-C stops it; cases mid-flight continue from their stage on the next start.');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  // Ctrl-C always ends it: a part that does not close in time (a connection held open, a child already gone) is
  // left; the workflow's state is saved first, and cases mid-flight continue from their stage on the next start.
  setTimeout(() => {
    say('stopped (a part of the stack did not close within 10 s and was left)');
    process.exit(0);
  }, 10_000).unref();
  await stack.stop();
  say('stopped');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
