import type { AuditEntry, ChainVerdict } from '../domain/audit.js';
import { renderDocumentPdf } from './documentPdf.js';

/**
 * A case's audit trail as a readable document for court disclosure: every
 * entry in order, with its hash, and the chain's verification first.
 */
export function renderAuditPdf(
  caseId: string,
  entries: readonly AuditEntry[],
  verdict: ChainVerdict,
  generatedAt: string,
): Promise<Uint8Array> {
  return renderDocumentPdf({
    title: `Audit trail of case ${caseId}`,
    subtitle: `Generated ${generatedAt}. ${verdict.entries} entries. Chain ${verdict.valid ? 'verified: every entry links to the one before' : `BROKEN at entry ${verdict.firstBadSeq}`}. Head ${verdict.head}`,
    date: generatedAt,
    blocks: entries.flatMap((e) => [
      {
        heading: `${e.seq}. ${e.at}  ${e.action}  by ${e.actor}`,
        lines: [
          Object.entries(e.ids)
            .map(([k, v]) => `${k}=${v}`)
            .join(', '),
        ].filter(Boolean),
      },
      {
        lines: [...(e.dataDigest ? [`data sha256 ${e.dataDigest}`] : []), `hash ${e.hash}`, `prev ${e.prevHash}`],
        mono: true,
      },
    ]),
  });
}
