import { MetricUnit, metrics } from '#powertools';
import { FIGURES, type Figure } from '../domain/monitoring.js';

/**
 * One business figure counted, published at once as its own embedded metric
 * format line: the fact is counted whatever the invocation does next, and an
 * invocation that counts nothing prints nothing (Powertools' `logMetrics`
 * would warn of empty metrics on every such invocation). The caller counts
 * where the fact is first recorded, so a step run again does not count it
 * twice; no dimension beyond the service, and never an id.
 */
export function count(figure: Figure): void {
  const m = metrics();
  m.addMetric(FIGURES[figure], MetricUnit.Count, 1);
  m.publishStoredMetrics();
}
