/** RCML documents as RVD writes them: root `<Response>`, no XML declaration, two-space indentation, null attributes left out. */
import { XMLBuilder } from 'fast-xml-parser';
import type { ProjectKind } from '../project/state.js';
import { element, type RcmlElement } from '../project/steps/rcml-element.js';

const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ', suppressEmptyNode: true });

type XmlNode = Record<string, unknown>;

function node(el: RcmlElement): XmlNode {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(el.attributes)) if (value !== undefined && value !== null) attributes[`@_${name}`] = String(value);
  const children = el.text === undefined ? el.children.map(node) : el.text === '' ? [] : [{ '#text': el.text }];
  return Object.keys(attributes).length === 0 ? { [el.name]: children } : { [el.name]: children, ':@': attributes };
}

export function writeRcml(elements: readonly RcmlElement[]): string {
  return String(builder.build([{ Response: elements.map(node) }])).trim();
}

/** What a caller hears when the project fails: never silence (RVD answers `<Hangup/>` alone). */
export const FALLBACK_MESSAGE = 'Sorry, this application has a problem. Goodbye.';

/** The fallback document: spoken apology and hang-up for voice, the apology as a USSD message, nothing for SMS. */
export function fallbackRcml(kind: ProjectKind): string {
  if (kind === 'ussd') return writeRcml([element('UssdMessage', {}, FALLBACK_MESSAGE)]);
  if (kind === 'sms') return writeRcml([]);
  return writeRcml([element('Say', {}, FALLBACK_MESSAGE), element('Hangup')]);
}
