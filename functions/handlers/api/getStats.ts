import { publishStatistics } from '../../domain/publication.js';
import { figuresFromCounts } from '../../domain/stats.js';
import { forceCounts } from '../../adapters/statsCounts.js';
import { apiHandler, json } from '../../http/api.js';
import * as inputs from '../../routeInputs.js';

/** The force's published figures: anonymised, small numbers withheld; from the counters kept as cases move, never a read of the cases. */
export const handler = apiHandler(inputs.getStats, async ({ user, now }) =>
  json(200, publishStatistics(figuresFromCounts(await forceCounts(user.force), now))),
);
