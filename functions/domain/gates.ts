import type { Rank } from './ranks.js';
import type { Stage } from './stages.js';

export const GATES = ['data_request', 'identification', 'disclosure', 'delay'] as const;
export type Gate = (typeof GATES)[number];

export interface GateRule {
  /** Lowest rank that may decide (docs/api.md). */
  minimumRank: Rank;
  /** Stage the case is in while the gate waits. */
  stage: Stage;
  /** Where a rejection sends the case (docs/api.md). */
  onReject: Stage;
}

export const GATE_RULES: Record<Gate, GateRule> = {
  data_request: { minimumRank: 'sergeant', stage: 'DATA_REQUEST_APPROVAL', onReject: 'REJECTED' },
  identification: { minimumRank: 'sergeant', stage: 'IDENTIFICATION_APPROVAL', onReject: 'IDENTIFICATION' },
  disclosure: { minimumRank: 'inspector', stage: 'DISCLOSURE_APPROVAL', onReject: 'DISCLOSURE_DECISION' },
  delay: { minimumRank: 'superintendent', stage: 'DELAY_APPROVAL', onReject: 'DISCLOSURE_DECISION' },
};

export function isGate(value: unknown): value is Gate {
  return typeof value === 'string' && (GATES as readonly string[]).includes(value);
}
