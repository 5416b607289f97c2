import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formOf, queryOf, type Form } from '../../api/form.js';
import { isSid } from '../../store/sid.js';
import type { ControllerResult } from '../runtime/contract.js';
import type { DesignerContext } from './context.js';
import { DESIGNER_KEY_HEADER, isNodeKey } from './node-key.js';
import { parametersOf, settingsOf, stateOf } from './project-data.js';
import { forbidden, RvdError } from './rvd-response.js';

type Sid = { Params: { sid: string } };

/** Notification code when the runtime itself broke (Twilio's 12400 "internal failure"). */
export const CONTROLLER_INTERNAL_ERROR = 12400;
/** RVD's answer to any failure it has no better one for. */
const HANGUP = '<Response>\n  <Hangup/>\n</Response>';

/** First values of a parsed query or form, as strings. */
function strings(form: Form): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(form)) {
    const first = Array.isArray(v) ? (v[0] as unknown) : v;
    if (typeof first === 'string') out[k] = first;
  }
  return out;
}

/**
 * `GET|POST /apps/{AP}/controller`: the module a call is at, as RCML. RVD leaves it open, which with
 * External Service steps makes it a relay to any URL; here it needs Basic authentication of an account
 * that can see the project, or the node key its own RCML fetcher sends for this node's designer URLs.
 */
export function registerController(app: FastifyInstance, ctx: DesignerContext): void {
  const handle = async (request: FastifyRequest<Sid>, reply: FastifyReply): Promise<FastifyReply> => {
    const { sid } = request.params;
    const project = isSid(sid, 'AP') ? await ctx.store.designerProjects.find(sid) : undefined;
    if (!isNodeKey(request.headers[DESIGNER_KEY_HEADER.toLowerCase()], ctx.nodeKey)) {
      const caller = await ctx.access.caller(request);
      if (project !== undefined && !(await ctx.access.canSee(caller, project))) throw forbidden(`project ${sid} belongs to an account outside the caller's account tree`);
    }
    // RVD: a missing project is a 404 with an empty body.
    if (project === undefined) throw new RvdError(404, null);
    const url = new URL(request.url, `${request.protocol}://${request.host}`);
    const path = url.pathname;
    const prefix = path.slice(0, path.indexOf('/apps/'));
    const controllerUrl = `${url.origin}${path}`;
    const params = { ...strings(queryOf(request)), ...strings(formOf(request)) };
    const settings = settingsOf(project);
    const log = ctx.logs.writer(project.sid, settings);
    let result: ControllerResult;
    try {
      result = await ctx.runController(
        {
          projectSid: project.sid,
          accountSid: project.account_sid,
          state: stateOf(project),
          parameters: parametersOf(project),
          settings,
          params,
          controllerUrl,
          mediaUrl: (file) => `${url.origin}${prefix}/projects/${project.sid}/wavs/${encodeURIComponent(file)}`,
          log,
        },
        { externalServiceTimeoutMs: ctx.config.designerExternalServiceTimeout },
      );
    } catch (err) {
      ctx.log.error({ err, projectSid: project.sid }, 'designer runtime failed');
      log.write(['EXCEPTION'], `the designer runtime failed: ${(err as Error).message}`);
      result = { rcml: HANGUP, failure: { code: CONTROLLER_INTERNAL_ERROR, message: `Visual Designer application ${project.sid}: the runtime failed (${(err as Error).message})` } };
    }
    if (result.failure !== null) {
      await ctx.store.notifications.addNotification({
        accountSid: project.account_sid,
        callSid: params.CallSid ?? null,
        log: 0,
        errorCode: result.failure.code,
        messageText: result.failure.message,
        requestUrl: controllerUrl,
        requestMethod: request.method,
        requestVariables: new URLSearchParams(params).toString(),
        responseBody: result.rcml,
      });
    }
    return reply.type('application/xml').send(result.rcml);
  };
  app.get<Sid>('/apps/:sid/controller', handle);
  app.post<Sid>('/apps/:sid/controller', handle);
}
