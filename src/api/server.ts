import formbody from '@fastify/formbody';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { DesignerDeps } from '../designer/api/context.js';
import { registerDesigner } from '../designer/api/plugin.js';
import type { Logger } from '../log.js';
import { designerUi } from '../designer/ui/serve.js';
import type { Store } from '../store/store.js';
import { basicAuthenticator } from './auth.js';
import { API_PREFIX, type ApiContext } from './context.js';
import { ApiError } from './errors.js';
import { stripJsonSuffixes, wantsJson } from './format.js';
import { setCaller } from './identity.js';
import { renderXml } from './render.js';
import type { LiveCalls } from './live-calls.js';
import { registerAccounts } from './resources/accounts.js';
import { registerApplications } from './resources/applications.js';
import { registerCalls } from './resources/calls.js';
import { registerClients } from './resources/clients.js';
import { registerIncomingPhoneNumbers } from './resources/incoming-phone-numbers.js';
import { registerNotifications } from './resources/notifications.js';
import { isPublicRecordingFile, registerRecordings } from './resources/recordings.js';
import { registerRefers } from './resources/refers.js';

export { API_PREFIX };

/** Restcomm's BodyLengthFilter limit. */
export const BODY_LIMIT = 10_000_000;

function sendError(request: FastifyRequest, reply: FastifyReply, status: number, message: string | null, plain = false): FastifyReply {
  reply.code(status);
  if (message === null) return reply.send();
  if (plain) return reply.type('text/plain; charset=utf-8').send(message);
  if (wantsJson(request)) return reply.type('application/json; charset=utf-8').send(JSON.stringify({ message }, null, 2));
  return reply.type('application/xml; charset=utf-8').send(renderXml({ Message: message }));
}

/**
 * The REST API under `/restcomm/2012-04-24`, the Visual Designer under `/visual-designer/...` (and RVD's
 * older prefixes) plus `GET /health`; not yet listening. Without `liveCalls` (an API-only process)
 * creating or modifying calls answers 503; without `designer` the designer's controller opens to Basic
 * authentication only (no node key).
 */
export async function createApiServer(deps: { config: Config; store: Store; log: Logger; liveCalls?: LiveCalls; designer?: DesignerDeps }): Promise<FastifyInstance> {
  const log = deps.log.child({ module: 'api' });
  const ctx: ApiContext = { config: deps.config, store: deps.store, log };
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Per-request logs would dominate the cost of a request; errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    // A pino child per request (for its reqId) cost ~3 % of an authenticated GET; the error handler logs
    // the method and URL instead.
    childLoggerFactory: (logger) => logger,
    bodyLimit: BODY_LIMIT,
    rewriteUrl: stripJsonSuffixes,
  });
  await app.register(formbody, { bodyLimit: BODY_LIMIT });

  app.setErrorHandler((err: FastifyError | ApiError, request, reply) => {
    if (err instanceof ApiError) {
      for (const [k, v] of Object.entries(err.options.headers ?? {})) reply.header(k, v);
      return sendError(request, reply, err.status, err.hasBody ? err.message : null, err.options.plain ?? false);
    }
    const status = err.statusCode ?? 500;
    if (status === 413) return sendError(request, reply, 413, `Request body is larger than ${BODY_LIMIT} bytes`);
    if (status >= 400 && status < 500) return sendError(request, reply, status, err.message);
    log.error({ err, url: request.url, method: request.method }, 'request failed');
    return sendError(request, reply, 500, 'Internal server error');
  });
  app.setNotFoundHandler((request, reply) => sendError(request, reply, 404, `No resource at ${request.method} ${request.url.split('?')[0]}`));

  app.get('/health', async (_request, reply) => {
    try {
      await deps.store.ping();
      return reply.send({ status: 'ok' });
    } catch (err) {
      log.error({ err }, 'health check: database unreachable');
      return reply.code(503).send({ status: 'error', reason: 'database unreachable' });
    }
  });

  const authenticate = basicAuthenticator(deps.store);
  await app.register(
    async (api) => {
      api.addHook('onRequest', async (request) => {
        if (isPublicRecordingFile(request.url)) return;
        setCaller(request, await authenticate(request));
      });
      registerAccounts(api, ctx);
      registerClients(api, ctx);
      registerApplications(api, ctx);
      registerIncomingPhoneNumbers(api, ctx);
      registerNotifications(api, ctx);
      registerRefers(api, ctx);
      registerCalls(api, ctx, deps.liveCalls ?? null);
      registerRecordings(api, ctx);
    },
    { prefix: API_PREFIX },
  );
  await registerDesigner(app, { config: deps.config, store: deps.store, log, ...(deps.designer ?? { nodeKey: null }) });
  await app.register(designerUi);
  return app;
}
