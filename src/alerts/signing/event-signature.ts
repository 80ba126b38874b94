// Signed alert payloads for channels a device reads offline (MQTT): the alert event JSON plus an Ed25519 signature
// by Refuge's CAP signing key over its canonical form, so a siren controller can check, with the public key it was
// given once, that a retained message on an open broker came from Refuge and was not changed.
//
// Canonical form: the payload object WITHOUT its "payloadSignature" member, serialised with the JSON
// Canonicalization Scheme (RFC 8785: object members sorted by UTF-16 code units, no whitespace, ECMAScript number
// and string serialisation), as UTF-8. Signature: pure Ed25519 (RFC 8032) over those bytes, base64.
import { sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { keyIdOf, type SigningKeyPair } from './keys.ts';

export const PAYLOAD_SIGNATURE_FIELD = 'payloadSignature';
export const PAYLOAD_CANONICALIZATION = 'RFC8785';

export interface PayloadSignature {
  alg: 'Ed25519';
  canonicalization: typeof PAYLOAD_CANONICALIZATION;
  keyId: string;
  /** base64 Ed25519 signature over the RFC 8785 form of the payload without this member. */
  value: string;
}

/** RFC 8785 JSON canonical form (the JSON values an alert event holds: objects, arrays, strings, finite numbers, booleans, null). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON: numbers must be finite');
    return JSON.stringify(value); // ECMAScript Number-to-String, as RFC 8785 requires
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    // Default sort compares UTF-16 code units, which is what RFC 8785 specifies.
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON: cannot encode a ${typeof value}`);
}

function withoutSignature(payload: Record<string, unknown>): Record<string, unknown> {
  const { [PAYLOAD_SIGNATURE_FIELD]: _omit, ...rest } = payload;
  return rest;
}

/** The payload with its signature member added (any existing one is replaced). */
export function signPayload<T extends object>(payload: T, key: SigningKeyPair): T & { payloadSignature: PayloadSignature } {
  const body = withoutSignature(payload as Record<string, unknown>);
  const value = cryptoSign(null, Buffer.from(canonicalJson(body), 'utf8'), key.privateKey).toString('base64');
  return { ...(body as T), payloadSignature: { alg: 'Ed25519', canonicalization: PAYLOAD_CANONICALIZATION, keyId: key.keyId, value } };
}

export interface PayloadVerifyResult {
  valid: boolean;
  reason: string | null;
  keyId: string | null;
}

/** Checks a signed payload (parsed JSON) against a public key the verifier already trusts. */
export function verifyPayload(payload: unknown, publicKey: KeyObject): PayloadVerifyResult {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return { valid: false, reason: 'not a JSON object', keyId: null };
  const sig = (payload as Record<string, unknown>)[PAYLOAD_SIGNATURE_FIELD] as Partial<PayloadSignature> | undefined;
  if (!sig || typeof sig !== 'object') return { valid: false, reason: `the payload carries no "${PAYLOAD_SIGNATURE_FIELD}"`, keyId: null };
  const keyId = typeof sig.keyId === 'string' ? sig.keyId : null;
  if (sig.alg !== 'Ed25519') return { valid: false, reason: `unsupported algorithm ${JSON.stringify(sig.alg)}; Refuge signs with Ed25519`, keyId };
  if (sig.canonicalization !== PAYLOAD_CANONICALIZATION) return { valid: false, reason: `unsupported canonicalization ${JSON.stringify(sig.canonicalization)}`, keyId };
  if (typeof sig.value !== 'string' || sig.value === '') return { valid: false, reason: 'the signature value is missing', keyId };
  const trusted = keyIdOf(publicKey);
  if (keyId !== null && keyId !== trusted) return { valid: false, reason: `signed with key ${keyId}, not the trusted key ${trusted}`, keyId };
  let bytes: Buffer;
  try {
    bytes = Buffer.from(canonicalJson(withoutSignature(payload as Record<string, unknown>)), 'utf8');
  } catch (err) {
    return { valid: false, reason: (err as Error).message, keyId };
  }
  let ok = false;
  try {
    ok = cryptoVerify(null, bytes, publicKey, Buffer.from(sig.value, 'base64'));
  } catch (err) {
    return { valid: false, reason: `signature cannot be checked: ${(err as Error).message}`, keyId };
  }
  return ok ? { valid: true, reason: null, keyId } : { valid: false, reason: 'the signature does not match this payload and key (changed after signing, or forged)', keyId };
}
