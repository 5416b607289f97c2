/**
 * The page's HTTP client: the REST API (`/restcomm/2012-04-24`, for the account, its Applications and
 * numbers) and the designer's API (`/visual-designer/services`, for projects). Every call carries the
 * account's Basic credentials; `credentials: 'omit'` keeps the browser from ever showing its own login
 * prompt on a 401.
 */
export const RESTCOMM = '/restcomm/2012-04-24';
export const DESIGNER = '/visual-designer/services';

/** A designer application is an Application whose RCML URL is a designer controller. */
const CONTROLLER = /\/(visual-designer|restcomm-rvd)\/services\/apps\/([A-Za-z0-9]+)\/controller(\?|$)/;

export class ApiError extends Error {
  /** @param {number} status @param {string} message @param {string} body the reply's text */
  constructor(status, message, body = '') {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** @param {string} user @param {string} password */
function basic(user, password) {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  return 'Basic ' + btoa(String.fromCharCode(...bytes));
}

const STATUS_TEXT = {
  400: 'The request was refused as invalid',
  401: 'The account or the password is wrong, or the account is not active',
  403: 'This account may not do that',
  404: 'Not found',
  409: 'That name is already taken',
  413: 'The file is too large',
  500: 'The server failed to do that',
  503: 'The server is not available',
};

/** The most specific message a failed reply carries: Restcomm's, RVD's or the upload errors'. */
export function errorMessage(status, text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (data !== null && typeof data === 'object') {
    if (typeof data.message === 'string' && data.message !== '') return data.message;
    if (typeof data.exception?.message === 'string') return data.exception.message;
    if (typeof data.serverError?.message === 'string') return data.serverError.message;
    if (data.error === 'FILE_EXT_NOT_ALLOWED') return 'Only files ending in .wav or .mp4 can be uploaded';
    if (data.error === 'FILE_TOO_BIG') return `The file is larger than the limit of ${data.maxSize} bytes`;
    if (typeof data.error === 'string') return data.error;
    if (typeof data.exception?.className === 'string') return data.exception.className;
  }
  const xml = /<Message>([^<]*)<\/Message>/.exec(text);
  if (xml) return xml[1];
  const plain = text.trim();
  if (plain !== '' && !plain.startsWith('<') && plain.length < 300) return plain;
  return STATUS_TEXT[status] ?? `The server answered ${status}`;
}

/**
 * @param {{ user: string, password: string }} credentials
 * @param {string} method
 * @param {string} url
 * @param {{ form?: Record<string, string>, json?: unknown, body?: BodyInit }} [options]
 * @returns {Promise<string>} the reply's text
 */
async function send(credentials, method, url, options = {}) {
  /** @type {Record<string, string>} */
  const headers = { Authorization: basic(credentials.user, credentials.password), Accept: 'application/json' };
  let body = options.body;
  if (options.form !== undefined) body = new URLSearchParams(options.form);
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(url, { method, headers, body, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'The server cannot be reached');
  }
  const text = await res.text();
  if (!res.ok) throw new ApiError(res.status, errorMessage(res.status, text), text);
  return text;
}

const parse = (text) => (text.trim() === '' ? null : JSON.parse(text));

/** Checks the credentials and answers the account (`sid`, `email_address`, `friendly_name`, `status`). */
export async function signIn(user, password) {
  const account = parse(await send({ user, password }, 'GET', `${RESTCOMM}/Accounts.json/${encodeURIComponent(user)}`));
  return { user, password, sid: account.sid, email: account.email_address ?? '', name: account.friendly_name ?? '' };
}

/** The project sid of a designer application, or null for any other Application. */
export function designerSid(application) {
  const m = CONTROLLER.exec(application.rcml_url ?? '');
  return m ? m[2] : null;
}

/** The absolute URL of a project's media file, as a Play step and the page's player use it (no auth). */
export function mediaUrl(projectSid, file) {
  return `${DESIGNER}/projects/${projectSid}/wavs/${encodeURIComponent(file)}`;
}

/** @param {{ user: string, password: string, sid: string }} session */
export function client(session) {
  const rc = async (method, path, options) => parse(await send(session, method, RESTCOMM + path, options));
  const rvd = async (method, path, options) => parse(await send(session, method, DESIGNER + path, options));
  const account = `/Accounts/${session.sid}`;
  const project = (sid) => `/projects/${encodeURIComponent(sid)}`;
  const query = (params) => new URLSearchParams(params).toString();
  return {
    authorization: () => basic(session.user, session.password),
    applications: () => rc('GET', `${account}/Applications.json`),
    async numbers() {
      const all = [];
      for (let page = 0; ; page++) {
        const reply = await rc('GET', `${account}/IncomingPhoneNumbers.json?Page=${page}&PageSize=100`);
        all.push(...reply.incomingPhoneNumbers);
        if (page + 1 >= reply.num_pages) return all;
      }
    },
    updateNumber: (sid, form) => rc('POST', `${account}/IncomingPhoneNumbers/${encodeURIComponent(sid)}.json`, { form }),
    templates: async () => (await rvd('GET', '/templates')).results ?? [],
    /** `{ name, kind }` for an empty project, `{ template, name? }` from a template; answers `{ name, sid, kind }`. */
    createProject: (params) => rvd('POST', `/projects?${query(params)}`),
    project: (sid) => rvd('GET', project(sid)),
    saveProject: (sid, state) => rvd('POST', project(sid), { json: state }),
    buildProject: (sid) => rvd('POST', `${project(sid)}/build`),
    renameProject: (sid, newName) => rvd('PUT', `${project(sid)}/rename?${query({ newName })}`),
    deleteProject: (sid) => rvd('DELETE', project(sid)),
    media: (sid) => rvd('GET', `${project(sid)}/wavs`),
    uploadMedia(sid, file) {
      const form = new FormData();
      form.append('file', file, file.name);
      return rvd('POST', `${project(sid)}/wavs`, { body: form });
    },
    deleteMedia: (sid, filename) => rvd('DELETE', `${project(sid)}/wavs?${query({ filename })}`),
    parameters: (sid) => rvd('GET', `${project(sid)}/parameters`),
    saveParameters: (sid, parameters) => rvd('PUT', `${project(sid)}/parameters`, { json: { parameters } }),
    settings: (sid) => rvd('GET', `${project(sid)}/settings`),
    saveSettings: (sid, settings) => rvd('POST', `${project(sid)}/settings`, { json: settings }),
    log: async (sid) => send(session, 'GET', `${DESIGNER}/apps/${encodeURIComponent(sid)}/log`),
    clearLog: (sid) => rvd('DELETE', `/apps/${encodeURIComponent(sid)}/log`),
    logStreamUrl: (sid) => `${DESIGNER}/apps/${encodeURIComponent(sid)}/log/stream`,
  };
}
