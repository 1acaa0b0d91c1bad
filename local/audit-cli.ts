import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkDigest, forExport, verifyChain, type DigestProblem } from '../functions/domain/audit.js';
import { openDataFolder } from './data-access.js';

/**
 * `npm run audit:verify`: every case's chain recomputed, and every daily
 * digest checked against the chains as they are (a chain deleted whole is
 * found by the digests that saw it). `npm run audit:export -- <caseId>`: the
 * trail as JSON and as a readable PDF for court disclosure, its data digests
 * left out unless `--with-digests` asks for them. `npm run audit:check --
 * <caseId> <seq> <file.json>`: whether the data in the file is what an entry
 * concerns (the digests are keyed: only the force, which holds the key, can
 * tell). Against the running `npm start` if there is one; otherwise on the
 * data folder itself.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { data: { type: 'string', default: '.data' }, 'with-digests': { type: 'boolean', default: false } },
});
const [command, caseId] = positionals;
const dataDir = resolve(values.data!);
const say = (line: string) => process.stdout.write(`${line}\n`);

const data = await openDataFolder(dataDir);

const { readAudit } = await import('../functions/adapters/audit.js');
const { headsOf, listDigests, scanChains } = await import('../functions/adapters/auditDigests.js');
const { scanConsultations } = await import('../functions/adapters/consultations.js');
const { checkConsultations } = await import('../functions/domain/consultations.js');

try {
  if (command === 'verify') {
    const chains = await scanChains();
    let bad = 0;
    for (const id of [...chains.keys()].sort()) {
      const v = verifyChain(await readAudit(id));
      if (!v.valid) {
        bad += 1;
        say(`BROKEN  ${id}: first bad entry ${v.firstBadSeq} of ${v.entries}`);
      }
    }
    const digests = await listDigests();
    const consultations = await scanConsultations();
    const problems: DigestProblem[] = digests.flatMap((d, i) => [
      ...checkDigest(d, headsOf(chains), (c, s) => chains.get(c)?.get(s), digests[i - 1]),
      ...checkConsultations(d, consultations, digests[i - 1]),
    ]);
    for (const p of problems)
      say(`DIGEST  ${'caseId' in p ? p.caseId : p.day}: ${p.problem}${'seq' in p ? ` at entry ${p.seq}` : ''}`);
    say(
      `${chains.size} chains checked, ${bad} broken; ${consultations.length} consultations; ${digests.length} daily digests checked, ${problems.length} problems.`,
    );
    process.exitCode = bad || problems.length ? 1 : 0;
  } else if (command === 'export' && caseId) {
    const { renderAuditPdf } = await import('../functions/adapters/auditPdf.js');
    const entries = await readAudit(caseId);
    if (!entries.length) throw new Error(`no audit trail for case ${caseId}`);
    const verdict = verifyChain(entries);
    const withDigests = values['with-digests']!;
    const shown = forExport(entries, withDigests);
    const out = join(dataDir, 'exports');
    await mkdir(out, { recursive: true });
    const at = new Date().toISOString();
    await writeFile(
      join(out, `${caseId}-audit.json`),
      JSON.stringify(
        {
          caseId,
          exportedAt: at,
          verification: verdict,
          dataDigests: withDigests ? 'included' : 'withheld',
          entries: shown,
        },
        null,
        2,
      ),
    );
    await writeFile(join(out, `${caseId}-audit.pdf`), await renderAuditPdf(caseId, shown, verdict, at));
    say(
      `exported ${entries.length} entries (chain ${verdict.valid ? 'valid' : `broken at ${verdict.firstBadSeq}`}) to ${out}/${caseId}-audit.{json,pdf}`,
    );
  } else if (command === 'check' && caseId && positionals[2] && positionals[3]) {
    const { dataDigester } = await import('../functions/adapters/auditKey.js');
    const entry = (await readAudit(caseId)).find((e) => e.seq === Number(positionals[2]));
    if (!entry?.dataDigest) throw new Error(`case ${caseId} has no entry ${positionals[2]} with a data digest`);
    const data: unknown = JSON.parse(await readFile(resolve(positionals[3]), 'utf8'));
    const matches = (await dataDigester())(data) === entry.dataDigest;
    say(
      matches
        ? `MATCH   entry ${entry.seq} concerns this data`
        : `DIFFERS entry ${entry.seq} does not concern this data`,
    );
    process.exitCode = matches ? 0 : 1;
  } else {
    say('usage: audit-cli verify | export <caseId> [--with-digests] | check <caseId> <seq> <file.json>   [--data DIR]');
    process.exitCode = 2;
  }
} finally {
  await data.close();
}
