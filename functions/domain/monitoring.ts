/**
 * The metrics the functions publish (Powertools Metrics, as CloudWatch
 * embedded metric format in their logs) and the CDK alarms on: one name for
 * each, here, for both sides.
 */
export const METRICS_NAMESPACE = 'RightToKnow';
/** Powertools adds the service as a dimension of every metric. */
export const METRICS_SERVICE = 'right-to-know';
/** Days until the bank holidays listed end (negative once past): functions/handlers/scheduled/bankHolidayCheck.ts. */
export const BANK_HOLIDAY_DAYS_LEFT_METRIC = 'BankHolidayTableDaysLeft';
