/**
 * The designer's controller (RVD `RvdController` + `Interpreter`): one request of a call (or message) in,
 * one RCML document out. Failures are reported, never thrown, and the document is then the fallback.
 */
import { FAILURE, StepFailure } from '../project/steps/failure.js';
import type { RunController } from './contract.js';
import { sendHttp } from './http.js';
import { Interpreter } from './interpreter.js';
import { fallbackRcml, writeRcml } from './rcml-writer.js';
import { Variables } from './variables.js';

export const runController: RunController = async (request, deps) => {
  const { settings } = request;
  const log = (tags: readonly string[], payload: string, raw = false): void => {
    if (settings.logging) request.log.write(tags, payload, { raw });
  };
  const logRcml = (rcml: string): void => {
    if (settings.loggingRCML) log(['RCML'], rcml, true);
  };
  const vars = Variables.forRequest(request.params, request.parameters);
  const target = nonEmpty(request.params.target) ?? request.state.header.startNodeName;
  const interpreter = new Interpreter(request, deps, vars, { http: sendHttp, log: (tags, payload) => log(tags, payload) });
  try {
    const elements = await interpreter.run(target);
    const rcml = writeRcml(elements ?? []);
    logRcml(rcml);
    return { rcml, failure: null };
  } catch (e) {
    const failure = e instanceof StepFailure
      ? { code: e.code, message: e.message }
      : { code: FAILURE.internal, message: `Internal error while running ${request.projectSid}: ${e instanceof Error ? e.message : String(e)}` };
    log(['EXCEPTION'], failure.message);
    const rcml = fallbackRcml(request.state.header.projectKind);
    logRcml(rcml);
    return { rcml, failure };
  }
};

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

