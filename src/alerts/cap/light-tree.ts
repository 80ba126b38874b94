// A minimal element tree read from XML text that libxml2 has ALREADY accepted (well-formed, no DTD, only
// predefined entities) and the XSD has validated. Walking libxml2's DOM through WebAssembly costs ~2 us a node,
// which made 256 KB documents take 40-120 ms to map; this single regex pass takes a few ms (bench/regions-cap-parse.ts).

export interface LightElement {
  name: string; // local name
  ns: string; // namespace URI ('' when none)
  children: LightElement[];
  /** Character data directly inside this element (CAP values are leaf elements, so this is their value). */
  text: string;
  /** Offset of the start tag in the text, for line numbers in error messages. */
  offset: number;
}

const TOKEN =
  /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|<\/([^\s>]+)\s*>|<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
const ATTR = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const REF = /&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g;
const EMPTY_SCOPE: ReadonlyMap<string, string> = new Map();
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(REF, (_m, ref: string) =>
    ref[0] === '#' ? String.fromCodePoint(ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)) : NAMED[ref],
  );
}

/** Root element of a well-formed document. Line ends are normalised as XML requires (\r\n and \r -> \n). */
export function readLightTree(xml: string): LightElement {
  const text = xml.indexOf('\r') >= 0 ? xml.replace(/\r\n?/g, '\n') : xml;
  const stack: Array<{ el: LightElement; scope: ReadonlyMap<string, string>; parts: string[] }> = [];
  let root: LightElement | null = null;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    const top = stack[stack.length - 1];
    if (m[6] !== undefined || m[1] !== undefined) {
      // character data or CDATA
      if (top) top.parts.push(m[1] !== undefined ? m[1] : decode(m[6]));
    } else if (m[3] !== undefined) {
      const qname = m[3];
      // Namespace scopes are shared down the tree and copied only where an element declares one.
      let scope = top ? top.scope : EMPTY_SCOPE;
      if (m[4] && m[4].includes('xmlns')) {
        const own = new Map(scope);
        ATTR.lastIndex = 0;
        for (let a = ATTR.exec(m[4]); a; a = ATTR.exec(m[4])) {
          const attr = a[1];
          if (attr === 'xmlns' || attr.startsWith('xmlns:')) own.set(attr === 'xmlns' ? '' : attr.slice(6), decode(a[2] ?? a[3] ?? ''));
        }
        scope = own;
      }
      const colon = qname.indexOf(':');
      const prefix = colon >= 0 ? qname.slice(0, colon) : '';
      const el: LightElement = { name: colon >= 0 ? qname.slice(colon + 1) : qname, ns: scope.get(prefix) ?? '', children: [], text: '', offset: m.index };
      if (top) top.el.children.push(el);
      else if (!root) root = el;
      const frame = { el, scope, parts: [] as string[] };
      if (m[5] === '/') close(frame);
      else stack.push(frame);
    } else if (m[2] !== undefined) {
      const frame = stack.pop();
      if (!frame) throw new Error(`unbalanced </${m[2]}> (input was expected to be well-formed)`);
      close(frame);
    }
    // comments and processing instructions carry no content
  }
  if (!root || stack.length > 0) throw new Error('unterminated document (input was expected to be well-formed)');
  return root;
}

function close(frame: { el: LightElement; parts: string[] }): void {
  frame.el.text = frame.parts.length === 1 ? frame.parts[0] : frame.parts.join('');
}

export function lineAt(xml: string, offset: number): number {
  let line = 1;
  for (let i = xml.indexOf('\n'); i >= 0 && i < offset; i = xml.indexOf('\n', i + 1)) line++;
  return line;
}
