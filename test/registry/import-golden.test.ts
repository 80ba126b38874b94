// Golden files: each file in import/in is prepared for import and compared with import/out/<name>.json.
// Regenerate after an intended change with UPDATE_GOLDEN=1 and read the diff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTable, prepareImport } from '../../src/registry/import/index.ts';

const here = join(dirname(fileURLToPath(import.meta.url)), 'import');

for (const name of readdirSync(join(here, 'in'))) {
  test(`import golden: ${name}`, () => {
    const prepared = prepareImport(readTable(readFileSync(join(here, "in", name)), name));
    const actual = { records: prepared.records, problems: prepared.problems, warnings: prepared.warnings, columns: prepared.mapping.fields, skippedDuplicates: prepared.skippedDuplicates };
    const outFile = join(here, 'out', name.replace(/\.[^.]+$/, '.json'));
    if (process.env.UPDATE_GOLDEN || !existsSync(outFile)) writeFileSync(outFile, JSON.stringify(actual, null, 2) + '\n');
    assert.deepEqual(JSON.parse(JSON.stringify(actual)), JSON.parse(readFileSync(outFile, 'utf8')));
  });
}
