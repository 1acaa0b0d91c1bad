import { disclosureDefinition } from './disclosure.js';

/**
 * The workflow definition as deployed, as ASL text with its ${placeholders} unbound: what CDK's
 * definitionSubstitutions and the local engine (statemachines/bindings.ts `bind`) both bind.
 */
export const aslText = (): string => `${JSON.stringify(disclosureDefinition(), null, 2)}\n`;
