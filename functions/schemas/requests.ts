import * as z from 'zod';
import { policy } from '../domain/policy.js';
import { MAX_CSV_ROWS } from '../domain/returns.js';
import { rationale } from './common.js';

/** The SPoC asks for ISP look-ups on rows of a platform's IP log beyond those made on their own. */
export const IspChoiceInput = z.strictObject({
  events: z
    .array(
      z
        .number()
        .int()
        .min(0)
        .max(MAX_CSV_ROWS - 1),
    )
    .min(1)
    .max(policy.ispRequestsChosenAtOnce),
  rationale,
});
export type IspChoiceInput = z.infer<typeof IspChoiceInput>;
