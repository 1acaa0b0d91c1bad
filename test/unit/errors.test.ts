import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as errors from '../../functions/domain/errors.js';
import { TransientError } from '../../functions/adapters/transient.js';
import { fromDomainError } from '../../functions/http/problem.js';
import { publicHandler, type ApiEvent } from '../../functions/http/route.js';
import * as inputs from '../../functions/routeInputs.js';
import { StepFailed, StepInputRejected, workflowHandler } from '../../functions/workflow/stepHandler.js';
import * as z from 'zod/mini';
import { lambdaContext } from '../../local/handlers.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );

type ErrorClass = new (message: string) => errors.DomainError;
const domainErrorClasses = (Object.entries(errors) as [string, unknown][]).filter(
  (e): e is [string, ErrorClass] =>
    typeof e[1] === 'function' && (e[1] as { prototype: unknown }).prototype instanceof errors.DomainError,
);

/** The answer each family gets: the contract's status codes and titles (docs/api.md, Errors). */
const FAMILY_ANSWERS: Record<errors.ErrorFamily, [number, string]> = {
  Invalid: [400, 'Invalid input'],
  NotAuthenticated: [401, 'Not authenticated'],
  NotAllowed: [403, 'Not allowed'],
  NotFound: [404, 'Not found'],
  Conflict: [409, 'Conflict'],
  Gone: [410, 'Gone'],
  TooLarge: [413, 'Body too large'],
  UnsupportedMediaType: [415, 'Unsupported media type'],
};

describe('domain errors', () => {
  it('each is named for its fact, by the name it is exported as (kept through minification)', () => {
    expect(domainErrorClasses.length).toBeGreaterThan(10);
    for (const [exported, Class] of domainErrorClasses) expect(new Class('x').name).toBe(exported);
  });

  it.each(domainErrorClasses)('%s becomes the problem details of its family', (_, Class) => {
    const e = new Class('what went wrong');
    const [status, title] = FAMILY_ANSWERS[e.kind];
    const answer = fromDomainError(e);
    expect(answer.statusCode).toBe(status);
    expect(JSON.parse(answer.body as string)).toMatchObject({
      status,
      title,
      type: `https://right-to-know.police.uk/problems/${title.toLowerCase().replace(/[^a-z]+/g, '-')}`,
      detail: 'what went wrong',
    });
  });

  it('the facts the contract names answer as it says: decided 409, expired 410, wrong stage 409', () => {
    expect(fromDomainError(new errors.AlreadyDecided('decided')).statusCode).toBe(409);
    expect(fromDomainError(new errors.ApprovalExpired()).statusCode).toBe(410);
    expect(fromDomainError(new errors.WrongStage('the case is CLOSED')).statusCode).toBe(409);
  });

  it('no module of functions/ throws a bare Error: every failure carries a name the workflow and the logs tell apart', () => {
    const bare = sources(join(ROOT, 'functions')).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (/\bnew Error\(/.test(line) ? [`${relative(ROOT, file)}:${i + 1}`] : [])),
    );
    expect(bare).toEqual([]);
  });
});

describe('the route wrapper answers every failure in its onError', () => {
  const event = { headers: {}, requestContext: {} } as unknown as ApiEvent;
  const answer = async (thrown: unknown) => {
    const handler = publicHandler(inputs.health, async () => {
      throw thrown;
    });
    const out = await handler(event, lambdaContext('health'));
    return { status: out.statusCode, body: JSON.parse(out.body as string), headers: out.headers };
  };

  it('a domain error as its problem details', async () => {
    expect(await answer(new errors.AlreadyDecided('this approval was already decided'))).toMatchObject({
      status: 409,
      body: { title: 'Conflict', detail: 'this approval was already decided' },
    });
  });

  it('a transient failure as a 503 to try again', async () => {
    const busy = await answer(new TransientError('ThrottlingException'));
    expect(busy).toMatchObject({ status: 503, headers: { 'retry-after': '1' } });
  });

  it('anything else as a 500 that says nothing of the cause', async () => {
    const out = await answer(new TypeError('secret detail'));
    expect(out.status).toBe(500);
    expect(JSON.stringify(out.body)).not.toContain('secret detail');
  });
});

describe('a workflow step fails with a name', () => {
  const step = (fn: () => Promise<unknown>) =>
    workflowHandler(
      'probeStep',
      z.object({ caseId: z.string() }),
      fn,
    )({ caseId: 'c-00000000-0000-4000-8000-000000000000' }, lambdaContext('probeStep'));
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e as Error,
    );

  it('a domain error keeps its own', async () => {
    expect((await failure(step(() => Promise.reject(new errors.WrongStage('x')))))?.name).toBe('WrongStage');
  });

  it('a plain Error becomes StepFailed, never a bare Error on the fault queue', async () => {
    const e = await failure(step(() => Promise.reject(new Error('what a library said'))));
    expect(e).toBeInstanceOf(StepFailed);
    expect(e?.message).not.toContain('what a library said');
  });

  it('a throttled call becomes TransientError, which the ASL retries', async () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    expect((await failure(step(() => Promise.reject(throttled))))?.name).toBe('TransientError');
  });

  it('an input its schema does not take is StepInputRejected', async () => {
    const e = await failure(
      workflowHandler(
        'probeStep',
        z.object({ caseId: z.string() }),
        async () => 'ran',
      )({ caseId: 7 }, lambdaContext('p')),
    );
    expect(e).toBeInstanceOf(StepInputRejected);
  });
});
