import * as attr from '../spec/attributes.js';
import { verbSpec, type ElementSpec } from '../spec/types.js';
import type { HttpMethod } from '../verbs.js';
import { CONTINUE, type VerbModule } from './context.js';
import { pause, type PauseVerb } from './pause.js';
import { play, type PlayVerb } from './play.js';
import { say, type SayVerb } from './say.js';

export type GatherPrompt = PlayVerb | SayVerb | PauseVerb;

export interface GatherVerb {
  readonly verb: 'Gather';
  readonly line: number;
  readonly action: string | null;
  readonly method: HttpMethod;
  readonly timeout: number;
  /** Any of these keys ends input; empty = no key does. */
  readonly finishOnKey: string;
  readonly numDigits: number | null;
  readonly input: readonly ('dtmf' | 'speech')[];
  readonly language: string | null;
  readonly hints: readonly string[];
  readonly prompts: readonly GatherPrompt[];
}

const PROMPTS: Readonly<Record<string, ElementSpec<GatherPrompt>>> = { Say: say.spec, Play: play.spec, Pause: pause.spec };

export const gather: VerbModule<GatherVerb> = {
  spec: verbSpec({
    name: 'Gather',
    requires: 'call',
    description: 'Plays its prompts and collects DTMF or speech.',
    attributes: {
      input: attr.choices({ values: ['dtmf', 'speech'], default: ['dtmf'], warning: 13322, expected: 'dtmf, speech or "dtmf speech"' }),
      hints: attr.phrases({ maxItems: 50, maxLength: 100, description: 'speech recognition hints' }),
      // Validated like Restcomm, but the key that starts input is not used.
      startInputKey: attr.keys({ default: '', empty: '', invalid: '#', warning: 13315 }),
      action: attr.url({ description: 'requested with the input; without it (or without input) the next verb runs' }),
      method: attr.method({ warning: 13312 }),
      timeout: attr.integer({ min: 1, default: 5, warning: 13313, description: 'seconds of silence that end input' }),
      finishOnKey: attr.keys({ default: '#', empty: '', invalid: '#', warning: 13310, description: 'empty = no key ends input' }),
      numDigits: attr.optionalInteger({ min: 1, warning: 13314, description: 'absent = unlimited' }),
      language: attr.language({ default: null, warning: 13323 }),
    },
    children: { kind: 'any', elements: PROMPTS, error: '<Gather> may only contain Say, Play and Pause' },
    build({ line, attributes: a, children }): GatherVerb {
      const { action, method, timeout, finishOnKey, numDigits, input, language, hints } = a;
      return { verb: 'Gather', line, action, method, timeout, finishOnKey, numDigits, input, language, hints, prompts: children };
    },
  }),
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
