// An independent check of the assignment: two linear programs solved by HiGHS (WebAssembly), without the big-M
// construction the solver uses. LP 1 maximises the people covered; LP 2 fixes that number and minimises walking
// time. Transportation LPs have integral optima, so their values equal the integer optimum.
import * as highsModule from 'highs';
import type { AssignmentProblem } from '../../src/planning/assignment.ts';

interface Solver { solve(problem: string): { Status: string; ObjectiveValue: number } }
// The package's types describe its default export loosely for NodeNext; at run time the default export is the loader.
const highsLoader = ((highsModule as unknown as { default?: unknown }).default ?? highsModule) as () => Promise<Solver>;
let highs: Solver | null = null;

function constraints(p: AssignmentProblem): string[] {
  const byD = new Map<number, string[]>(), byS = new Map<number, string[]>();
  for (let k = 0; k < p.arcFrom.length; k++) {
    (byD.get(p.arcFrom[k]) ?? byD.set(p.arcFrom[k], []).get(p.arcFrom[k])!).push(`x${k}`);
    (byS.get(p.arcTo[k]) ?? byS.set(p.arcTo[k], []).get(p.arcTo[k])!).push(`x${k}`);
  }
  const rows: string[] = [];
  for (const [i, xs] of byD) rows.push(` d${i}: ${xs.join(' + ')} <= ${p.demand[i]}`);
  for (const [j, xs] of byS) rows.push(` s${j}: ${xs.join(' + ')} <= ${p.places[j]}`);
  return rows;
}

export async function lpOptimum(p: AssignmentProblem): Promise<{ covered: number; cost: number }> {
  highs ??= await highsLoader();
  const A = p.arcFrom.length;
  if (A === 0) return { covered: 0, cost: 0 };
  const all = Array.from({ length: A }, (_, k) => `x${k}`);
  const rows = constraints(p);
  const lp1 = ['Maximize', ` obj: ${all.join(' + ')}`, 'Subject To', ...rows, 'End'].join('\n');
  const r1 = highs.solve(lp1);
  if (r1.Status !== 'Optimal') throw new Error(`LP 1: ${r1.Status}`);
  const covered = Math.round(r1.ObjectiveValue);
  const lp2 = [
    'Minimize', ` obj: ${all.map((x, k) => `${p.arcCost[k]} ${x}`).join(' + ')}`,
    'Subject To', ...rows, ` f: ${all.join(' + ')} = ${covered}`, 'End',
  ].join('\n');
  const r2 = highs.solve(lp2);
  if (r2.Status !== 'Optimal') throw new Error(`LP 2: ${r2.Status}`);
  return { covered, cost: Math.round(r2.ObjectiveValue) };
}
