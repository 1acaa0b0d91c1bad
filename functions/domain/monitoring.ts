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

/**
 * The business figures a force watches, each counted once where its fact is
 * recorded (functions/adapters/figures.ts): the metric's name.
 */
export const FIGURES = {
  /** A case opened (POST /cases). */
  caseOpened: 'CasesOpened',
  /** An approval decided by a person, approved or rejected. */
  gateDecided: 'GatesDecided',
  /** An approval gone one rank up, past its due time. */
  gateEscalated: 'GatesEscalated',
  /** A message to the victim sent through GOV.UK Notify. */
  notificationSent: 'NotificationsSent',
  /** A message Notify refused, or reported it could not deliver. */
  notificationFailed: 'NotificationsFailed',
  /** A workflow step that failed for good, parked for a supervisor. */
  faultParked: 'FaultsParked',
} as const;
export type Figure = keyof typeof FIGURES;
