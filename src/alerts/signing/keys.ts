// Ed25519 key pairs for signing CAP: generation, a short key id, and persistence in a directory
// (the server keeps it next to its database; nothing here reads the environment).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_KEY_FILE = 'cap-signing-key.pem';
export const PUBLIC_KEY_FILE = 'cap-signing-key.pub.pem';

export interface SigningKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM of the public key: what the well-known URL publishes and `refuge verify --key` reads. */
  publicKeyPem: string;
  keyId: string;
}

/** Directory of the signing key for a database file: "<db>.keys/" beside it. */
export function signingKeyDirForDb(dbPath: string): string {
  return `${dbPath}.keys`;
}

/** base64url of the first 12 bytes of SHA-256 over the public key's SPKI DER: names the key in signatures. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest().subarray(0, 12).toString('base64url');
}

export function generateSigningKeyPair(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return describe(privateKey, publicKey);
}

/** From a PEM private key (PKCS#8) — e.g. key material held by an HSM export or a secret store. */
export function signingKeyPairFromPem(privateKeyPem: string): SigningKeyPair {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`signing key is ${privateKey.asymmetricKeyType}, not ed25519`);
  return describe(privateKey, createPublicKey(privateKey));
}

/** A public key from PEM (SPKI) text; throws if it is not Ed25519. */
export function publicKeyFromPem(pem: string, source = 'public key'): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (err) {
    throw new Error(`${source}: not a PEM public key (${(err as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${source}: key is ${key.asymmetricKeyType}, not ed25519`);
  return key;
}

/** Reads the key pair from `dir`, or generates and stores one (private key file mode 0600) on first use. */
export function loadOrCreateSigningKey(dir: string): SigningKeyPair & { generated: boolean } {
  const existing = loadSigningKey(dir);
  if (existing) return { ...existing, generated: false };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pair = generateSigningKeyPair();
  const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  // Write-then-rename so a crash never leaves half a key; the private key goes last, it marks completion.
  writeAtomic(join(dir, PUBLIC_KEY_FILE), pair.publicKeyPem, 0o644);
  writeAtomic(join(dir, PRIVATE_KEY_FILE), privatePem, 0o600);
  return { ...pair, generated: true };
}

/** The stored key pair, or null when `dir` has none. */
export function loadSigningKey(dir: string): SigningKeyPair | null {
  const file = join(dir, PRIVATE_KEY_FILE);
  if (!existsSync(file)) return null;
  try {
    return signingKeyPairFromPem(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot read the CAP signing key (${(err as Error).message})`);
  }
}

/** Only the public half, e.g. for `refuge verify --db`: from the .pub.pem file, else derived from the private key. */
export function loadPublicKey(dir: string): KeyObject | null {
  const pub = join(dir, PUBLIC_KEY_FILE);
  if (existsSync(pub)) return publicKeyFromPem(readFileSync(pub, 'utf8'), pub);
  return loadSigningKey(dir)?.publicKey ?? null;
}

function describe(privateKey: KeyObject, publicKey: KeyObject): SigningKeyPair {
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string, keyId: keyIdOf(publicKey) };
}

function writeAtomic(file: string, content: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, file);
}
