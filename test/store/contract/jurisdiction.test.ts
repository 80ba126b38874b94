// Issue 14 on both stores: an account's jurisdiction (region codes, checked against the stored regions in the writing
// transaction, audited with the account) and regions' names in other languages (kept as imported, real OSM data).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { freshPostgres, freshSqlite } from './databases.ts';
import { region } from './regions.contract.ts';
import { Accounts, AccountError, UnknownRegionCodes, type AccountEventInput } from '../../../src/accounts/index.ts';
import { parseRegionsGeoJson } from '../../../src/geo/index.ts';
import type { Store } from '../../../src/store/store.ts';

const OSM = '/work/shared/data/ukraine-oblasts/ukraine_oblasts_osm_raw.json';
const ev: AccountEventInput = { at: '2026-03-01T10:00:00.000Z', actor: 'root', via: 'local', action: 'test', subject: 'x', detail: {} };

/** The audit entries of one users row, oldest first, as the log keeps them. */
async function userAudit(store: Store, name: string): Promise<Array<{ op: string; after: Record<string, unknown> | null }>> {
  const entries = (await store.audit.entriesFor('users', name, 1000)).reverse();
  return entries.map((e) => ({ op: e.op, after: e.after === null ? null : JSON.parse(e.after) as Record<string, unknown> }));
}

