// Issue 11 fix: `refuge plan report` gives the inputs' dates as the HTTP report does (the population's import date and
// the registry's last change were missing from the CLI's). Both reports are made on one database and their inputs
// lines compared, all but the time each was made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, tempDir } from '../helpers.ts';
import { handInstance, refuge } from './fixtures.ts';

const inputsLine = (md: string) => md.split('\n').find((l) => l.startsWith('Inputs: '))!.replace(/; made [^;]+\.$/, '');

test('plan report (CLI) names the population import date and the registry\'s last change, as GET /api/plan/report does', async (t) => {
  const dir = tempDir(t);
  const db = handInstance(dir);
  const cli = refuge(['plan', 'report', '--db', db, '--minutes', '5', '--speed', '1', '--detour', '1']);
  assert.equal(cli.status, 0, cli.stderr);
  const server = await startTestServer(t, { dbPath: db });
  const pop = (await server.ctx.store.population.current())!;
  const changed = server.ctx.registry.all().map((s) => s.updatedAt).sort().at(-1)!;
  const line = inputsLine(cli.stdout);
  assert.ok(line.includes(`(imported ${pop.importedAt})`), line);
  assert.ok(line.includes(`(last changed ${changed})`), line);

  let http;
  for (let i = 0; i < 1200; i++) {
    http = await server.request('GET', '/api/plan/report?minutes=5&speed=1&detour=1', { token: server.tokens.operator });
    if (http.status !== 202) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(http!.status, 200, http!.text);
  assert.equal(line, inputsLine(http!.text));
});
