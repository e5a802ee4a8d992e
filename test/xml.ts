// A small strict XML reader for tests that read JUnit back as a CI server would.

export interface XmlNode { name: string; attrs: Record<string, string>; children: XmlNode[]; text: string }

/** A small strict XML reader: balanced tags, quoted attributes, the five entities, nothing else. */
export function parseXml(xml: string): XmlNode {
  const decode = (s: string) => {
    if (/&(?!(?:amp|lt|gt|quot|apos);)/.test(s)) throw new Error(`bad entity in ${s}`);
    return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  };
   
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(xml)) throw new Error('a character XML forbids');
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const root: XmlNode = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  const re = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(body))) {
    end = re.lastIndex;
    const top = stack.at(-1)!;
    if (m[5] !== undefined) { if (m[5].trim()) top.text += decode(m[5]); continue; }
    if (m[1]) {
      if (top.name !== m[2]) throw new Error(`</${m[2]}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of m[3]!.matchAll(/([\w:.-]+)="([^"]*)"/g)) attrs[a[1]!] = decode(a[2]!);
    const node = { name: m[2]!, attrs, children: [], text: '' };
    top.children.push(node);
    if (!m[4]) stack.push(node);
  }
  if (end !== body.length || stack.length !== 1) throw new Error(`not well-formed at ${end}`);
  return root.children[0]!;
}
