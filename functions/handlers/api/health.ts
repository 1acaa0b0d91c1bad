import { json, publicHandler } from '../../http/api.js';

export const handler = publicHandler('health', async () => json(200, { status: 'ok' }));
