// Trust for imported CAP: a message counts as coming from a trusted authority only when its <sender> is configured
// (`refuge alerts trust add`) AND its enveloped XML signature verifies against that authority's configured key.
// Nothing carried in the message (a KeyInfo, a senderName) ever makes it trusted.
import type { CapAlert } from '../model.ts';
import type { ImportTrustAssessment, TrustedAuthority, TrustedAuthorityStore } from '../lifecycle/ports.ts';
import { verifyCap } from './cap-signature.ts';
import { keyIdOf, publicKeyFromPem } from './keys.ts';

/** Checks an imported document against the configured authorities. */
export async function assessImportTrust(cap: CapAlert, capXml: string | Uint8Array, authorities: Pick<TrustedAuthorityStore, 'find'>): Promise<ImportTrustAssessment> {
  const authority = await authorities.find(cap.sender);
  if (!authority) return { trusted: false, authority: null, reason: `sender ${cap.sender} is not a configured trusted authority` };
  let key;
  try {
    key = publicKeyFromPem(authority.publicKeyPem, `trusted key of ${authority.sender}`);
  } catch (err) {
    return { trusted: false, authority, reason: (err as Error).message };
  }
  const result = verifyCap(capXml, null, key);
  if (!result.valid) return { trusted: false, authority, reason: `the signature of trusted authority ${authority.sender} does not hold: ${result.reason}`, signatureInvalid: result.embedded };
  return { trusted: true, authority, reason: null };
}

/** A trusted authority record from a PEM public key (Ed25519 only); throws with a clear message otherwise. */
export function trustedAuthority(input: { sender: string; name: string; publicKeyPem: string; addedBy: string; addedAt: string }): TrustedAuthority {
  const sender = input.sender.trim();
  if (sender === '' || /[\s,<&]/.test(sender)) throw new Error(`--sender: a CAP sender has no spaces, commas, "<" or "&" (got ${JSON.stringify(input.sender)})`);
  const name = input.name.trim();
  if (name === '' || name.length > 200) throw new Error('--name: required, at most 200 characters');
  const key = publicKeyFromPem(input.publicKeyPem, '--key');
  return { sender, name, publicKeyPem: key.export({ type: 'spki', format: 'pem' }) as string, keyId: keyIdOf(key), addedBy: input.addedBy, addedAt: input.addedAt };
}
