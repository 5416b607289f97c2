/**
 * The step kinds of RVD's project format 1.15 as the editor shows them: for each kind its title, what a new
 * step holds (the JSON RVD's own editor writes) and the fields of its form. Field keys are dotted paths
 * into the step; `when` hides a field that does not apply to the step as it is.
 *
 * Field types: text, textarea, number, bool, select, module (a module of this project), media (a media
 * file of this project), list (of objects with their own fields), steps (nested say/play steps) and
 * variant (an object holding exactly one of several shapes, as Control's actions).
 */

const text = (key, label, extra = {}) => ({ type: 'text', key, label, ...extra });
const textarea = (key, label, extra = {}) => ({ type: 'textarea', key, label, ...extra });
const number = (key, label, extra = {}) => ({ type: 'number', key, label, ...extra });
const bool = (key, label, extra = {}) => ({ type: 'bool', key, label, ...extra });
const select = (key, label, options, extra = {}) => ({ type: 'select', key, label, options, ...extra });
const module = (key, label, extra = {}) => ({ type: 'module', key, label, ...extra });
const list = (key, label, item, extra) => ({ type: 'list', key, label, item, ...extra });

/** `$` variables are expanded in these fields: the form offers the variable picker next to them. */
const $ = { expands: true };

const METHOD = [{ value: '', label: 'default' }, { value: 'GET', label: 'GET' }, { value: 'POST', label: 'POST' }];
const SCOPE = [{ value: 'module', label: 'module' }, { value: 'application', label: 'application (sticky)' }];
const VAR_SCOPE = [{ value: 'mod', label: 'module' }, { value: 'app', label: 'application (sticky)' }];

const accessOperations = (key, label, extra = {}) =>
  list(key, label, [
    select('kind', 'Access', [
      { value: 'object', label: 'property of an object' },
      { value: 'array', label: 'item of an array' },
      { value: 'value', label: 'the value itself' },
    ]),
    text('property', 'Property', { when: (o) => o.kind === 'object' }),
    number('position', 'Position', { when: (o) => o.kind === 'array' }),
  ], {
    add: 'Add access step',
    newItem: () => ({ kind: 'object', action: 'propertyNamed', property: '' }),
    // RVD's extractor names the action with the kind; the editor keeps the two in step.
    normalize: (o) => ({ ...o, action: o.kind === 'object' ? 'propertyNamed' : o.kind === 'array' ? 'itemAtPosition' : undefined }),
    ...extra,
  });

const inputHas = (s, what) => (s.inputType ?? 'dtmf').split(' ').includes(what);

