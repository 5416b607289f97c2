import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';

export type Part =
  | { readonly type: 'file'; readonly fieldName: string; readonly fileName: string; readonly data: Buffer }
  | { readonly type: 'file-too-big'; readonly fieldName: string; readonly fileName: string }
  | { readonly type: 'field'; readonly fieldName: string; readonly value: string };

/** Every part of a multipart body, files read whole up to `maxFileBytes` (a bigger one is reported, not read). */
export async function readParts(request: FastifyRequest, maxFileBytes: number): Promise<Part[]> {
  const parts: Part[] = [];
  for await (const part of request.parts({ limits: { fileSize: maxFileBytes } })) {
    if (part.type === 'field') {
      parts.push({ type: 'field', fieldName: part.fieldname, value: String(part.value) });
      continue;
    }
    try {
      parts.push({ type: 'file', fieldName: part.fieldname, fileName: part.filename, data: await part.toBuffer() });
    } catch (err) {
      if ((err as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw err;
      parts.push({ type: 'file-too-big', fieldName: part.fieldname, fileName: part.filename });
    }
  }
  return parts;
}
