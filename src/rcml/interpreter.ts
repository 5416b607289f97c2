import type { Logger } from '../log.js';
import type { CallControl, Notification } from './call-control.js';
import {
  AppFetchError,
  FallbackFailedError,
  FetchAbortedError,
  FetchCode,
  fetchApp,
  fetchWithFallback,
  type AppDocument,
  type AppRequest,
  type FetchOptions,
} from './fetch.js';
import { baseParameters } from './parameters.js';
import type { HttpMethod, Verb } from './verbs.js';
import { verbModule, VerbFailure, type VerbContext, type VerbResult } from './verbs/index.js';

export interface InterpreterOptions {
  readonly call: CallControl;
  /** The application: a number's voice URL, a client's voice URL, a REFER app, ... */
  readonly url: string;
  readonly method: HttpMethod;
  /** Used once, when the first document cannot be fetched (spec 2.1). */
  readonly fallback?: { readonly url: string; readonly method: HttpMethod } | null;
  readonly instanceId: string;
  /** Added to every request, e.g. `ReferTarget`, `Transferor`, `Transferee`. */
  readonly extraParameters?: Readonly<Record<string, string>>;
  readonly log: Logger;
  readonly fetch?: Omit<FetchOptions, 'signal'>;
  /** Documents fetched per call before the interpreter gives up (Redirect loops); default 100. */
  readonly maxDocuments?: number;
}

/** How the interpreter ended. */
export type InterpreterEnd =
  /** The document ran out and the call was hung up, or a Hangup verb ran. */
  | 'hangup'
  | 'rejected'
  /** The caller hung up (or `stop()` was called) while the interpreter ran. */
  | 'stopped'
  /** The application failed; the call was ended with `fail()` or `hangup()`. */
  | 'failed';

/** Spec 1.1 and 2.1: what an unanswered caller receives when the app fails. */
const SETUP_FAILED = { status: 500, reason: 'Problem to setup the call' } as const;
const PARSE_FAILED = { status: 500, reason: 'Problem_to_parse_downloaded_RCML' } as const;
const NOT_FOUND = { status: 404, reason: 'RCML application URL not found' } as const;
const TOO_MANY_DOCUMENTS = 11215;

/** One per call: fetches the app and runs its verbs against the call. */
export class RcmlInterpreter {
  private readonly call: CallControl;
  private readonly log: Logger;
  private readonly abort = new AbortController();
  private readonly extra: Readonly<Record<string, string>>;
  private readonly maxDocuments: number;
  private documents = 0;

  constructor(private readonly options: InterpreterOptions) {
    this.call = options.call;
    this.log = options.log.child({ module: 'rcml', callSid: options.call.info().sid });
    this.extra = options.extraParameters ?? {};
    this.maxDocuments = options.maxDocuments ?? 100;
  }

  /** Stops without touching the call (live call modification, transfer): pending requests are aborted. */
  stop(): void {
    this.abort.abort();
  }

