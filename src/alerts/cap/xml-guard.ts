// Safe loading of untrusted CAP XML: size and DTD/entity checks before any parser runs, then
// libxml2 (no network, no external entities, no XInclude) and XSD validation against the OASIS schema.
import { readFileSync } from 'node:fs';
import { ParseOption, XmlDocument, XmlParseError, XmlValidateError, XsdValidator, type XmlLibError } from 'libxml2-wasm';
import { CapError } from './errors.ts';

export const MAX_CAP_BYTES = 256 * 1024;
export const CAP12_NS = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP11_NS = 'urn:oasis:names:tc:emergency:cap:1.1';
export type CapVersion = '1.1' | '1.2';

// NOERROR is not set: libxml2 would then drop the details that name the problem.
const PARSE_OPTIONS = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE;

let validators: Record<CapVersion, XsdValidator> | null = null;

function loadValidator(file: string): XsdValidator {
  const xsd = XmlDocument.fromBuffer(readFileSync(new URL(`./schema/${file}`, import.meta.url)));
  try {
    return XsdValidator.fromDoc(xsd);
  } finally {
    xsd.dispose();
  }
}

/** Compiled once; libxml2 keeps what it needs from the schema document. */
function validatorFor(version: CapVersion): XsdValidator {
  validators ??= { '1.2': loadValidator('cap12.xsd'), '1.1': loadValidator('cap11.xsd') };
  return validators[version];
}

/** Rejects what must never reach a parser: oversized input, DOCTYPE, entity declarations and non-predefined entity references. */
export function guardCapText(input: string | Uint8Array): string {
  const bytes = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (bytes > MAX_CAP_BYTES) {
    throw new CapError('too-large', `CAP document is ${bytes} bytes; the limit is ${MAX_CAP_BYTES} bytes (256 KB)`);
  }
  // Sniffing as latin1 keeps every ASCII markup character in place whatever the real encoding.
  const text = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
  // CDATA sections and comments are blanked (keeping line breaks) so their text cannot trip the checks below.
  const markup = text.replace(/<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g, (m) => m.replace(/[^\n]/g, ' '));
  if (/<!DOCTYPE/i.test(markup)) throw new CapError('doctype', 'CAP document contains a DOCTYPE declaration; DTDs and entities are not accepted', null, lineOf(markup, /<!DOCTYPE/i));
  if (/<!ENTITY/i.test(markup)) throw new CapError('entity', 'CAP document declares an entity; entities are not accepted', null, lineOf(markup, /<!ENTITY/i));
  // Only &amp; &lt; &gt; &quot; &apos; and character references may appear.
  const bad = /&(?!(?:amp|lt|gt|quot|apos);|#[0-9]+;|#x[0-9a-fA-F]+;)([^\s;<]{0,40};?)/.exec(markup);
  if (bad) {
    throw new CapError('entity', `CAP document uses the entity reference "&${bad[1]}"; only the five predefined XML entities are accepted`, null, lineOf(markup, bad.index));
  }
  return text;
}

export interface LoadedCap {
  doc: XmlDocument;
  version: CapVersion;
}

/** Guards, parses and schema-validates; the caller must dispose `doc`. */
export function loadCapDocument(input: string | Uint8Array): LoadedCap {
  guardCapText(input);
  let doc: XmlDocument;
  try {
    doc = typeof input === 'string' ? XmlDocument.fromString(input, { option: PARSE_OPTIONS }) : XmlDocument.fromBuffer(input, { option: PARSE_OPTIONS });
  } catch (err) {
    if (err instanceof XmlParseError) {
      const d = err.details[0];
      throw new CapError('not-well-formed', `CAP document is not well-formed XML: ${clean(d?.message ?? err.message)}${d?.line ? ` (line ${d.line})` : ''}`, null, d?.line ?? null);
    }
    throw err;
  }
  try {
    if (doc.dtd) throw new CapError('doctype', 'CAP document contains a DOCTYPE declaration; DTDs and entities are not accepted');
    const root = doc.root;
    if (root.name !== 'alert') throw new CapError('not-cap', `root element is <${root.name}>, not a CAP <alert>`, root.name, root.line);
    const ns = root.namespaceUri;
    const version: CapVersion | null = ns === CAP12_NS ? '1.2' : ns === CAP11_NS ? '1.1' : null;
    if (!version) {
      throw new CapError('unsupported-version', `<alert> is in namespace "${ns}"; CAP 1.2 (${CAP12_NS}) and 1.1 (${CAP11_NS}) are accepted`, 'alert', root.line);
    }
    validateDoc(doc, version);
    return { doc, version };
  } catch (err) {
    doc.dispose();
    throw err;
  }
}

function validateDoc(doc: XmlDocument, version: CapVersion): void {
  try {
    validatorFor(version).validate(doc);
  } catch (err) {
    if (err instanceof XmlValidateError) throw schemaError(err, version);
    throw err;
  }
}

function schemaError(err: XmlLibError, version: CapVersion): CapError {
  const d = err.details[0];
  const raw = d?.message ?? err.message;
  const element = /Element '(?:\{[^}]*\})?([^']+)'/.exec(raw)?.[1] ?? null;
  const line = d?.line || null;
  return new CapError('schema', `CAP ${version} schema violation${line ? ` at line ${line}` : ''}: ${clean(raw)}`, element, line);
}

/** Drops namespace URIs from libxml2 messages: "Element '{urn:...}info'" -> "Element 'info'". */
function clean(message: string): string {
  return message.replace(/\{[^}]*\}/g, '').trim();
}

function lineOf(text: string, at: RegExp | number): number {
  const index = typeof at === 'number' ? at : text.search(at);
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Validates a CAP 1.1/1.2 document (including the safety checks); throws CapError. */
export function validateCapXml(input: string | Uint8Array): { version: CapVersion } {
  const { doc, version } = loadCapDocument(input);
  doc.dispose();
  return { version };
}
