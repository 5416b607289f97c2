import { bool, int, nonEmpty, str } from '../json.js';
import { continueAfterVerb } from './continue.js';
import { METHOD, flag, integer, moduleRef, oneOf, text } from './fields.js';
import { element } from './rcml-element.js';
import type { StepKind } from './types.js';

export const record: StepKind = {
  kind: 'record',
  title: 'Record',
  description: 'Records the caller, then continues with a module.',
  projects: ['voice'],
  produces: '<Record action method timeout finishOnKey maxLength transcribe transcribeCallback playBeep/>; action and method only with `next`',
  fields: {
    next: moduleRef({ required: true, description: 'the module that runs after the recording' }),
    method: oneOf(METHOD),
    timeout: integer({ min: 0, description: 'seconds of silence that end the recording' }),
    finishOnKey: text({ pattern: /^$|^[0-9*#]+$|^-1$/, patternText: 'keys of 0-9, * and #, or -1 for none' }),
    maxLength: integer({ min: 1, description: 'seconds' }),
    transcribe: flag(),
    transcribeCallback: text(),
    playBeep: flag(),
    media: oneOf(['audio_only', 'video_only', 'audio_video'], { description: 'rendered only with video support, which this node does not have' }),
  },
  render(step, rt) {
    const next = nonEmpty(step, 'next');
    return element('Record', {
      action: next === undefined ? undefined : rt.actionUrl(step.name, 'actionhandler'),
      method: next === undefined ? undefined : nonEmpty(step, 'method'),
      timeout: int(step, 'timeout'),
      finishOnKey: str(step, 'finishOnKey'),
      maxLength: int(step, 'maxLength'),
      transcribe: bool(step, 'transcribe'),
      transcribeCallback: nonEmpty(step, 'transcribeCallback'),
      playBeep: bool(step, 'playBeep'),
    });
  },
  handleAction: (step, _action, rt) => continueAfterVerb(step, 'next', ['RecordingUrl', 'PublicRecordingUrl', 'RecordingDuration', 'Digits'], rt),
};
