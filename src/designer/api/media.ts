import type { FastifyInstance, FastifyReply } from 'fastify';
import { field, queryOf } from '../../api/form.js';
import { isSid } from '../../store/sid.js';
import { checkMediaName, isAudioOfType, MEDIA_CONTENT_TYPES } from '../storage/media.js';
import type { DesignerContext } from './context.js';
import { readParts } from './multipart.js';
import { badRequest, notFound, RvdError } from './rvd-response.js';

type Sid = { Params: { sid: string } };
type SidFile = { Params: { sid: string; file: string } };

/** RVD's upload refusals: `{"error":"FILE_EXT_NOT_ALLOWED"}` and friends, with the file named. */
const refused = (error: string, name: string, extra: Record<string, unknown> = {}): RvdError => new RvdError(400, { error, name, ...extra });

export function registerMedia(app: FastifyInstance, ctx: DesignerContext): void {
  const { access } = ctx;
  const max = ctx.config.designerMaxMediaBytes;

  app.post<Sid>('/projects/:sid/wavs', async (request, reply) => {
    const project = await access.project(await access.caller(request), request.params.sid, 'Modify');
    if (!request.isMultipart()) throw badRequest('media files are uploaded as multipart/form-data file parts', 'BadRequestBody');
    const parts = await readParts(request, max);
    // Every file is checked before any is stored, so a refused upload stores nothing.
    const files: { name: string; data: Buffer }[] = [];
    for (const part of parts) {
      if (part.type === 'field') continue;
      const check = checkMediaName(part.fileName);
      if (!check.ok) throw refused(check.error, part.fileName, { allowed: 'a plain file name ending in .wav or .mp3' });
      if (part.type === 'file-too-big') throw refused('FILE_TOO_BIG', part.fileName, { maxSize: max });
      if (!(await isAudioOfType(part.data, check.type))) throw refused('FILE_CONTENT_NOT_ALLOWED', part.fileName, { expected: check.type === 'wav' ? 'WAV (RIFF/WAVE) audio' : 'MP3 audio' });
      files.push({ name: part.fileName, data: part.data });
    }
    for (const f of files) await ctx.media.write(project.sid, f.name, f.data);
    return reply.send(parts.map((p) => (p.type === 'field' ? { fieldName: p.fieldName, value: p.value } : { fieldName: p.fieldName, name: p.fileName })));
  });

  app.get<Sid>('/projects/:sid/wavs', async (request, reply) => {
    const project = await access.project(await access.caller(request), request.params.sid, 'Read');
    return reply.send((await ctx.media.list(project.sid)).map((filename) => ({ filename })));
  });

  app.delete<Sid>('/projects/:sid/wavs', async (request, reply) => {
    const project = await access.project(await access.caller(request), request.params.sid, 'Modify');
    const name = field(queryOf(request), 'filename');
    if (name === undefined || name === '') throw badRequest('filename is required');
    if (!(await ctx.media.remove(project.sid, name))) throw notFound('MediaDoesNotExist', `project ${project.sid} has no media file "${name}"`);
    return reply.code(200).send();
  });

  // Playing is open, as in RVD: the media engine fetches Play URLs without credentials.
  const play = async (sid: string, file: string, reply: FastifyReply): Promise<FastifyReply> => {
    const project = isSid(sid, 'AP') ? await ctx.store.designerProjects.find(sid) : undefined;
    const check = checkMediaName(file);
    const opened = project !== undefined && check.ok ? await ctx.media.open(sid, file) : undefined;
    if (opened === undefined || !check.ok) throw notFound('MediaDoesNotExist', `no media file "${file}" in project ${sid}`);
    return reply
      .type(MEDIA_CONTENT_TYPES[check.type])
      .header('Content-Length', opened.size)
      .header('Content-Disposition', `attachment; filename = ${file}`)
      .send(opened.stream);
  };
  for (const folder of ['wavs', 'media']) {
    app.get<SidFile>(`/projects/:sid/${folder}/:file`, (request, reply) => play(request.params.sid, request.params.file, reply));
  }
  app.get<SidFile>('/apps/:sid/resources/:file', (request, reply) => play(request.params.sid, request.params.file, reply));
}