for (const [kind, fresh] of [['sqlite', freshSqlite], ['postgres', freshPostgres]] as const) {
  test(`${kind}: a jurisdiction is stored sorted, read back everywhere, changed, taken away, and audited`, async (t) => {
    const store = await fresh(t) as unknown as Store;
    await store.regions.replaceSource('src', [region('UA-46'), region('UA-32'), region('UA-46-lviv', { parentCode: 'UA-46' })]);
    const accounts = new Accounts(store.accounts);
    const olga = await accounts.createUser('olga', 'operator', 'a-long-enough-password', undefined, { jurisdiction: ['UA-46', ' UA-32', 'UA-46'] });
    assert.deepEqual(olga.jurisdiction, ['UA-32', 'UA-46']);
    assert.deepEqual((await store.accounts.findUser('olga'))!.jurisdiction, ['UA-32', 'UA-46']);
    assert.deepEqual((await accounts.listUsers()).find((u) => u.name === 'olga')!.jurisdiction, ['UA-32', 'UA-46']);
    const plain = await accounts.createUser('anna', 'approver', 'a-long-enough-password');
    assert.deepEqual(plain.jurisdiction, [], 'none is an empty list');

    // Seen through a session and a token as well (the console reads /api/auth/me).
    const session = await accounts.startSession(olga);
    assert.deepEqual((await accounts.userForSession(session.token))!.jurisdiction, ['UA-32', 'UA-46']);
    const token = await accounts.createApiToken('olga');
    assert.deepEqual((await store.accounts.tokenByHash((await import('../../../src/accounts/tokens.ts')).hashSecret(token)))!.user.jurisdiction, ['UA-32', 'UA-46']);

    const changed = await accounts.setJurisdiction({ name: 'root', via: 'cli' }, 'olga', ['UA-46-lviv']);
    assert.deepEqual(changed.jurisdiction, ['UA-46-lviv']);
    const events = await accounts.events({ subject: 'olga' });
    assert.equal(events[0].action, 'user.jurisdiction-changed');
    assert.deepEqual(events[0].detail, { from: ['UA-32', 'UA-46'], to: ['UA-46-lviv'] });
    assert.deepEqual((await accounts.setJurisdiction({ name: 'root', via: 'cli' }, 'olga', [])).jurisdiction, []);

    // The audit log has every state of the column (the users triggers follow the live columns).
    const audit = await userAudit(store, 'olga');
    assert.deepEqual(audit.map((e) => e.after?.jurisdiction ?? null).map((j) => (typeof j === 'string' ? JSON.parse(j) : j)),
      [['UA-32', 'UA-46'], ['UA-46-lviv'], null]);
  });

  test(`${kind}: a jurisdiction naming a region that is not stored is refused whole, naming the field and the codes`, async (t) => {
    const store = await fresh(t) as unknown as Store;
    await store.regions.replaceSource('src', [region('UA-46')]);
    const accounts = new Accounts(store.accounts);
    // The store refuses it in its transaction (the port's contract) ...
    await assert.rejects(store.accounts.createUser({ name: 'x', role: 'operator', passwordHash: 'h', createdAt: ev.at, createdBy: null, pending: null, mustChangePassword: false, jurisdiction: ['UA-46', 'UA-99'] }, ev),
      (e: unknown) => e instanceof UnknownRegionCodes && e.codes.join() === 'UA-99');
    assert.equal(await store.accounts.findUser('x'), null, 'nothing created');
    // ... and the accounts say which field is wrong.
    await assert.rejects(accounts.createUser('olga', 'operator', 'a-long-enough-password', undefined, { jurisdiction: ['UA-99', 'UA-46', 'nowhere'] }),
      (e: unknown) => e instanceof AccountError && e.status === 400 && e.field === 'jurisdiction' && /"UA-99", "nowhere"/.test(e.message));
    assert.equal(await store.accounts.findUser('olga'), null);
    await accounts.createUser('olga', 'operator', 'a-long-enough-password', undefined, { jurisdiction: ['UA-46'] });
    const before = (await accounts.events({ subject: 'olga' })).length;
    await assert.rejects(accounts.setJurisdiction({ name: 'root', via: 'cli' }, 'olga', ['UA-46', 'UA-12']),
      (e: unknown) => e instanceof AccountError && e.field === 'jurisdiction' && /"UA-12"/.test(e.message));
    assert.deepEqual((await accounts.getUser('olga')).jurisdiction, ['UA-46'], 'unchanged');
    assert.equal((await accounts.events({ subject: 'olga' })).length, before, 'no event for a refused change');
    for (const bad of ['UA-46', [''], [7], null]) {
      await assert.rejects(accounts.setJurisdiction({ name: 'root', via: 'cli' }, 'olga', bad), (e: unknown) => e instanceof AccountError && e.field === 'jurisdiction', JSON.stringify(bad));
    }
    // Only an admin, over HTTP.
    await assert.rejects(accounts.setJurisdiction({ name: 'olga', via: 'http', role: 'operator' }, 'olga', []), (e: unknown) => e instanceof AccountError && e.code === 'NOT_ADMIN');
  });

  test(`${kind}: a re-import that drops a jurisdiction's code: reported, marked on the account, still restricting; saving drops it, never to "no limit"`, async (t) => {
    const store = await fresh(t) as unknown as Store;
    await store.regions.replaceSource('src', [region('UA-46'), region('UA-32'), region('UA-12')]);
    const accounts = new Accounts(store.accounts);
    const root = { name: 'root', via: 'cli' as const };
    await accounts.createUser('olga', 'operator', 'a-long-enough-password', undefined, { jurisdiction: ['UA-46', 'UA-32'] });
    await accounts.createUser('taras', 'operator', 'a-long-enough-password', undefined, { jurisdiction: ['UA-32'] });
    await accounts.createUser('anna', 'operator', 'a-long-enough-password', undefined, { jurisdiction: ['UA-12'] });
    assert.deepEqual((await accounts.getUser('olga')).jurisdictionGone, [], 'nothing gone yet');

    // UA-32 is dropped by the re-import: the outcome names every account that holds it, and what it has left.
    const out = await store.regions.replaceSource('src', [region('UA-46'), region('UA-12')]);
    assert.equal(out.removed, 1);
    assert.deepEqual(out.accountsWithGoneCodes, [{ account: 'olga', gone: ['UA-32'], left: 1 }, { account: 'taras', gone: ['UA-32'], left: 0 }]);

    // The reads keep the code (it restricts) and mark it gone.
    const taras = await accounts.getUser('taras');
    assert.deepEqual([taras.jurisdiction, taras.jurisdictionGone], [['UA-32'], ['UA-32']]);
    assert.deepEqual((await accounts.listUsers()).map((u) => [u.name, u.jurisdictionGone]), [['anna', []], ['olga', ['UA-32']], ['taras', ['UA-32']]]);
    const session = await accounts.startSession(taras);
    assert.deepEqual((await accounts.userForSession(session.token))!.jurisdiction, ['UA-32'], 'the signed-in account is still limited by the gone code');

    // Saving olga as shown (with the gone code) drops it explicitly, in the event; the other code stays.
    const olga = await accounts.setJurisdiction(root, 'olga', ['UA-46', 'UA-32']);
    assert.deepEqual([olga.jurisdiction, olga.jurisdictionGone], [['UA-46'], []]);
    assert.deepEqual((await accounts.events({ subject: 'olga' }))[0].detail, { from: ['UA-32', 'UA-46'], to: ['UA-46'], dropped: ['UA-32'] });
    // A new unknown code is still a typo: refused.
    await assert.rejects(accounts.setJurisdiction(root, 'olga', ['UA-46', 'UA-99']), (e: unknown) => e instanceof AccountError && e.field === 'jurisdiction' && /"UA-99"/.test(e.message));

    // taras's only code is gone: saving it as it is would leave no code, i.e. no limit. Refused; taras stays limited.
    const before = (await accounts.events({ subject: 'taras' })).length;
    await assert.rejects(accounts.setJurisdiction(root, 'taras', ['UA-32']),
      (e: unknown) => e instanceof AccountError && e.status === 400 && e.field === 'jurisdiction' && /UA-32 is no longer a region/.test(e.message) && /empty list lifts/.test(e.message));
    assert.deepEqual((await accounts.getUser('taras')).jurisdiction, ['UA-32'], 'kept');
    assert.equal((await accounts.events({ subject: 'taras' })).length, before);
    // With a region that exists, the gone one goes; an empty list, sent on purpose, lifts the limit.
    assert.deepEqual((await accounts.setJurisdiction(root, 'taras', ['UA-32', 'UA-12'])).jurisdiction, ['UA-12']);
    assert.deepEqual((await accounts.setJurisdiction(root, 'taras', [])).jurisdiction, []);
  });

  test(`${kind}: regions keep their names in other languages (the OSM oblasts: every name:xx tag), and a re-import replaces them`, async (t) => {
    const store = await fresh(t) as unknown as Store;
    const parsed = parseRegionsGeoJson(readFileSync(OSM, 'utf8'), {}, 'osm').regions;
    await store.regions.replaceSource('osm', parsed);
    const all = await store.regions.all();
    assert.equal(all.length, 27);
    assert.deepEqual(all, [...parsed].sort((a, b) => (a.code < b.code ? -1 : 1)), 'read back exactly as imported');
    const lviv = all.find((r) => r.code === 'UA-46')!;
    assert.equal(lviv.names!.uk, 'Львівська область');
    assert.equal(lviv.names!.en, 'Lviv Oblast');
    assert.ok(Object.keys(lviv.names!).length >= 50, Object.keys(lviv.names!).join());
    assert.deepEqual(Object.keys(lviv.names!), Object.keys(lviv.names!).sort(), 'keys in order on both stores');
    // A re-import without names takes them away; one region without names keeps none.
    await store.regions.replaceSource('osm', parsed.map(({ names: _n, ...r }) => (r.code === 'UA-46' ? r : { ...r, names: { en: `${r.name} (en)` } })));
    const again = await store.regions.all();
    assert.equal('names' in again.find((r) => r.code === 'UA-46')!, false);
    assert.deepEqual(again.find((r) => r.code === 'UA-65')!.names, { en: `${parsed.find((r) => r.code === 'UA-65')!.name} (en)` });
  });
}
