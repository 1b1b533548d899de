// A small, strict HTML parser for the server-rendered experiment pages (no browser driver is
// installed to load them in Chromium): elements, attributes, text and entities, void elements and
// self-closing SVG tags. It throws on a closing tag that does not match the open element, so a test
// parsing a page also checks that the markup is well formed.

export interface HtmlNode {
  tag: string;
  attributes: Record<string, string>;
  children: HtmlNode[];
  /** Text directly inside this element, in order (entities decoded). */
  texts: string[];
  /** The first descendant (or this node) matching. */
  find(match: (node: HtmlNode) => boolean): HtmlNode | undefined;
  findAll(match: (node: HtmlNode) => boolean): HtmlNode[];
  /** All text inside, entities decoded, whitespace collapsed. */
  text(): string;
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const RAW_TEXT = new Set(['style', 'script']);
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
    if (name in ENTITIES) return ENTITIES[name]!;
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    throw new Error(`unknown entity ${whole}`);
  });
}

function node(tag: string, attributes: Record<string, string>): HtmlNode {
  const self: HtmlNode = {
    tag,
    attributes,
    children: [],
    texts: [],
    find(match) {
      if (match(self)) return self;
      for (const child of self.children) {
        const found = child.find(match);
        if (found) return found;
      }
      return undefined;
    },
    findAll(match) {
      return [...(match(self) ? [self] : []), ...self.children.flatMap((child) => child.findAll(match))];
    },
    text() {
      const parts: string[] = [];
      const walk = (n: HtmlNode) => {
        parts.push(...n.texts);
        n.children.forEach(walk);
      };
      walk(self);
      return parts.join(' ').replace(/\s+/g, ' ').trim();
    },
  };
  return self;
}

function parseAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  const pattern = /([^\s=/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  for (const match of source.matchAll(pattern)) {
    attributes[match[1]!.toLowerCase()] = decode(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attributes;
}

export function parseHtml(html: string): HtmlNode {
  const root = node('#document', {});
  const stack: HtmlNode[] = [root];
  let i = 0;
  while (i < html.length) {
    const open = html.indexOf('<', i);
    const textEnd = open === -1 ? html.length : open;
    const text = html.slice(i, textEnd);
    if (text.trim()) stack[stack.length - 1]!.texts.push(decode(text));
    if (open === -1) break;
    if (html.startsWith('<!--', open)) {
      i = html.indexOf('-->', open) + 3;
      continue;
    }
    if (html.startsWith('<!', open)) {
      i = html.indexOf('>', open) + 1;
      continue;
    }
    const close = html.indexOf('>', open);
    if (close === -1) throw new Error(`unterminated tag at ${open}`);
    const inner = html.slice(open + 1, close);
    if (inner.startsWith('/')) {
      const tag = inner.slice(1).trim().toLowerCase();
      const current = stack.pop();
      if (!current || current.tag !== tag) throw new Error(`</${tag}> closes <${current?.tag ?? 'nothing'}> at ${open}`);
      i = close + 1;
      continue;
    }
    const selfClosing = inner.endsWith('/');
    const [, tagName = '', rest = ''] = /^([^\s/]+)([\s\S]*?)\/?$/.exec(inner) ?? [];
    const tag = tagName.toLowerCase();
    const element = node(tag, parseAttributes(rest));
    stack[stack.length - 1]!.children.push(element);
    i = close + 1;
    if (selfClosing || VOID.has(tag)) continue;
    if (RAW_TEXT.has(tag)) {
      const end = html.indexOf(`</${tag}>`, i);
      element.texts.push(html.slice(i, end));
      i = end + tag.length + 3;
      continue;
    }
    stack.push(element);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.tag}>`);
  return root;
}
