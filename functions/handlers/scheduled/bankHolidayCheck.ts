import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, MetricUnit, metrics } from '#powertools';
import { BANK_HOLIDAY_DAYS_LEFT_METRIC } from '../../domain/monitoring.js';
import { type BankHolidayOutlook, bankHolidayOutlook } from '../../domain/workingDays.js';

/**
 * Daily (EventBridge schedule): how many days the bank holidays listed
 * (functions/domain/bankHolidays.ts) have left, published as a metric the
 * BankHolidaysEnding alarm watches (infra/stacks/workflow.ts), and a warning
 * in the log once they end within policy.bankHolidayWarningDays.
 */
export const handler = middy<unknown, BankHolidayOutlook, Error, Context>({ timeoutEarlyInMillis: 0 }).handler(
  async (_event, context) => {
    logger.addContext(context);
    const outlook = bankHolidayOutlook(new Date().toISOString());
    metrics().addMetric(BANK_HOLIDAY_DAYS_LEFT_METRIC, MetricUnit.Count, outlook.daysLeft);
    metrics().publishStoredMetrics();
    if (outlook.warning) logger.warn(outlook.warning, { endsOn: outlook.endsOn, daysLeft: outlook.daysLeft });
    return outlook;
  },
);