  async run(): Promise<InterpreterEnd> {
    const unsubscribe = this.call.onHangup(() => this.stop());
    try {
      return await this.execute();
    } finally {
      unsubscribe();
    }
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private parameters(extra: Readonly<Record<string, string>>): Record<string, string> {
    return { ...baseParameters(this.call.info(), this.options.instanceId, this.extra), ...extra };
  }

  private fetchOptions(): FetchOptions {
    return { ...this.options.fetch, signal: this.abort.signal };
  }

  private notify(n: Notification): void {
    this.log.info({ code: n.code, level: n.log === 0 ? 'error' : 'warning' }, n.message);
    this.call.notify(n);
  }

  private notifyFetchError(err: AppFetchError): void {
    this.notify({
      code: err.code,
      log: 0,
      message: err.message,
      requestUrl: err.url,
      requestMethod: err.method,
      ...(err.status === null ? {} : { responseStatus: err.status }),
      ...(err.body === null ? {} : { responseBody: err.body.slice(0, 4096) }),
    });
  }

  private async execute(): Promise<InterpreterEnd> {
    let document: AppDocument | 'failed' | null = await this.first();
    while (document !== null) {
      if (document === 'failed') return 'failed';
      const outcome = await this.runDocument(document);
      if (typeof outcome === 'string') return outcome;
      if (this.stopped) {
        if (outcome.reportIfHungUp) await this.report(outcome);
        return 'stopped';
      }
      document = await this.next(outcome);
    }
    return 'stopped';
  }

  private async first(): Promise<AppDocument | 'failed' | null> {
    const request: AppRequest = { url: this.options.url, method: this.options.method, parameters: this.parameters({}) };
    this.documents++;
    try {
      const { document, primaryError } = await fetchWithFallback(request, this.options.fallback ?? null, this.fetchOptions());
      if (primaryError) this.notifyFetchError(primaryError);
      return document;
    } catch (err) {
      return this.fetchFailed(err);
    }
  }

  private async next(request: Extract<VerbResult, { next: 'fetch' }>): Promise<AppDocument | 'failed' | null> {
    if (this.documents >= this.maxDocuments) {
      this.notify({ code: TOO_MANY_DOCUMENTS, log: 0, message: `more than ${this.maxDocuments} RCML documents for one call (Redirect loop?)`, requestUrl: request.url, requestMethod: request.method });
      await this.endCall(SETUP_FAILED);
      return 'failed';
    }
    this.documents++;
    try {
      return await fetchApp({ url: request.url, method: request.method, parameters: this.parameters(request.parameters) }, this.fetchOptions());
    } catch (err) {
      return this.fetchFailed(err);
    }
  }

  /** Sends an action whose answer can no longer be used because the caller is gone. */
  private async report(request: Extract<VerbResult, { next: 'fetch' }>): Promise<void> {
    try {
      await fetchApp({ url: request.url, method: request.method, parameters: this.parameters(request.parameters) }, this.options.fetch);
    } catch (err) {
      if (err instanceof AppFetchError) this.notifyFetchError(err);
      else throw err;
    }
  }

  private async fetchFailed(err: unknown): Promise<'failed' | null> {
    if (err instanceof FetchAbortedError || this.stopped) return null;
    if (err instanceof FallbackFailedError) {
      this.notifyFetchError(err.primary);
      this.notifyFetchError(err.fallback);
      await this.endCall(err.fallback.code === FetchCode.parse ? PARSE_FAILED : SETUP_FAILED);
      return 'failed';
    }
    if (!(err instanceof AppFetchError)) throw err;
    this.notifyFetchError(err);
    await this.endCall(err.code === FetchCode.notFound ? NOT_FOUND : err.code === FetchCode.parse ? PARSE_FAILED : SETUP_FAILED);
    return 'failed';
  }

  private async endCall(failure: { status: 404 | 500; reason: string }): Promise<void> {
    if (this.call.info().status === 'ringing') await this.call.fail(failure);
    else await this.call.hangup();
  }

  private verbsOf(document: AppDocument): readonly Verb[] {
    if (document.kind === 'play') return [{ verb: 'Play', line: 0, url: document.url, loop: 1, digits: null }];
    if (document.kind === 'say') return [{ verb: 'Say', line: 0, text: document.text, voice: 'man', language: 'en', loop: 1 }];
    for (const w of document.warnings) this.notify({ code: w.code, log: 1, message: `line ${w.line}: ${w.message}`, requestUrl: document.url });
    return document.verbs;
  }

  /** Runs verbs until one asks for a new document or the call ends. */
  private async runDocument(document: AppDocument): Promise<Extract<VerbResult, { next: 'fetch' }> | InterpreterEnd> {
    const ctx: VerbContext = {
      call: this.call,
      signal: this.abort.signal,
      log: this.log,
      resolve: (url) => {
        try {
          return new URL(url, document.url).href;
        } catch {
          throw new VerbFailure(FetchCode.badUrl, `"${url}" is not a valid URL`);
        }
      },
    };
    for (const verb of this.verbsOf(document)) {
      if (this.stopped) return 'stopped';
      const module = verbModule(verb);
      let result: VerbResult;
      try {
        if (module.answersCall && this.call.info().status === 'ringing') await this.call.answer();
        if (this.stopped) return 'stopped';
        result = await module.run(verb, ctx);
      } catch (err) {
        if (!(err instanceof VerbFailure)) throw err;
        this.notify({ code: err.code, log: 0, message: `<${verb.verb}> at line ${verb.line}: ${err.message}`, requestUrl: document.url });
        await this.endCall(SETUP_FAILED);
        return 'failed';
      }
      if (result.next === 'end') return verb.verb === 'Reject' ? 'rejected' : 'hangup';
      if (result.next === 'fetch') return result;
      if (this.stopped) return 'stopped';
    }
    if (this.stopped) return 'stopped';
    await this.call.hangup();
    return 'hangup';
  }
}
