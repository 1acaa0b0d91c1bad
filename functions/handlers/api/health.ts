import { apiHandler, json } from '../../http/api.js';

export const handler = apiHandler('health', async () => json(200, { status: 'ok' }));
