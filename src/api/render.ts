import type { FastifyReply, FastifyRequest } from 'fastify';
import { XMLBuilder } from 'fast-xml-parser';
import { wantsJson } from './format.js';

const xml = new XMLBuilder({ format: true, suppressEmptyNode: true, ignoreAttributes: false, attributeNamePrefix: '@_' });

/** XML element content: child elements in order, `@_name` for attributes. */
export type XmlNode = Record<string, unknown>;

/** Drops keys whose value is null or undefined; Restcomm's Gson omits them in most JSON. */
export function withoutNulls<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined) out[k] = v;
  return out as Partial<T>;
}

export function renderXml(body: XmlNode): string {
  return xml.build({ RestcommResponse: body });
}

/** Sends `json` or `<RestcommResponse>{xml}</RestcommResponse>` as the request asks. */
export function sendFormatted(request: FastifyRequest, reply: FastifyReply, json: unknown, xmlBody: XmlNode, status = 200): FastifyReply {
  reply.code(status);
  if (wantsJson(request)) return reply.type('application/json; charset=utf-8').send(JSON.stringify(json, null, 2));
  return reply.type('application/xml; charset=utf-8').send(renderXml(xmlBody));
}
