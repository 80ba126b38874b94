// Seals: the chain's head signed with the alert signing key (Ed25519), so that a log rewritten from its first entry,
// with every hash recomputed, no longer matches a signature only the key holder could make.
import { sign, verify, type KeyObject } from 'node:crypto';
import type { AuditHead, AuditSeal, AuditStore } from './ports.ts';

export function sealMessage(seq: number, hash: string, at: string): Buffer {
  return Buffer.from(`refuge-audit-seal/v1\n${seq}\n${hash}\n${at}`, 'utf8');
}

export interface SealKey {
  privateKey: KeyObject;
  keyId: string;
}

export function makeSeal(head: AuditHead, key: SealKey, at: string): AuditSeal {
  const signature = sign(null, sealMessage(head.seq, head.hash, at), key.privateKey).toString('base64');
  return { seq: head.seq, hash: head.hash, at, keyId: key.keyId, signature };
}

export function sealSignatureValid(seal: AuditSeal, publicKey: KeyObject): boolean {
  try {
    return verify(null, sealMessage(seal.seq, seal.hash, seal.at), publicKey, Buffer.from(seal.signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Signs the head now and then (and on demand), when it moved since the last seal: an idle installation adds no seals.
 * The timer does not keep a process alive; a failed seal (the database away) is reported and tried again next time.
 */
export class AuditSealer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<AuditSeal | null> | null = null;

  constructor(
    private readonly store: AuditStore,
    private readonly key: SealKey,
    private readonly opts: { now?: () => Date; onError?: (err: Error) => void } = {},
  ) {}

  /** Seals the current head unless it is sealed already; the seal made, or null. One at a time. */
  sealNow(): Promise<AuditSeal | null> {
    this.running ??= this.seal().finally(() => { this.running = null; });
    return this.running;
  }

  private async seal(): Promise<AuditSeal | null> {
    const head = await this.store.head();
    if (!head) return null;
    const last = await this.store.latestSeal();
    if (last && last.seq >= head.seq) return null;
    const seal = makeSeal(head, this.key, (this.opts.now?.() ?? new Date()).toISOString());
    return (await this.store.addSeal(seal)) ? seal : null;
  }

  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => {
      this.sealNow().catch((e: Error) => this.opts.onError?.(e));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
