import type { LetterContent } from '../domain/messages.js';

/**
 * The letter drawn as letterPdf.ts draws it, its code (pdf-lib, the font's
 * layout and subsetting) run the first time a function draws one rather
 * than when the function loads: a step that ends before drawing (a victim
 * not verified yet, a send held to a safe time, a letter already stored, an
 * SMS) never runs it. The bundle still carries it.
 */
export const renderLetterPdf = async (content: LetterContent): Promise<Uint8Array> =>
  (await import('./letterPdf.js')).renderLetterPdf(content);
