import { json, publicHandler } from '../../http/route.js';

export const handler = publicHandler('health', async () => json(200, { status: 'ok' }));
