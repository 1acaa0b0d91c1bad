import { caseStatistics } from '../../domain/stats.js';
import { listCases } from '../../adapters/cases.js';
import { apiHandler, json } from '../../http/api.js';

export const handler = apiHandler('getStats', async ({ user, now }) => json(200, caseStatistics(await listCases(user.force), now)));
