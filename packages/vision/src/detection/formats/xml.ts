/**
 * Just enough XML for Pascal VOC annotations: elements, text, comments, the `<?xml?>` declaration,
 * CDATA and the five predefined entities (plus numeric ones), each element with its line; a
 * malformed document is an `XmlSyntaxError` with the line where it breaks.
 *
 *   const root = parseXml('<annotation><size><width>500</width></size></annotation>');
 *   childText(child(root, 'size'), 'width'); // '500'
 */
import { DlpipeError } from '@dlpipe/core';

export interface XmlElement {
  name: string;
  children: XmlElement[];
  /** The element's own text (not its children's), trimmed. */
  text: string;
  line: number;
}

/** A document that is not well-formed XML, at `line`. */
export class XmlSyntaxError extends DlpipeError {
  readonly line: number;
  constructor(line: number, message: string) {
    super('XML_SYNTAX', message);
    this.line = line;
  }
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string, line: number): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    const v = ENTITIES[e];
    if (v === undefined) throw new XmlSyntaxError(line, `unknown entity ${m}`);
    return v;
  });
}

/** `<`, `>` and `&` escaped for element text. */
export function escapeXmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Parses a document with one root element. */
export function parseXml(text: string): XmlElement {
  let i = 0;
  let line = 1;
  const advance = (to: number) => {
    for (let k = i; k < to; k++) if (text.charCodeAt(k) === 10) line++;
    i = to;
  };
  const skipTo = (end: string, what: string) => {
    const j = text.indexOf(end, i);
    if (j < 0) throw new XmlSyntaxError(line, `unterminated ${what}`);
    advance(j + end.length);
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    if (stack.length) stack[stack.length - 1]!.text += decode(chunk, line);
    else if (chunk.trim())
      throw new XmlSyntaxError(
        line,
        `text outside the root element: ${JSON.stringify(chunk.trim().slice(0, 30))}`,
      );
    advance(lt < 0 ? text.length : lt);
    if (lt < 0) break;
    if (text.startsWith('<!--', i)) skipTo('-->', 'comment');
    else if (text.startsWith('<?', i)) skipTo('?>', 'declaration');
    else if (text.startsWith('<![CDATA[', i)) {
      const j = text.indexOf(']]>', i);
      if (j < 0 || !stack.length) throw new XmlSyntaxError(line, 'unterminated or misplaced CDATA');
      stack[stack.length - 1]!.text += text.slice(i + 9, j);
      advance(j + 3);
    } else if (text.startsWith('<!', i)) skipTo('>', 'doctype');
    else {
      const m = /^<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(
        text.slice(i, i + 4096),
      );
      if (!m)
        throw new XmlSyntaxError(
          line,
          `malformed tag ${JSON.stringify(text.slice(i, i + 30).split('\n')[0])}`,
        );
      const [all, close, name, , selfClose] = m;
      if (close) {
        const open = stack.pop();
        if (!open || open.name !== name)
          throw new XmlSyntaxError(
            line,
            `</${name}> closes ${open ? `<${open.name}> (line ${open.line})` : 'nothing'}`,
          );
        open.text = open.text.trim();
      } else {
        if (!stack.length && root) throw new XmlSyntaxError(line, `a second root element <${name}>`);
        const el: XmlElement = { name: name!, children: [], text: '', line };
        if (stack.length) stack[stack.length - 1]!.children.push(el);
        else root = el;
        if (!selfClose) stack.push(el);
      }
      advance(i + all.length);
    }
  }
  if (stack.length)
    throw new XmlSyntaxError(
      line,
      `<${stack[stack.length - 1]!.name}> (line ${stack[stack.length - 1]!.line}) is never closed`,
    );
  if (!root) throw new XmlSyntaxError(line, 'no root element');
  return root;
}

/** The first child named `name`. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** The text of the first child named `name`. */
export function childText(el: XmlElement | undefined, name: string): string | undefined {
  return child(el, name)?.text;
}
