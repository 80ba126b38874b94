// Safe loading of untrusted CAP XML: size and DTD/entity checks before any parser runs, then
// libxml2 (no network, no external entities, no XInclude) and XSD validation against the OASIS schema.
import { readFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { ParseOption, XmlDocument, XmlParseError, XsdValidator } from 'libxml2-wasm';
// libxml2-wasm's own schema error collector computes an XPath for every error, which is quadratic in the number of
// siblings: 30,000 empty <info/> took 1-4 s. We keep the first error only (all we report), through its low-level API.
import * as raw from 'libxml2-wasm/lib/libxml2.mjs';
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

const SINGLE_BYTE = /^(?:iso[-_]?8859[-_]?\d+|latin-?\d|l\d|windows-125\d|cp125\d|us-ascii|ascii)$/i;

/**
 * The text the checks below read. Sniffing as latin1 keeps every ASCII markup character in place in any
 * ASCII-compatible encoding; UTF-16 (which XML requires to start with a byte order mark) is decoded first, so a
 * DOCTYPE cannot hide from the checks in it. Without a BOM, UTF-16 or UTF-32 is refused: libxml2 would guess.
 */
function sniff(input: string | Uint8Array): string {
  if (typeof input === 'string') return input;
  const b = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const utf32Bom = (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) || (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff);
  if (!utf32Bom && b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le').decode(b);
  if (!utf32Bom && b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be').decode(b);
  if (utf32Bom || b.subarray(0, 4).includes(0)) {
    throw new CapError('not-well-formed', 'CAP document is not well-formed XML: it looks like UTF-16 or UTF-32 without a byte order mark; send UTF-8 (or UTF-16 with its BOM)', null, 1);
  }
  return b.toString('latin1');
}

/** A declared single-byte encoding over bytes that are UTF-8 (with non-ASCII characters) is a lie: the text would be read as mojibake. */
function checkDeclaredEncoding(input: string | Uint8Array, text: string): void {
  const declared = /^(?:\uFEFF|\xEF\xBB\xBF)?<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/.exec(text.slice(0, 200))?.[1];
  if (!declared || !SINGLE_BYTE.test(declared.trim())) return;
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  if (bytes.some((x) => x >= 0x80) && isUtf8(bytes)) {
    throw new CapError('not-well-formed', `CAP document declares encoding "${declared}" but its bytes are UTF-8; declare encoding="UTF-8"`, null, 1);
  }
}

/** Rejects what must never reach a parser: oversized input, DOCTYPE, entity declarations and non-predefined entity references. */
export function guardCapText(input: string | Uint8Array): string {
  const bytes = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (bytes > MAX_CAP_BYTES) {
    throw new CapError('too-large', `CAP document is ${bytes} bytes; the limit is ${MAX_CAP_BYTES} bytes (256 KB)`);
  }
  const text = sniff(input);
  checkDeclaredEncoding(input, text);
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

/** The first schema error of the validation running now (validation is synchronous, so one slot is enough). */
let firstError: { message: string; line: number } | null = null;
let collector: number | null = null;

function validateDoc(doc: XmlDocument, version: CapVersion): void {
  const validator = validatorFor(version);
  collector ??= (raw as unknown as { addFunction(f: (index: number, err: number) => void, sig: string): number }).addFunction((_index, err) => {
    if (!firstError) firstError = { message: raw.XmlErrorStruct.message(err), line: raw.XmlErrorStruct.line(err) };
  }, 'vii');
  firstError = null;
  const ctx = raw.xmlSchemaNewValidCtxt((validator as unknown as { _ptr: number })._ptr);
  let ret: number;
  try {
    raw.xmlSchemaSetValidStructuredErrors(ctx, collector, 0);
    ret = raw.xmlSchemaValidateDoc(ctx, (doc as unknown as { _ptr: number })._ptr);
  } finally {
    raw.xmlSchemaFreeValidCtxt(ctx);
  }
  const first = firstError as { message: string; line: number } | null;
  if (ret < 0) throw new CapError('schema', `CAP ${version} schema validation failed internally (${ret})`);
  if (ret > 0) throw schemaError(first?.message ?? 'the document is not valid', first?.line ?? null, version);
}

function schemaError(message: string, line: number | null, version: CapVersion): CapError {
  const element = /Element '(?:\{[^}]*\})?([^']+)'/.exec(message)?.[1] ?? null;
  line ||= null;
  return new CapError('schema', `CAP ${version} schema violation${line ? ` at line ${line}` : ''}: ${clean(message)}`, element, line);
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
