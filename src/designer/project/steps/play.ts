import { int, nonEmpty, rec, str } from '../json.js';
import { integer, object, oneOf } from './fields.js';
import { element } from './rcml-element.js';
import type { StepKind } from './types.js';

export const play: StepKind = {
  kind: 'play',
  title: 'Play',
  description: 'Plays an audio file: one uploaded to the project (`local`) or at a URL (`remote`).',
  projects: ['voice'],
  produces: '<Play loop>url</Play>; a local file is played from the project\'s media URL',
  fields: {
    playType: oneOf(['local', 'remote'], { required: true }),
    local: object({ description: '`{wavLocalFilename}`: a file uploaded to the project' }),
    remote: object({ expands: true, description: '`{wavUrl}`: the URL of the audio ($ expanded)' }),
    loop: integer({ min: 0, description: '0 = until the call ends' }),
  },
  validate(step, scope) {
    if (str(step, 'playType') === 'local' && nonEmpty(rec(step, 'local'), 'wavLocalFilename') === undefined) {
      scope.error('local/wavLocalFilename', 'Play step: choose the media file to play');
    }
    if (str(step, 'playType') === 'remote' && nonEmpty(rec(step, 'remote'), 'wavUrl') === undefined) {
      scope.error('remote/wavUrl', 'Play step: give the URL of the audio to play');
    }
  },
  render(step, rt) {
    const url = str(step, 'playType') === 'local'
      ? rt.mediaUrl(str(rec(step, 'local'), 'wavLocalFilename') ?? '')
      : rt.expand(str(rec(step, 'remote'), 'wavUrl')) ?? '';
    return element('Play', { loop: int(step, 'loop') }, url);
  },
};
