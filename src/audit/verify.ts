// Checks the audit log end to end: every entry's hash over its content and the hash before it, numbers without gaps,
// and every seal against the entry it signed and the signing key. Names the first bad entry and what happened to it.
import type { KeyObject } from 'node:crypto';
import { entryHash, GENESIS_HASH } from './chain.ts';
import type { AuditEntry, AuditHead, AuditSeal, AuditStore } from './ports.ts';
import { sealSignatureValid } from './seal.ts';

export type AuditProblemKind = 'edited' | 'removed' | 'inserted' | 'reordered' | 'broken' | 'seal';

export interface AuditProblem {
  /** The first entry that is not as written (or, for a seal, the entry it signed). */
  seq: number;
  kind: AuditProblemKind;
  message: string;
}

export interface AuditVerifyReport {
  ok: boolean;
  /** Entries read (up to the first problem in the chain). */
  entries: number;
  head: AuditHead | null;
  seals: number;
  /** Seals whose signature was checked (the others name a key not given). */
  sealsChecked: number;
  lastSeal: AuditSeal | null;
  firstBad: AuditProblem | null;
  /** What weakens the result without being a problem of the log (no seal yet, a key not given). */
  warnings: string[];
}

export interface VerifyOptions {
  /** Public keys by key id (keyIdOf): seals by other keys are reported as not checked. */
  keys?: Map<string, KeyObject>;
}

/**
 * Reads the chain page by page (`pages` yields entries in seq order) and the seals, and reports the first problem.
 * The chain check stops at the first broken entry: after it, nothing can be trusted to be where it was written.
 */
export async function verifyAuditChain(pages: AsyncIterable<AuditEntry[]>, seals: AuditSeal[], opts: VerifyOptions = {}): Promise<AuditVerifyReport> {
  const sealedAt = new Map<number, string | null>(seals.map((s) => [s.seq, null]));
  /** Where each hash seen so far sits, to tell a moved entry from a changed one. */
  const seqOfHash = new Map<string, number>();
  let expected = 1;
  let prevHash = GENESIS_HASH;
  let prevPrevHash: string | null = null;
  let count = 0;
  let head: AuditHead | null = null;
  let chainProblem: AuditProblem | null = null;

  outer: for await (const page of pages) {
    for (let i = 0; i < page.length; i++) {
      const e = page[i];
      const problem = check(e, page, i);
      if (problem) { chainProblem = problem; break outer; }
      count++;
      if (sealedAt.has(e.seq)) sealedAt.set(e.seq, e.hash);
      seqOfHash.set(e.hash, e.seq);
      prevPrevHash = prevHash;
      prevHash = e.hash;
      head = { seq: e.seq, hash: e.hash };
      expected = e.seq + 1;
    }
  }

  function check(e: AuditEntry, page: AuditEntry[], i: number): AuditProblem | null {
    if (e.seq !== expected) {
      if (e.seq < expected) return { seq: e.seq, kind: 'inserted', message: `entry ${e.seq} is out of sequence (expected ${expected})` };
      const gap = e.seq - expected > 1 ? `entries ${expected} to ${e.seq - 1} are missing` : `entry ${expected} is missing`;
      return { seq: expected, kind: 'removed', message: `${gap} (removed): entry ${e.seq} comes after ${expected === 1 ? 'the start of the log' : `entry ${expected - 1}`}` };
    }
    const selfOk = entryHash(e.prevHash, e) === e.hash;
    const linkOk = e.prevHash === prevHash;
    if (selfOk && linkOk) return null;
    if (linkOk) return { seq: e.seq, kind: 'edited', message: `entry ${e.seq} was changed after it was written: its content does not match its hash` };
    if (e.seq === 1) return { seq: 1, kind: 'broken', message: 'entry 1 does not start the chain: the log was cut or rewritten from its start' };
    if (prevPrevHash !== null && e.prevHash === prevPrevHash) {
      return { seq: e.seq - 1, kind: 'inserted', message: `entry ${e.seq - 1} was inserted: the entry now numbered ${e.seq} was written right after entry ${e.seq - 2}` };
    }
    const movedFrom = seqOfHash.get(e.prevHash) ?? page.slice(i + 1).find((x) => x.hash === e.prevHash)?.seq;
    if (movedFrom !== undefined) {
      return { seq: e.seq, kind: 'reordered', message: `entry ${e.seq} is out of order: it was written right after the entry now numbered ${movedFrom}` };
    }
    if (selfOk && e.seq > 1) {
      return { seq: e.seq - 1, kind: 'edited', message: `entry ${e.seq - 1} was changed and its hash recomputed: entry ${e.seq} no longer follows it` };
    }
    return { seq: e.seq, kind: 'broken', message: `entry ${e.seq} does not follow entry ${e.seq - 1} and does not match its own hash: entries were removed, inserted or reordered here` };
  }

  const problems: AuditProblem[] = chainProblem ? [chainProblem] : [];
  const warnings: string[] = [];
  let sealsChecked = 0;
  let unchecked = 0;
  const sorted = [...seals].sort((a, b) => a.seq - b.seq);
  for (const s of sorted) {
    if (chainProblem && s.seq >= chainProblem.seq) continue; // past the break: the chain says nothing there
    const hash = sealedAt.get(s.seq) ?? null;
    if (hash === null) {
      problems.push({ seq: s.seq, kind: 'seal', message: `the seal of ${s.at} covers entry ${s.seq}, but the log ends at entry ${head?.seq ?? 0}: entries were removed from its end` });
      continue;
    }
    if (hash !== s.hash) {
      problems.push({ seq: s.seq, kind: 'seal', message: `entry ${s.seq} does not match its seal of ${s.at}: the log was rewritten up to there` });
      continue;
    }
    const key = opts.keys?.get(s.keyId);
    if (!key) { unchecked++; continue; }
    if (!sealSignatureValid(s, key)) {
      problems.push({ seq: s.seq, kind: 'seal', message: `the seal of entry ${s.seq} (${s.at}) has a bad signature: it was not made with key ${s.keyId}` });
      continue;
    }
    sealsChecked++;
  }
  if (unchecked) {
    const ids = [...new Set(sorted.filter((s) => !opts.keys?.has(s.keyId)).map((s) => s.keyId))];
    warnings.push(`${unchecked} seal(s) not checked: no public key for ${ids.join(', ')} (give --key FILE or --data-dir)`);
  }
  const lastSeal = sorted.at(-1) ?? null;
  if (count && !sorted.length) warnings.push('no seal yet: a rewrite of the whole log would not be detected (the server seals the head every few minutes)');
  else if (head && lastSeal && head.seq > lastSeal.seq && !chainProblem) warnings.push(`entries ${lastSeal.seq + 1} to ${head.seq} are not sealed yet`);
  problems.sort((a, b) => a.seq - b.seq);
  return { ok: problems.length === 0, entries: count, head, seals: seals.length, sealsChecked, lastSeal, firstBad: problems[0] ?? null, warnings };
}

/** The store's log, page by page (entries after `afterSeq`). */
export async function* storePages(store: AuditStore, afterSeq = 0, pageSize = 5000): AsyncGenerator<AuditEntry[]> {
  let after = afterSeq;
  for (;;) {
    const page = await store.entries(after, pageSize);
    if (!page.length) return;
    yield page;
    after = page[page.length - 1].seq;
  }
}

export async function verifyAuditStore(store: AuditStore, opts: VerifyOptions = {}): Promise<AuditVerifyReport> {
  return verifyAuditChain(storePages(store), await store.seals(), opts);
}
