import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';

export type Part =
  | { readonly type: 'file'; readonly fieldName: string; readonly fileName: string; readonly data: Buffer }
  | { readonly type: 'file-too-big'; readonly fieldName: string; readonly fileName: string }
  | { readonly type: 'field'; readonly fieldName: string; readonly value: string };

/** Every part of a multipart body, files read whole up to `maxFileBytes` (a bigger one is reported, not kept; the plugin is registered with `throwFileSizeLimit: false`). */
export async function readParts(request: FastifyRequest, maxFileBytes: number): Promise<Part[]> {
  const parts: Part[] = [];
  for await (const part of request.parts({ limits: { fileSize: maxFileBytes } })) {
    if (part.type === 'field') {
      parts.push({ type: 'field', fieldName: part.fieldname, value: String(part.value) });
      continue;
    }
    const data = await part.toBuffer();
    parts.push(part.file.truncated ? { type: 'file-too-big', fieldName: part.fieldname, fileName: part.filename } : { type: 'file', fieldName: part.fieldname, fileName: part.filename, data });
  }
  return parts;
}
