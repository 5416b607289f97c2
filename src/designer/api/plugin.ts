import multipart from '@fastify/multipart';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/store.js';
import { PROJECT_VERSION } from '../project/state.js';
import { ProjectLogs } from '../storage/app-log.js';
import { ProjectMedia } from '../storage/media.js';
import { DesignerWorkspace } from '../storage/workspace.js';
import { DesignerAccess } from './access.js';
import { runController } from '../runtime/controller.js';
import { DESIGNER_PREFIXES, type DesignerContext, type DesignerDeps } from './context.js';
import { registerController } from './controller.js';
import { registerLogs } from './logs.js';
import { registerMedia } from './media.js';
import { registerProjects } from './projects.js';
import { jsonBody } from './project-data.js';
import { RvdError, rvdResponse } from './rvd-response.js';
import { registerTemplates } from './templates.js';

/** Body limit of the designer's JSON routes; uploads have their own limits. */
const JSON_BODY_LIMIT = 10_000_000;

function registerService(app: FastifyInstance, ctx: DesignerContext): void {
  // Open, as in RVD: the UI reads it before logging in.
  app.get('/config', async (_request, reply) => reply.send({ videoSupport: false, ussdSupport: false, projectVersion: PROJECT_VERSION }));
  app.get('/designer/bundledWavs', async (request, reply) => {
    await ctx.access.caller(request);
    return reply.send(rvdResponse('OK', undefined, []));
  });
  app.post('/auth/login', async (request, reply) => {
    const body = jsonBody(request.body, 'login');
    const { username, password } = (typeof body === 'object' && body !== null ? body : {}) as { username?: unknown; password?: unknown };
    if (typeof username !== 'string' || typeof password !== 'string') throw new RvdError(400, rvdResponse('ERROR', { className: 'InvalidServiceParameters', message: 'login needs {"username","password"}' }));
    request.headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    await ctx.access.caller(request);
    return reply.code(200).send();
  });
  app.get('/auth/keepalive', async (request, reply) => {
    await ctx.access.caller(request);
    return reply.code(200).send();
  });
}

/**
 * The Visual Designer's HTTP side under each of RVD's prefixes: the project API, media, logs,
 * templates and the controller calls fetch. Bodies are read raw (the UI saves with
 * `Content-Type: application/data`) except forms (the controller) and multipart (uploads, imports).
 */
export async function registerDesigner(app: FastifyInstance, deps: DesignerDeps & { config: Config; store: Store; log: Logger }): Promise<void> {
  const workspace = new DesignerWorkspace(deps.config.dataDir);
  const ctx: DesignerContext = {
    ...deps,
    runController,
    log: deps.log.child({ module: 'designer' }),
    access: new DesignerAccess(deps.store),
    workspace,
    media: new ProjectMedia(workspace),
    logs: new ProjectLogs(workspace),
  };
  const closers: (() => void)[] = [];
  app.addHook('preClose', async () => {
    for (const close of closers) close();
  });
  for (const prefix of DESIGNER_PREFIXES) {
    await app.register(
      async (scope) => {
        scope.removeContentTypeParser(['application/json', 'text/plain']);
        scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: JSON_BODY_LIMIT }, (_request, body, done) => done(null, body));
        // preservePath: a file name with a path in it reaches the checks (and is refused) instead of being cut.
        await scope.register(multipart, { preservePath: true, throwFileSizeLimit: false, limits: { files: 20, fields: 20 } });
        scope.setErrorHandler((err: FastifyError | RvdError, request, reply) => {
          if (err instanceof RvdError) return err.body === null ? reply.code(err.status).send() : reply.code(err.status).send(err.body);
          const status = err.statusCode ?? 500;
          if (status >= 400 && status < 500) return reply.code(status).send(rvdResponse('ERROR', { className: err.code ?? 'BadRequest', message: err.message }));
          ctx.log.error({ err, url: request.url, method: request.method }, 'designer request failed');
          return reply.code(500).send(rvdResponse('ERROR', { className: 'InternalError', message: 'internal server error' }));
        });
        scope.setNotFoundHandler((request, reply) =>
          reply.code(404).send(rvdResponse('NOT_FOUND', { className: 'NoSuchRoute', message: `No resource at ${request.method} ${request.url.split('?')[0]}` })),
        );
        registerTemplates(scope, ctx);
        registerProjects(scope, ctx);
        registerMedia(scope, ctx);
        closers.push(registerLogs(scope, ctx));
        registerController(scope, ctx);
        registerService(scope, ctx);
      },
      { prefix },
    );
  }
}
