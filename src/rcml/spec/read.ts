import { AttributeReader, RcmlParseError } from '../attributes.js';
import type { RcmlWarning } from '../verbs.js';
import type { XmlElement } from '../xml-tree.js';
import type { AttributeValue, ElementSpec } from './types.js';

function readChildren<T>(spec: ElementSpec<T>, el: XmlElement, warnings: RcmlWarning[]): unknown[] {
  const { children } = spec;
  switch (children.kind) {
    case 'ignored':
      return [];
    case 'none': {
      const child = el.children[0];
      if (child) throw new RcmlParseError(child.line, child.column, child.name, null, `<${el.name}> cannot contain <${child.name}>`);
      return [];
    }
    case 'any':
      return el.children.map((c) => {
        const childSpec = children.elements[c.name];
        if (!childSpec) throw new RcmlParseError(c.line, c.column, c.name, null, children.error);
        return readElement(childSpec, c, warnings);
      });
    case 'one': {
      const [first, ...rest] = el.children;
      const childSpec = first && rest.length === 0 ? children.elements[first.name] : undefined;
      if (!first || !childSpec) throw new RcmlParseError(el.line, el.column, el.name, null, children.error);
      return [readElement(childSpec, first, warnings)];
    }
  }
}

/** Reads one element by its specification: children, text, attributes in table order, then `build`. */
export function readElement<T>(spec: ElementSpec<T>, el: XmlElement, warnings: RcmlWarning[]): T {
  const children = readChildren(spec, el, warnings);
  const reader = new AttributeReader(el, warnings);
  const fail = (attribute: string | null, reason: string): never => reader.fail(attribute, reason);
  const content = spec.content?.parse(el.text.trim(), fail);
  const attributes: Record<string, AttributeValue> = {};
  for (const [name, attribute] of Object.entries(spec.attributes)) attributes[name] = attribute.read(reader, name, attributes);
  return spec.build({ element: el, line: el.line, attributes, content, children, fail, read: (s, e) => readElement(s, e, warnings) });
}
