import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { recordingRepository, type Recording, type RecordingFilter, type RecordingSortColumn } from '../../store/recordings.js';
import { API_VERSION, isSid } from '../../store/sid.js';
import { API_PREFIX, type ApiContext } from '../context.js';
import { parseFilterDay, restcommDate } from '../dates.js';
import { badRequest, notFound } from '../errors.js';
import { field, optionalBool, queryOf } from '../form.js';
import { callerOf } from '../identity.js';
import { checkPage, pageEnvelope, parsePageRequest } from '../paging.js';
import { sendFormatted, type XmlNode } from '../render.js';
import { parseSortBy } from '../sorting.js';
import { operatedAccount } from '../tenancy.js';

type Params = { Params: { accountSid: string; sid: string } };
type AccountParams = { Params: { accountSid: string } };

const SORT_FIELDS: Readonly<Record<string, RecordingSortColumn>> = {
  DateCreated: 'date_created',
  Duration: 'duration',
  CallSid: 'call_sid',
};

/** An mp3 conversion of a few minutes of 8 kHz audio takes well under a second; this only bounds a stuck ffmpeg. */
const CONVERT_TIMEOUT_MS = 60_000;

/**
 * Spec §1.7: a recording's audio is fetched without credentials (`.wav`; Dialtone also serves `.mp3`),
 * so that the URL can be handed to phones and media players as is.
 */
export function isPublicRecordingFile(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return /^\/restcomm\/2012-04-24\/Accounts\/[^/]+\/Recordings\/RE[a-zA-Z0-9]{32}\.(wav|mp3)$/.test(path);
}

function uri(r: Recording): string {
  return `/${API_VERSION}/Accounts/${r.account_sid}/Recordings/${r.sid}`;
}

function fileUri(r: Recording, publicUrl: string): string {
  return `${publicUrl}/restcomm${uri(r)}.wav`;
}

/** Restcomm prints the duration as a Java double: `12.0`. */
function durationText(seconds: number): string {
  return Number.isInteger(seconds) ? seconds.toFixed(1) : String(seconds);
}

export function recordingJson(r: Recording, publicUrl: string): Record<string, unknown> {
  return {
    sid: r.sid,
    date_created: restcommDate(r.date_created),
    date_updated: restcommDate(r.date_updated),
    account_sid: r.account_sid,
    ...(r.call_sid === null ? {} : { call_sid: r.call_sid }),
    duration: durationText(r.duration),
    api_version: r.api_version,
    uri: `${uri(r)}.json`,
    file_uri: fileUri(r, publicUrl),
  };
}

export function recordingXml(r: Recording, publicUrl: string): XmlNode {
  return {
    Sid: r.sid,
    DateCreated: restcommDate(r.date_created),
    DateUpdated: restcommDate(r.date_updated),
    AccountSid: r.account_sid,
    CallSid: r.call_sid ?? '',
    Duration: durationText(r.duration),
    ApiVersion: r.api_version,
    Uri: uri(r),
    FileUri: fileUri(r, publicUrl),
  };
}

function day(value: string | undefined, name: string, addDays = 0): string | undefined {
  if (value === undefined || value === '') return undefined;
  const iso = parseFilterDay(value, addDays);
  if (iso === undefined) throw badRequest(`${name} must be a date like 2013-08-23, not "${value}"`);
  return iso;
}

function mp3PathOf(wavPath: string): string {
  return wavPath.replace(/\.wav$/i, '') + '.mp3';
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function runFfmpeg(input: string, output: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-i', input, '-codec:a', 'libmp3lame', '-q:a', '4', '-f', 'mp3', output],
      { timeout: CONVERT_TIMEOUT_MS },
      (err, _stdout, stderr) => (err ? reject(new Error(`ffmpeg failed: ${stderr.trim() || err.message}`)) : resolve()),
    );
  });
}

/** Conversions in progress, so concurrent requests for the same mp3 share one ffmpeg run. */
const converting = new Map<string, Promise<void>>();

/** The mp3 beside the wav, made on first request and kept as a cache. */
async function mp3For(wavPath: string): Promise<string> {
  const mp3 = mp3PathOf(wavPath);
  if (await exists(mp3)) return mp3;
  let job = converting.get(mp3);
  if (job === undefined) {
    // Written under a temporary name and renamed, so a reader never sees a half-written cache file.
    const partial = `${mp3}.${process.pid}.part`;
    job = runFfmpeg(wavPath, partial)
      .then(() => rename(partial, mp3))
      .catch(async (err: unknown) => {
        await rm(partial, { force: true });
        throw err;
      })
      .finally(() => converting.delete(mp3));
    converting.set(mp3, job);
  }
  await job;
  return mp3;
}

