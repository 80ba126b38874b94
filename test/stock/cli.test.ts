// `refuge import stock-catalogue` / `stock-balances` and `refuge export stock-catalogue` / `stock-report` as a user
// runs them: a real process and a real database file. A bad file is refused whole, naming line, column and reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../helpers.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { SqliteStockRepository } from '../../src/store/sqlite/stock.ts';
import { StockService } from '../../src/stock/index.ts';

const BIN = join(ROOT, 'bin', 'refuge.js');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT });

test('stock CSV import through the CLI: errors with line, column and reason, all or nothing; then export', async (t) => {
  const dir = tempDir(t);
  const db = join(dir, 'r.db');
  const store = openSqliteStore(db);
  const depot = await new StockService(new SqliteStockRepository(store.db)).createDepot({ name: 'North' }, 'setup');
  store.close();

  const bad = join(dir, 'bad-catalogue.csv');
  writeFileSync(bad, 'code,name,category,unit,decimals,tracks_lots\nBL,Blanket,shelter,piece,0,no\nWA,Water,food,litre,5,no\nBL,Blanket again,shelter,piece,0,no\nKI,,medical,kit,0,yes\n');
  const r = run(['import', 'stock-catalogue', bad, '--db', db]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /bad-catalogue\.csv:3: decimals: decimals must be a number from 0 to 3/);
  assert.match(r.stderr, /bad-catalogue\.csv:4: code: code BL is also on line 2/);
  assert.match(r.stderr, /bad-catalogue\.csv:5: name: name is required/);
  assert.match(r.stderr, /3 problems; nothing was imported/);
  const unknown = join(dir, 'unknown.csv');
  writeFileSync(unknown, 'code,name,category,unit,colour\nX,Y,Z,piece,red\n');
  assert.match(run(['import', 'stock-catalogue', unknown, '--db', db]).stderr, /unknown\.csv:1: colour: unknown column/);

  const good = join(dir, 'catalogue.csv');
  writeFileSync(good, 'code,name,category,unit,decimals,tracks_lots\nBL,Blanket,shelter,piece,0,no\nWA,Water,food,litre,1,no\nKI,First-aid kit,medical,kit,0,yes\n');
  const ok = run(['import', 'stock-catalogue', good, '--db', db]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /3 items added, 0 updated/);
  assert.match(run(['import', 'stock-catalogue', good, '--db', db]).stdout, /0 items added, 3 updated/);

  const badBalances = join(dir, 'bad-balances.csv');
  writeFileSync(badBalances, 'item,quantity,lot,expires,minimum\nBL,100,,,20\nWA,10.25,,,\nKI,5,,,\nKI,5,K1,2027-02-30,\nNOPE,1,,,\n');
  const rb = run(['import', 'stock-balances', badBalances, '--db', db, '--depot', depot.id]);
  assert.equal(rb.status, 1);
  assert.match(rb.stderr, /bad-balances\.csv:3: quantity: quantity allows at most 1 decimals/);
  assert.match(rb.stderr, /bad-balances\.csv:4: lot: First-aid kit tracks lots/);
  assert.match(rb.stderr, /bad-balances\.csv:5: expires: expires is not a calendar date/);
  assert.match(rb.stderr, /bad-balances\.csv:6: item: no item with code or id NOPE/);
  const check = openSqliteStore(db);
  assert.equal(check.db.prepare('SELECT COUNT(*) FROM stock_movements').pluck().get(), 0, 'nothing was written');
  assert.equal(check.db.prepare('SELECT COUNT(*) FROM stock_minimums').pluck().get(), 0);
  check.close();

  const balances = join(dir, 'balances.csv');
  writeFileSync(balances, 'item,quantity,lot,expires,minimum\nBL,100,,,120\nWA,10.5,,,\nKI,5,K1,2027-02-28,\nKI,3,K0,2026-01-31,\n');
  const okb = run(['import', 'stock-balances', balances, '--db', db, '--depot', depot.id]);
  assert.equal(okb.status, 0, okb.stderr);
  assert.match(okb.stdout, /4 opening balances received, 1 minimum levels set/);
  assert.equal(run(['import', 'stock-balances', balances, '--db', db, '--depot', 'nope']).status, 1);

  const report = run(['export', 'stock-report', 'balances', '--db', db, '--depot', depot.id]);
  assert.equal(report.status, 0, report.stderr);
  assert.match(report.stdout, /Water,food,litre,10\.5,,/);
  assert.match(report.stdout, /First-aid kit,medical,kit,8,,"K0 \(2026-01-31\): 3; K1 \(2027-02-28\): 5",2026-01-31/);
  const below = run(['export', 'stock-report', 'below-minimum', '--db', db]);
  assert.match(below.stdout, /Blanket,piece,100,120,20/);
  const cat = run(['export', 'stock-catalogue', '--db', db]);
  assert.equal(cat.stdout, 'code,name,category,unit,decimals,tracks_lots\r\nWA,Water,food,litre,1,no\r\nKI,First-aid kit,medical,kit,0,yes\r\nBL,Blanket,shelter,piece,0,no\r\n');
  assert.equal(run(['export', 'stock-report', 'nonsense', '--db', db]).status, 1);

  // A depot's balances export in the import's columns and import back into another depot unchanged.
  const exported = run(['export', 'stock-balances', '--db', db, '--depot', depot.id]);
  assert.equal(exported.status, 0, exported.stderr);
  assert.equal(exported.stdout, 'item,quantity,lot,expires,minimum\r\nWA,10.5,,,\r\nKI,3,K0,2026-01-31,\r\nKI,5,K1,2027-02-28,\r\nBL,100,,,120\r\n');
  const file = join(dir, 'exported.csv');
  writeFileSync(file, exported.stdout);
  const s2 = openSqliteStore(db);
  const copy = await new StockService(new SqliteStockRepository(s2.db)).createDepot({ name: 'Copy' }, 'setup');
  s2.close();
  assert.equal(run(['import', 'stock-balances', file, '--db', db, '--depot', copy.id]).status, 0);
  assert.equal(run(['export', 'stock-balances', '--db', db, '--depot', copy.id]).stdout, exported.stdout);
});
