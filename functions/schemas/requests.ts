import * as z from 'zod/mini';
import { policy } from '../domain/policy.js';
import { MAX_CSV_ROWS } from '../domain/returns.js';
import { integer, rationale } from './common.js';

/** The SPoC asks for ISP look-ups on rows of a platform's IP log beyond those made on their own. */
export const IspChoiceInput = z.lazy(() =>
  z.strictObject({
    events: z.array(integer(0, MAX_CSV_ROWS - 1)).check(z.minLength(1), z.maxLength(policy.ispRequestsChosenAtOnce)),
    rationale,
  }),
);
export type IspChoiceInput = z.infer<typeof IspChoiceInput>;
