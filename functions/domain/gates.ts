import type { Rank } from './ranks.js';
import type { Stage } from './stages.js';

export const GATES = ['data_request', 'identification', 'disclosure', 'delay', 'closure'] as const;
export type Gate = (typeof GATES)[number];

export interface GateRule {
  /** Lowest rank that may decide (docs/api.md). */
  minimumRank: Rank;
  /** Stage the case is in while the gate waits; none: the case stays at the stage it was in (closure). */
  stage?: Stage;
  /** Where a rejection sends the case (docs/api.md); none: back where it was. */
  onReject?: Stage;
}

export const GATE_RULES: Record<Gate, GateRule> = {
  data_request: { minimumRank: 'sergeant', stage: 'DATA_REQUEST_APPROVAL', onReject: 'REJECTED' },
  identification: { minimumRank: 'sergeant', stage: 'IDENTIFICATION_APPROVAL', onReject: 'IDENTIFICATION' },
  disclosure: { minimumRank: 'inspector', stage: 'DISCLOSURE_APPROVAL', onReject: 'DISCLOSURE_DECISION' },
  delay: { minimumRank: 'superintendent', stage: 'DELAY_APPROVAL', onReject: 'DISCLOSURE_DECISION' },
  // Closing without a suspect (docs/api.md): proposed before identification is approved; the case waits where it was.
  closure: { minimumRank: 'sergeant' },
};

/** What a pending approval shows as among a case's open tasks: the stage it holds, or `<GATE>_APPROVAL`. */
export const gateTask = (gate: Gate): string => GATE_RULES[gate].stage ?? `${gate.toUpperCase()}_APPROVAL`;

export function isGate(value: unknown): value is Gate {
  return typeof value === 'string' && (GATES as readonly string[]).includes(value);
}
