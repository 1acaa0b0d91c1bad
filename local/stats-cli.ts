import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { publishStatistics, statisticsCsv } from '../functions/domain/publication.js';
import { figuresFromCounts } from '../functions/domain/stats.js';
import { openDataFolder } from './data-access.js';

/**
 * `npm run stats`: a force's published figures, with small numbers withheld,
 * as GET /stats gives them. CSV on standard output by default, JSON with
 * `--format json`; `--out DIR` writes both files instead. Against the running
 * `npm start` if there is one; otherwise on the data folder itself.
 */
const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '.data' },
    force: { type: 'string', default: 'LOCAL' },
    format: { type: 'string', default: 'csv' },
    out: { type: 'string' },
  },
});
if (values.format !== 'csv' && values.format !== 'json') {
  process.stderr.write('usage: stats-cli [--data DIR] [--force FORCE] [--format csv|json] [--out DIR]\n');
  process.exit(2);
}

const data = await openDataFolder(resolve(values.data!));
try {
  const { forceCounts } = await import('../functions/adapters/statsCounts.js');
  const published = publishStatistics(figuresFromCounts(await forceCounts(values.force!), new Date().toISOString()));
  const json = `${JSON.stringify(published, null, 2)}\n`;
  const csv = statisticsCsv(published);
  if (values.out) {
    const dir = resolve(values.out);
    await mkdir(dir, { recursive: true });
    const base = join(dir, `statistics-${values.force}-${published.generatedAt.slice(0, 10)}`);
    await writeFile(`${base}.json`, json);
    await writeFile(`${base}.csv`, csv);
    process.stdout.write(
      `wrote ${base}.json and ${base}.csv (${published.withheld.length} figures withheld under ${published.suppression.threshold} cases)\n`,
    );
  } else {
    process.stdout.write(values.format === 'json' ? json : csv);
  }
} finally {
  await data.close();
}
