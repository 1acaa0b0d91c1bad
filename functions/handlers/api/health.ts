import { bankHolidayOutlook } from '../../domain/workingDays.js';
import { json, publicHandler } from '../../http/route.js';
import * as inputs from '../../routeInputs.js';

/**
 * Liveness, and what will stop the service if nobody acts: `{"status":"ok"}`,
 * with `warnings` when the bank holidays listed end within
 * policy.bankHolidayWarningDays (docs/deployment.md). Still 200: the service
 * runs; a working-day deadline past the table's end would throw.
 */
export const handler = publicHandler(inputs.health, async ({ now }) => {
  const outlook = bankHolidayOutlook(now);
  return json(
    200,
    outlook.warning
      ? {
          status: 'ok',
          warnings: [{ code: 'bank_holidays_ending', detail: outlook.warning, endsOn: outlook.endsOn }],
        }
      : { status: 'ok' },
  );
});
