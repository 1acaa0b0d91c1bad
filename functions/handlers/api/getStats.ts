import { publishStatistics } from '../../domain/publication.js';
import { caseFigures } from '../../domain/stats.js';
import { listCases } from '../../adapters/cases.js';
import { apiHandler, json } from '../../http/api.js';

/** The force's published figures: anonymised, small numbers withheld. */
export const handler = apiHandler('getStats', async ({ user, now }) =>
  json(200, publishStatistics(caseFigures(await listCases(user.force), now))),
);
