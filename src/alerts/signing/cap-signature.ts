// Ed25519 signatures over CAP XML, as an XML-DSig enveloped signature (RFC 9231 "eddsa-ed25519").
//
// Canonical form (see docs/alerts.md, "Signatures"):
//   1. parse the CAP document (same safety checks and XSD validation as any import);
//   2. remove every <Signature> element (XML-DSig namespace) that is a child of <alert>;
//   3. serialise with Exclusive XML Canonicalization 1.0 without comments -> UTF-8 bytes C.
// DigestValue = base64(SHA-256(C)). The signed bytes are the exclusive-c14n form of the fixed <SignedInfo>
// below holding that digest; SignatureValue = base64(Ed25519(SignedInfo bytes)). Because SignedInfo is fixed,
// the SignatureValue alone is also a detached signature of the unsigned document.
import { createHash, createPublicKey, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { XmlC14NMode, XmlDocument, XmlElement, type XmlTreeNode } from 'libxml2-wasm';
import { CapError } from '../cap/errors.ts';
import { loadCapDocument } from '../cap/xml-guard.ts';
import { keyIdOf, type SigningKeyPair } from './keys.ts';

export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
export const ED25519 = 'http://www.w3.org/2021/04/xmldsig-more#eddsa-ed25519';
export const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

const C14N = { mode: XmlC14NMode.XML_C14N_EXCLUSIVE_1_0, withComments: false };

interface EmbeddedSignature {
  signatureValue: string | null;
  keyName: string | null;
  digestValue: string | null;
  signatureMethod: string | null;
}

export interface VerifyResult {
  valid: boolean;
  /** Why it does not hold; null when valid. */
  reason: string | null;
  /** Key id named in the embedded signature, if any. */
  keyId: string | null;
  embedded: boolean;
}

/** The exact bytes that are digested: the document without its signature, exclusive-c14n, no comments. */
export function canonicalCapForm(xml: string | Uint8Array): string {
  return canonicalize(xml).canonical;
}

function canonicalize(xml: string | Uint8Array): { canonical: string; embedded: EmbeddedSignature | null } {
  const { doc } = loadCapDocument(xml);
  try {
    const signatures = elementChildren(doc.root).filter((e) => e.name === 'Signature' && e.namespaceUri === DSIG_NS);
    if (signatures.length > 1) throw new CapError('invalid-value', 'CAP document carries more than one <Signature>', 'Signature');
    const embedded = signatures[0] ? readEmbedded(signatures[0]) : null;
    for (const s of signatures) s.remove();
    return { canonical: doc.canonicalizeToString(C14N), embedded };
  } finally {
    doc.dispose();
  }
}

function signedInfoXml(digest: string): string {
  return (
    `<SignedInfo xmlns="${DSIG_NS}">` +
    `<CanonicalizationMethod Algorithm="${EXC_C14N}"></CanonicalizationMethod>` +
    `<SignatureMethod Algorithm="${ED25519}"></SignatureMethod>` +
    `<Reference URI=""><Transforms>` +
    `<Transform Algorithm="${ENVELOPED}"></Transform><Transform Algorithm="${EXC_C14N}"></Transform>` +
    `</Transforms><DigestMethod Algorithm="${SHA256}"></DigestMethod><DigestValue>${digest}</DigestValue></Reference>` +
    `</SignedInfo>`
  );
}

/** Canonical SignedInfo bytes for a digest (already canonical by construction; c14n makes sure). */
function signedInfoBytes(digest: string): Buffer {
  const doc = XmlDocument.fromString(signedInfoXml(digest));
  try {
    return Buffer.from(doc.canonicalizeToString(C14N), 'utf8');
  } finally {
    doc.dispose();
  }
}

function digestOf(canonical: string): string {
  return createHash('sha256').update(canonical, 'utf8').digest('base64');
}

/** Signs CAP XML: returns the detached SignatureValue, the key id and the document with the signature embedded. */
export function signCap(xml: string, privateKey: KeyObject | SigningKeyPair): { signature: string; keyId: string; signedXml: string } {
  const key = 'privateKey' in privateKey ? privateKey.privateKey : privateKey;
  const keyId = 'keyId' in privateKey ? privateKey.keyId : keyIdOf(createPublicKey(key));
  const { canonical, embedded } = canonicalize(xml);
  if (embedded) throw new CapError('invalid-value', 'CAP document is already signed', 'Signature');
  const digest = digestOf(canonical);
  const signature = cryptoSign(null, signedInfoBytes(digest), key).toString('base64');
  return { signature, keyId, signedXml: embed(xml, digest, signature, keyId) };
}

/** Embeds a detached signature (e.g. the one stored with an issued alert) into its unsigned CAP XML. */
export function attachSignature(xml: string, signature: string, keyId: string): string {
  const { canonical, embedded } = canonicalize(xml);
  if (embedded) throw new CapError('invalid-value', 'CAP document is already signed', 'Signature');
  return embed(xml, digestOf(canonical), signature, keyId);
}

function embed(xml: string, digest: string, signature: string, keyId: string): string {
  // Inserted right before </alert> with no added whitespace, so removing it gives back the same canonical bytes.
  const close = /<\/(?:[A-Za-z_][\w.-]*:)?alert\s*>(?![\s\S]*<\/(?:[A-Za-z_][\w.-]*:)?alert\s*>)/.exec(xml);
  if (!close) throw new CapError('invalid-value', 'no closing </alert> tag to put the signature before', 'alert');
  const element =
    `<Signature xmlns="${DSIG_NS}">${signedInfoXml(digest)}` +
    `<SignatureValue>${signature}</SignatureValue><KeyInfo><KeyName>${escapeText(keyId)}</KeyName></KeyInfo></Signature>`;
  return xml.slice(0, close.index) + element + xml.slice(close.index);
}

/**
 * Checks a CAP document against a trusted public key (never a key carried in the message). `signature` is a
 * detached SignatureValue; when null, the embedded <Signature> is used.
 */
export function verifyCap(xml: string | Uint8Array, signature: string | null, publicKey: KeyObject): VerifyResult {
  let canonical: string;
  let embedded: EmbeddedSignature | null;
  try {
    ({ canonical, embedded } = canonicalize(xml));
  } catch (err) {
    if (err instanceof CapError) return { valid: false, reason: `not a valid CAP document: ${err.message}`, keyId: null, embedded: false };
    throw err;
  }
  const result = (valid: boolean, reason: string | null): VerifyResult => ({ valid, reason, keyId: embedded?.keyName ?? null, embedded: embedded !== null });
  const value = signature ?? embedded?.signatureValue ?? null;
  if (!value) return result(false, 'the document carries no signature and none was given');
  const digest = digestOf(canonical);
  if (signature === null && embedded) {
    if (embedded.signatureMethod !== ED25519) return result(false, `unsupported signature method ${embedded.signatureMethod ?? '(none)'}; Refuge signs with ${ED25519}`);
    if (embedded.digestValue !== digest) return result(false, 'the content changed after signing (digest mismatch)');
    const expectedKey = keyIdOf(publicKey);
    if (embedded.keyName && embedded.keyName !== expectedKey) return result(false, `signed with key ${embedded.keyName}, not the trusted key ${expectedKey}`);
  }
  let ok: boolean;
  try {
    ok = cryptoVerify(null, signedInfoBytes(digest), publicKey, Buffer.from(value, 'base64'));
  } catch (err) {
    return result(false, `signature cannot be checked: ${(err as Error).message}`);
  }
  return ok ? result(true, null) : result(false, 'the signature does not match this document and key');
}

/** The CapSigner B's lifecycle uses: detached signature plus key id. */
export function createCapSigner(pair: SigningKeyPair): { sign(capXml: string): { signature: string; keyId: string } } {
  return {
    sign(capXml: string) {
      const { signature, keyId } = signCap(capXml, pair);
      return { signature, keyId };
    },
  };
}

function readEmbedded(sig: XmlElement): EmbeddedSignature {
  const signedInfo = dsChild(sig, 'SignedInfo');
  const reference = signedInfo ? dsChild(signedInfo, 'Reference') : null;
  const keyInfo = dsChild(sig, 'KeyInfo');
  return {
    signatureValue: dsChild(sig, 'SignatureValue')?.content.replace(/\s+/g, '') ?? null,
    keyName: (keyInfo && dsChild(keyInfo, 'KeyName')?.content.trim()) || null,
    digestValue: (reference && dsChild(reference, 'DigestValue')?.content.replace(/\s+/g, '')) || null,
    signatureMethod: (signedInfo && dsChild(signedInfo, 'SignatureMethod')?.attr('Algorithm')?.value) || null,
  };
}

function dsChild(parent: XmlElement, name: string): XmlElement | null {
  return elementChildren(parent).find((e) => e.name === name && e.namespaceUri === DSIG_NS) ?? null;
}

function elementChildren(parent: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n: XmlTreeNode | null = parent.firstChild; n; n = n.next) if (n instanceof XmlElement) out.push(n);
  return out;
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
