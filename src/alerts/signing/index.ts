// CAP signatures: Ed25519 over the canonical form of the CAP XML, embedded as an XML-DSig enveloped signature.
export {
  signCap,
  verifyCap,
  attachSignature,
  canonicalCapForm,
  createCapSigner,
  DSIG_NS,
  ED25519,
  type VerifyResult,
} from './cap-signature.ts';
export {
  generateSigningKeyPair,
  signingKeyPairFromPem,
  publicKeyFromPem,
  loadOrCreateSigningKey,
  loadSigningKey,
  loadPublicKey,
  keyIdOf,
  signingKeyDirForDb,
  PRIVATE_KEY_FILE,
  PUBLIC_KEY_FILE,
  type SigningKeyPair,
} from './keys.ts';
export { assessImportTrust, trustedAuthority } from './trust.ts';
export { canonicalJson, signPayload, verifyPayload, PAYLOAD_SIGNATURE_FIELD, type PayloadSignature, type PayloadVerifyResult } from './event-signature.ts';
