import * as attr from '../spec/attributes.js';
import { verbSpec } from '../spec/types.js';
import type { HttpMethod } from '../verbs.js';
import { CONTINUE, type VerbModule } from './context.js';
import { sipNoun, type SipNoun } from './nouns.js';

export interface ReferVerb {
  readonly verb: 'Refer';
  readonly line: number;
  readonly action: string | null;
  readonly method: HttpMethod;
  readonly target: SipNoun;
}

const ONE_SIP = '<Refer> must contain exactly one <Sip>';

/** Dialtone's extension: blind-transfer the caller to a SIP URI with an in-dialog REFER. */
export const refer: VerbModule<ReferVerb> = {
  spec: verbSpec({
    name: 'Refer',
    requires: 'call',
    description: 'Dialtone: blind-transfers the caller to the SIP URI of its one `<Sip>` with an in-dialog REFER.',
    attributes: {
      action: attr.url({ description: 'requested with the transfer result; without it the next verb runs' }),
      method: attr.method({ warning: 13810 }),
    },
    children: { kind: 'one', elements: { Sip: sipNoun }, error: ONE_SIP },
    build({ line, attributes, children: [target], fail }): ReferVerb {
      // The reader has checked the count; this narrows the type.
      if (target === undefined) return fail(null, ONE_SIP);
      return { verb: 'Refer', line, ...attributes, target };
    },
  }),
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
