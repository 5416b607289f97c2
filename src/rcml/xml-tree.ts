import { SaxesParser } from 'saxes';

/** One element of a parsed document, with the position of its start tag. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** Concatenated direct text (and CDATA) of the element, untrimmed. */
  text: string;
  readonly line: number;
  readonly column: number;
}

export class XmlSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
  }
}

/**
 * Escapes every `&` that does not start a character or entity reference. Apps hand-write URLs such as
 * `a?x=1&y=2` into RCML, and Restcomm accepts them, so strict XML parsing must not reject them.
 */
export function escapeBareAmpersands(text: string): string {
  return text.replace(/&(?!(?:[A-Za-z_][\w.-]*|#\d+|#x[0-9A-Fa-f]+);)/g, '&amp;');
}

/** Parses strict XML into an element tree; namespaces are not interpreted (prefixes stay in the name). */
export function parseXmlTree(text: string): XmlElement {
  const parser = new SaxesParser({ position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let failure: XmlSyntaxError | null = null;
  parser.on('error', (err) => {
    // saxes prefixes "line:column: " to its messages; keep only the reason.
    failure ??= new XmlSyntaxError(parser.line, parser.column, err.message.replace(/^[^:]*:\d+:\d+: /, ''));
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [name, value] of Object.entries(tag.attributes)) {
      attributes[name] = typeof value === 'string' ? value : value.value;
    }
    const el: XmlElement = { name: tag.name, attributes, children: [], text: '', line: parser.line, column: parser.column };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root ??= el;
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const addText = (t: string): void => {
    const current = stack[stack.length - 1];
    if (current) current.text += t;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.write(text).close();
  if (failure) throw failure;
  if (!root) throw new XmlSyntaxError(parser.line, parser.column, 'document has no root element');
  return root;
}
