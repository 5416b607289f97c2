import type { Logger } from '../log.js';
import type { CallControl } from '../rcml/call-control.js';
import { RcmlInterpreter } from '../rcml/interpreter.js';
import { resolveAppTarget, type AppFetchPolicy } from './app-url.js';
import type { AppTarget } from './call-registry.js';

/** What a call is doing: an RCML application, or a built-in task (the Dial-client system app, a transfer's re-bridge). */
export type Activity =
  | { readonly kind: 'app'; readonly app: AppTarget; readonly extraParameters?: Readonly<Record<string, string>> }
  | { readonly kind: 'task'; readonly run: (signal: AbortSignal) => Promise<void> };

/**
 * A call's one app session: runs one activity at a time. `redirect` replaces the current activity
 * without hanging up the call (live call modification, transfer); the session ends when an activity
 * ends on its own with nothing queued after it, or when the call ends.
 */
export class AppSession {
  private pending: { readonly activity: Activity; readonly settle: () => void } | null = null;
  private stopCurrent: () => void = () => undefined;
  private loop: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly control: CallControl,
    private readonly instanceId: string,
    private readonly log: Logger,
    private readonly fetchPolicy: AppFetchPolicy,
  ) {}

  /**
   * Stops the current activity (an interpreter stops without fetching its next document; a Dial in it
   * ends) and runs `activity` on the same call. Resolves when that activity has ended (at once if the
   * session is over).
   */
  redirect(activity: Activity): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.pending?.settle();
    const ended = new Promise<void>((settle) => {
      this.pending = { activity, settle };
    });
    this.stopCurrent();
    this.loop ??= this.runAll();
    return ended;
  }

  /** Resolves once the session is over. */
  get done(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  get running(): boolean {
    return this.loop !== null && !this.closed;
  }

  private close(): void {
    this.closed = true;
    this.stopCurrent();
  }

  private async runAll(): Promise<void> {
    const off = this.control.onHangup(() => this.close());
    try {
      while (this.pending !== null && !this.closed) {
        const { activity, settle } = this.pending;
        this.pending = null;
        try {
          await this.execute(activity);
        } catch (err) {
          this.log.error({ err }, 'call activity failed');
        } finally {
          settle();
        }
      }
    } finally {
      off();
      this.closed = true;
      this.pending?.settle();
      this.pending = null;
    }
  }

  private async execute(activity: Activity): Promise<void> {
    if (activity.kind === 'app') {
      const app = resolveAppTarget(activity.app, this.fetchPolicy.selfOrigin);
      const { headersFor } = this.fetchPolicy;
      const interpreter = new RcmlInterpreter({
        call: this.control, url: app.url, method: app.method, fallback: app.fallback, instanceId: this.instanceId, log: this.log,
        ...(activity.extraParameters === undefined ? {} : { extraParameters: activity.extraParameters }),
        ...(headersFor === undefined ? {} : { fetch: { headersFor } }),
      });
      this.stopCurrent = () => interpreter.stop();
      await interpreter.run();
    } else {
      const abort = new AbortController();
      this.stopCurrent = () => abort.abort();
      await activity.run(abort.signal);
    }
    this.stopCurrent = () => undefined;
  }
}