/** @type {Record<string, { title: string, fresh: () => object, fields: object[] }>} */
export const STEP_KINDS = {
  say: {
    title: 'Say',
    fresh: () => ({ phrase: '' }),
    fields: [
      textarea('phrase', 'Phrase', $),
      select('voice', 'Voice', [{ value: '', label: 'default' }, { value: 'man', label: 'man' }, { value: 'woman', label: 'woman' }]),
      text('language', 'Language'),
      number('loop', 'Loop'),
    ],
  },
  play: {
    title: 'Play',
    fresh: () => ({ playType: 'local', local: { wavLocalFilename: '' } }),
    fields: [
      select('playType', 'Play from', [{ value: 'local', label: 'a media file of this application' }, { value: 'remote', label: 'a URL' }]),
      { type: 'media', key: 'local.wavLocalFilename', label: 'Media file', when: (s) => s.playType !== 'remote' },
      text('remote.wavUrl', 'Audio URL', { ...$, when: (s) => s.playType === 'remote' }),
      number('loop', 'Loop'),
    ],
  },
  gather: {
    title: 'Gather',
    fresh: () => ({
      method: 'GET',
      gatherType: 'menu',
      inputType: 'dtmf',
      steps: [],
      menu: { mappings: [], speechMappings: [] },
      collectdigits: { collectVariable: '', next: '', scope: 'module' },
      invalidMessage: { kind: 'say', label: 'say', title: 'say', phrase: '' },
    }),
    fields: [
      select('gatherType', 'Gather type', [{ value: 'menu', label: 'Menu' }, { value: 'collectdigits', label: 'Collect input' }]),
      select('inputType', 'Input', [
        { value: 'dtmf', label: 'keys (DTMF)' },
        { value: 'speech', label: 'speech' },
        { value: 'dtmf speech', label: 'keys and speech' },
      ]),
      { type: 'steps', key: 'steps', label: 'Prompts', kinds: ['say', 'play'] },
      list('menu.mappings', 'Key mappings', [text('digits', 'Keys'), module('next', 'Go to module')], {
        add: 'Add key mapping',
        newItem: () => ({ digits: '', next: '' }),
        when: (s) => s.gatherType !== 'collectdigits' && inputHas(s, 'dtmf'),
      }),
      list('menu.speechMappings', 'Speech mappings', [text('key', 'Speech pattern'), module('next', 'Go to module')], {
        add: 'Add speech mapping',
        newItem: () => ({ key: '', next: '' }),
        when: (s) => s.gatherType !== 'collectdigits' && inputHas(s, 'speech'),
      }),
      text('collectdigits.collectVariable', 'Store input in variable', { when: (s) => s.gatherType === 'collectdigits' }),
      select('collectdigits.scope', 'Variable scope', SCOPE, { when: (s) => s.gatherType === 'collectdigits' }),
      module('collectdigits.next', 'Then go to module', { when: (s) => s.gatherType === 'collectdigits' }),
      text('validation.userPattern', 'Allowed keys', { when: (s) => s.gatherType === 'collectdigits', placeholder: 'e.g. 0-9#' }),
      text('validation.regexPattern', 'Validation pattern (regular expression)', { when: (s) => s.gatherType === 'collectdigits' }),
      text('invalidMessage.phrase', 'Message on invalid input', { ...$, wide: true }),
      select('method', 'Method', METHOD.slice(1)),
      number('timeout', 'Timeout (s)'),
      text('finishOnKey', 'Finish on key'),
      number('numDigits', 'Number of digits'),
      text('language', 'Speech language', { when: (s) => inputHas(s, 'speech') }),
      text('hints', 'Speech hints', { when: (s) => inputHas(s, 'speech') }),
    ],
  },
  dial: {
    title: 'Dial',
    fresh: () => ({ dialNouns: [{ dialType: 'number', destination: '' }] }),
    fields: [
      list('dialNouns', 'Dial targets', [
        select('dialType', 'Target type', [
          { value: 'number', label: 'Number' },
          { value: 'client', label: 'Client' },
          { value: 'sipuri', label: 'SIP URI' },
          { value: 'conference', label: 'Conference' },
        ]),
        text('destination', 'Destination', $),
        text('sendDigits', 'Send digits', { when: (n) => n.dialType === 'number' }),
        module('beforeConnectModule', 'Before connecting, run module', { when: (n) => n.dialType === 'number' || n.dialType === 'client' }),
        text('statusCallback', 'Status callback URL', { when: (n) => n.dialType !== 'conference' }),
        module('statusCallbackModule', 'Status callback module', { when: (n) => n.dialType !== 'conference' }),
        bool('muted', 'Muted', { when: (n) => n.dialType === 'conference' }),
        bool('beep', 'Beep', { when: (n) => n.dialType === 'conference' }),
        bool('startConferenceOnEnter', 'Start conference on enter', { when: (n) => n.dialType === 'conference' }),
        bool('endConferenceOnExit', 'End conference on exit', { when: (n) => n.dialType === 'conference' }),
        text('waitUrl', 'Wait URL', { ...$, when: (n) => n.dialType === 'conference' }),
        module('waitModule', 'Wait module', { when: (n) => n.dialType === 'conference' }),
        select('waitMethod', 'Wait method', METHOD, { when: (n) => n.dialType === 'conference' }),
        number('maxParticipants', 'Maximum participants', { when: (n) => n.dialType === 'conference' }),
      ], { add: 'Add dial target', newItem: () => ({ dialType: 'number', destination: '' }) }),
      module('nextModule', 'After the call, go to module'),
      select('method', 'Method', METHOD),
      number('timeout', 'Ring timeout (s)'),
      number('timeLimit', 'Time limit (s)'),
      text('callerId', 'Caller ID', $),
      bool('record', 'Record the call'),
    ],
  },
  record: {
    title: 'Record',
    fresh: () => ({ next: '' }),
    fields: [
      module('next', 'Then go to module'),
      select('method', 'Method', METHOD),
      number('timeout', 'Silence timeout (s)'),
      text('finishOnKey', 'Finish on key'),
      number('maxLength', 'Maximum length (s)'),
      bool('playBeep', 'Play a beep'),
      bool('transcribe', 'Transcribe'),
      text('transcribeCallback', 'Transcription callback URL'),
    ],
  },
  redirect: {
    title: 'Redirect',
    fresh: () => ({}),
    fields: [text('url', 'Redirect URL', { ...$, wide: true }), module('next', 'Or go to module'), select('method', 'Method', METHOD)],
  },
  hungup: { title: 'Hang up', fresh: () => ({}), fields: [] },
  reject: {
    title: 'Reject',
    fresh: () => ({}),
    fields: [select('reason', 'Reason', [{ value: '', label: 'default' }, { value: 'busy', label: 'busy' }, { value: 'rejected', label: 'rejected' }])],
  },
  pause: { title: 'Pause', fresh: () => ({}), fields: [number('length', 'Length (s)')] },
  sms: {
    title: 'SMS',
    fresh: () => ({ text: '' }),
    fields: [
      textarea('text', 'Message text', $),
      text('to', 'To', $),
      text('from', 'From', $),
      module('next', 'Then go to module'),
      select('method', 'Method', METHOD),
      text('statusCallback', 'Status callback URL'),
    ],
  },
  email: {
    title: 'Email',
    fresh: () => ({ text: '' }),
    fields: [
      text('to', 'To', $),
      text('from', 'From', $),
      text('cc', 'Cc', $),
      text('bcc', 'Bcc', $),
      text('subject', 'Subject', $),
      textarea('text', 'Message text', $),
      module('next', 'Then go to module'),
      select('method', 'Method', METHOD),
      text('statusCallback', 'Status callback URL'),
    ],
  },
  externalService: {
    title: 'External Service',
    fresh: () => ({ url: '', urlParams: [], assignments: [], doRouting: false, nextType: 'fixed', next: '' }),
    fields: [
      text('url', 'Service URL', { ...$, wide: true }),
      select('method', 'HTTP method', [{ value: '', label: 'GET' }, { value: 'POST', label: 'POST' }, { value: 'PUT', label: 'PUT' }, { value: 'DELETE', label: 'DELETE' }]),
      select('contentType', 'Content type', [{ value: '', label: 'form' }, { value: 'json', label: 'JSON' }], { when: (s) => s.method === 'POST' || s.method === 'PUT' }),
      bool('populatePostBodyFromParams', 'Send the parameters as the body', { when: (s) => s.method === 'POST' || s.method === 'PUT' }),
      textarea('requestBody', 'Request body', { ...$, when: (s) => (s.method === 'POST' || s.method === 'PUT') && !s.populatePostBodyFromParams }),
      list('urlParams', 'Parameters', [text('name', 'Name'), text('value', 'Value', $)], { add: 'Add parameter', newItem: () => ({ name: '', value: '' }) }),
      list('httpHeaders', 'Headers', [text('name', 'Name'), text('value', 'Value', $)], { add: 'Add header', newItem: () => ({ name: '', value: '' }) }),
      text('username', 'User name'),
      text('password', 'Password'),
      number('timeout', 'Timeout (ms)'),
      list('assignments', 'Assignments', [
        text('destVariable', 'Variable'),
        select('scope', 'Variable scope', SCOPE),
        module('moduleNameScope', 'Only when routing to module'),
        accessOperations('valueExtractor.accessOperations', 'Value in the response'),
      ], { add: 'Add assignment', newItem: () => ({ destVariable: '', scope: 'module', moduleNameScope: null, valueExtractor: { accessOperations: [] } }) }),
      bool('doRouting', 'Continue to another module'),
      select('nextType', 'Routing', [
        { value: 'fixed', label: 'always the same module' },
        { value: 'responseBased', label: 'the module labelled by the response' },
        { value: 'mapped', label: 'by value of the response' },
      ], { when: (s) => s.doRouting === true }),
      module('next', 'Go to module', { when: (s) => s.doRouting === true && (s.nextType ?? 'fixed') === 'fixed' }),
      accessOperations('nextValueExtractor.accessOperations', 'Routing value in the response', {
        when: (s) => s.doRouting === true && (s.nextType === 'responseBased' || s.nextType === 'mapped'),
      }),
      list('routeMappings', 'Route mappings', [text('value', 'Value'), module('next', 'Go to module')], {
        add: 'Add route mapping',
        newItem: () => ({ value: '', next: '' }),
        when: (s) => s.doRouting === true && s.nextType === 'mapped',
      }),
      module('exceptionNext', 'On an error status, go to module'),
      module('onTimeout', 'On timeout, go to module'),
    ],
  },
  control: {
    title: 'Control',
    fresh: () => ({ conditions: [], conditionExpression: '', actions: [] }),
    fields: [
      list('conditions', 'Conditions', [
        text('name', 'Condition name'),
        select('operator', 'Operator', ['equals', 'notequal', 'greater', 'greaterEqual', 'less', 'lessEqual', 'matches'].map((v) => ({ value: v, label: v }))),
        text('comparison.operand1', 'First operand', { ...$, when: (c) => c.operator !== 'matches' }),
        text('comparison.operand2', 'Second operand', { ...$, when: (c) => c.operator !== 'matches' }),
        select('comparison.type', 'Compare as', [{ value: 'text', label: 'text' }, { value: 'numeric', label: 'numbers' }], { when: (c) => c.operator !== 'matches' }),
        text('matcher.text', 'Text', { ...$, when: (c) => c.operator === 'matches' }),
        text('matcher.regex', 'Regular expression', { when: (c) => c.operator === 'matches' }),
      ], {
        add: 'Add condition',
        newItem: (items) => ({ name: `C${items.length + 1}`, operator: 'equals', comparison: { operand1: '', operand2: '', type: 'text' } }),
      }),
      text('conditionExpression', 'Condition expression', { placeholder: 'C1 AND C2' }),
      list('actions', 'Actions', [
        {
          type: 'variant',
          label: 'Action',
          variants: {
            assign: { label: 'assign a variable', fresh: () => ({ expression: '', varName: '', varScope: 'mod' }), fields: [text('expression', 'Value', $), text('varName', 'Variable'), select('varScope', 'Variable scope', VAR_SCOPE)] },
            capture: { label: 'capture with a regular expression', fresh: () => ({ regex: '', data: '', varName: '', varScope: 'mod' }), fields: [text('data', 'Captured text', $), text('regex', 'Regular expression'), text('varName', 'Variable'), select('varScope', 'Variable scope', VAR_SCOPE)] },
            continueTo: { label: 'continue to a module', fresh: () => ({ target: '' }), fields: [module('target', 'Continue to module')] },
          },
        },
      ], { add: 'Add action', newItem: () => ({ assign: { expression: '', varName: '', varScope: 'mod' } }) }),
    ],
  },
  log: { title: 'Log', fresh: () => ({ message: '' }), fields: [text('message', 'Log message', $)] },
  ussdSay: { title: 'USSD Message', fresh: () => ({ text: '' }), fields: [textarea('text', 'Message text', $)] },
  ussdCollect: {
    title: 'USSD Collect',
    fresh: () => ({ gatherType: 'menu', messages: [], menu: { mappings: [] }, collectdigits: { collectVariable: '', next: '', scope: 'module' } }),
    fields: [
      select('gatherType', 'Gather type', [{ value: 'menu', label: 'Menu' }, { value: 'collectdigits', label: 'Collect input' }]),
      { type: 'steps', key: 'messages', label: 'Messages', kinds: ['ussdSay'] },
      list('menu.mappings', 'Key mappings', [text('digits', 'Keys'), module('next', 'Go to module')], {
        add: 'Add key mapping',
        newItem: () => ({ digits: '', next: '' }),
        when: (s) => s.gatherType !== 'collectdigits',
      }),
      text('collectdigits.collectVariable', 'Store input in variable', { when: (s) => s.gatherType === 'collectdigits' }),
      select('collectdigits.scope', 'Variable scope', SCOPE, { when: (s) => s.gatherType === 'collectdigits' }),
      module('collectdigits.next', 'Then go to module', { when: (s) => s.gatherType === 'collectdigits' }),
    ],
  },
  ussdLanguage: { title: 'USSD Language', fresh: () => ({ language: '' }), fields: [text('language', 'Language')] },
};

/** The kinds the "Add step" menu offers, per project kind. */
export const KINDS_BY_PROJECT = {
  voice: ['say', 'play', 'gather', 'dial', 'record', 'redirect', 'pause', 'reject', 'hungup', 'sms', 'email', 'externalService', 'control', 'log'],
  sms: ['sms', 'email', 'redirect', 'externalService', 'control', 'log'],
  ussd: ['ussdSay', 'ussdCollect', 'ussdLanguage', 'redirect', 'externalService', 'control', 'log'],
};

/** The title of a step's kind, or the kind itself for one this editor does not know. */
export function kindTitle(kind) {
  return STEP_KINDS[kind]?.title ?? kind;
}

/** A new step of `kind` named `name`, as RVD's editor creates it (`label` and `title` are the kind). */
export function newStep(kind, name) {
  return { kind, name, label: kind, title: kind, ...STEP_KINDS[kind].fresh() };
}