export function registerRecordings(app: FastifyInstance, ctx: ApiContext): void {
  const recordings = recordingRepository(ctx.store.db);
  const log = ctx.log.child({ module: 'recordings' });

  app.get<AccountParams>('/Accounts/:accountSid/Recordings', async (request, reply) => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Read', 'Recordings');
    const query = queryOf(request);
    const paging = parsePageRequest(query);
    const sort = parseSortBy(field(query, 'SortBy'), SORT_FIELDS, { column: 'date_created', direction: 'desc' });
    const accountSids = optionalBool(query, 'SubAccounts') === true ? await ctx.store.accounts.subtree(account.sid) : [account.sid];
    const filter: RecordingFilter = { accountSids };
    const from = day(field(query, 'StartTime'), 'StartTime');
    if (from !== undefined) filter.createdFrom = from;
    const before = day(field(query, 'EndTime'), 'EndTime', 1);
    if (before !== undefined) filter.createdBefore = before;
    const callSid = field(query, 'CallSid');
    if (callSid !== undefined && callSid !== '') filter.callSid = callSid;
    const total = await recordings.count(filter);
    checkPage(paging, total);
    const rows = await recordings.list(filter, sort, paging.page * paging.pageSize, paging.pageSize);
    const env = pageEnvelope(paging, total, rows.map((r) => r.sid), `${API_PREFIX}/Accounts/${account.sid}/Recordings`);
    // Restcomm's XML list of recordings carries no paging attributes.
    return sendFormatted(
      request,
      reply,
      { ...env, recordings: rows.map((r) => recordingJson(r, ctx.config.publicUrl)) },
      { Recordings: { Recording: rows.map((r) => recordingXml(r, ctx.config.publicUrl)) } },
    );
  });

  const sendAudio = async (reply: FastifyReply, found: Recording, kind: 'wav' | 'mp3'): Promise<FastifyReply> => {
    if (!(await exists(found.file_path))) throw notFound(`Audio of recording ${found.sid}`);
    let path = found.file_path;
    if (kind === 'mp3') {
      try {
        path = await mp3For(found.file_path);
      } catch (err) {
        log.error({ err, sid: found.sid }, 'mp3 conversion failed');
        throw err;
      }
    }
    const size = (await stat(path)).size;
    return reply
      .code(200)
      .type(kind === 'wav' ? 'audio/x-wav' : 'audio/mpeg')
      .header('content-length', size)
      .send(createReadStream(path));
  };

  app.get<Params>('/Accounts/:accountSid/Recordings/:sid', async (request, reply) => {
    const { accountSid, sid } = request.params;
    const file = /^(RE[a-zA-Z0-9]{32})\.(wav|mp3)$/.exec(sid);
    if (file !== null) {
      // Unauthenticated (see isPublicRecordingFile): the URL's account must still own the recording.
      const found = await recordings.findBySid(file[1] ?? '');
      if (found === undefined || found.account_sid !== accountSid) throw notFound(`Recording ${sid}`);
      return sendAudio(reply, found, file[2] === 'mp3' ? 'mp3' : 'wav');
    }
    const account = await operatedAccount(ctx.store, callerOf(request), accountSid, 'Read', 'Recordings');
    const found = isSid(sid, 'RE') ? await recordings.findBySid(sid) : undefined;
    if (found === undefined || found.account_sid !== account.sid) throw notFound(`Recording ${sid}`);
    return sendFormatted(request, reply, recordingJson(found, ctx.config.publicUrl), { Recording: recordingXml(found, ctx.config.publicUrl) });
  });

  app.delete<Params>('/Accounts/:accountSid/Recordings/:sid', async (request, reply) => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Delete', 'Recordings');
    const { sid } = request.params;
    const found = isSid(sid, 'RE') ? await recordings.findBySid(sid) : undefined;
    if (found === undefined || found.account_sid !== account.sid) throw notFound(`Recording ${sid}`);
    await recordings.delete(sid);
    await rm(found.file_path, { force: true });
    await rm(mp3PathOf(found.file_path), { force: true });
    return reply.code(200).send();
  });
}
