import type { ReferVerb } from '../verbs.js';
import { CONTINUE, type VerbModule } from './context.js';

/** Dialtone's extension: blind-transfer the caller to a SIP URI with an in-dialog REFER. */
export const refer: VerbModule<ReferVerb> = {
  answersCall: true,
  async run(verb, ctx) {
    const { uri, headers, username, password } = verb.target;
    const outcome = await ctx.call.refer({ uri, headers, username, password }, ctx.signal);
    if (verb.action === null) return CONTINUE;
    return {
      next: 'fetch',
      url: ctx.resolve(verb.action),
      method: verb.method,
      parameters: { ReferCallStatus: outcome.status, ReferSipResponseCode: String(outcome.sipResponseCode) },
      reportIfHungUp: true,
    };
  },
};
