import type { FastifyInstance } from 'fastify';
import type { DesignerContext } from './context.js';
import { notFound } from './rvd-response.js';
import { settingsOf } from './project-data.js';
import type { NamedProject } from '../../store/designer-projects.js';

type Sid = { Params: { sid: string } };

const NO_CACHE = { 'Cache-Control': 'no-cache, no-store, must-revalidate', Pragma: 'no-cache' };

/** The application log routes; a project without logging has no log (RVD's 404). */
export function registerLogs(app: FastifyInstance, ctx: DesignerContext): () => void {
  const { access } = ctx;
  const streams = new Set<() => void>();
  const assertLogging = (project: NamedProject): void => {
    if (!settingsOf(project).logging) throw notFound('LoggingDisabled', `logging is off for project ${project.sid} (settings.logging)`);
  };

  app.get<Sid>('/apps/:sid/log', async (request, reply) => {
    const project = await access.project(await access.caller(request), request.params.sid, 'Read');
    assertLogging(project);
    const text = ctx.logs.read(project.sid);
    if (text === undefined) throw notFound('LogDoesNotExist', `project ${project.sid} has written no log yet`);
    return reply.headers(NO_CACHE).type('text/plain; charset=utf-8').send(text);
  });

  app.delete<Sid>('/apps/:sid/log', async (request, reply) => {
    const project = await access.project(await access.caller(request), request.params.sid, 'Modify');
    assertLogging(project);
    ctx.logs.truncate(project.sid);
    return reply.code(200).send();
  });

  // Dialtone's live tail for the UI: each new line as a server-sent event.
  app.get<Sid>('/apps/:sid/log/stream', async (request, reply) => {
    const project = await access.project(await access.caller(request), request.params.sid, 'Read');
    assertLogging(project);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { ...NO_CACHE, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    res.write(': following rvdapp.log\n\n');
    const unfollow = ctx.logs.follow(project.sid, (line) => {
      res.write(`data: ${line.replace(/\n$/, '').split('\n').join('\ndata: ')}\n\n`);
    });
    const close = (): void => {
      unfollow();
      streams.delete(close);
      res.end();
    };
    streams.add(close);
    request.raw.on('close', close);
  });

  return () => {
    for (const close of [...streams]) close();
  };
}
