// Secrets given to clients (session cookies, API tokens) are stored only as SHA-256 hashes.
import { createHash, randomBytes } from 'node:crypto';

export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A token's public id (listed, used to revoke it); says nothing about the secret. */
export function newTokenId(): string {
  return `tok_${randomBytes(8).toString('hex')}`;
}
