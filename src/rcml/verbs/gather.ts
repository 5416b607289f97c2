import type { GatherVerb } from '../verbs.js';
import { CONTINUE, type VerbModule } from './context.js';

export const gather: VerbModule<GatherVerb> = {
  answersCall: true,
  async run(verb, ctx) {
    const prompts = verb.prompts.map((p) => (p.verb === 'Play' && p.url !== '' ? { ...p, url: ctx.resolve(p.url) } : p));
    const outcome = await ctx.call.gather(
      {
        prompts,
        timeout: verb.timeout,
        finishOnKey: verb.finishOnKey,
        numDigits: verb.numDigits,
        input: verb.input,
        language: verb.language,
        hints: verb.hints,
      },
      ctx.signal,
    );
    // Restcomm: nothing collected, or no action → the next verb, nothing requested.
    if (verb.action === null || (outcome.digits === '' && outcome.speechResult === null)) return CONTINUE;
    const parameters: Record<string, string> = { Digits: outcome.digits };
    if (outcome.speechResult !== null) parameters.SpeechResult = outcome.speechResult;
    return { next: 'fetch', url: ctx.resolve(verb.action), method: verb.method, parameters, reportIfHungUp: false };
  },
};
