/**
 * What the designer's HTTP side (routes, storage, application log) and its runtime (the controller that
 * turns a project into RCML) promise each other. The routes load the project and hand it over with the
 * request; the runtime renders, writes to the log, and reports a failure instead of throwing.
 */
import type { ProjectParameter, ProjectSettings, ProjectState } from '../project/state.js';

/** The project's `rvdapp.log`; lines are written only when the project's settings turn logging on. */
export interface AppLog {
  /** One line: `[date] [TAG] ... payload`; the payload JSON-quoted as RVD does unless `raw` (RCML bodies). */
  write(tags: readonly string[], payload: string, options?: { readonly raw?: boolean }): void;
}

export interface ControllerRequest {
  /** The project's (and its Application's) sid, `AP` + 32 hex. */
  readonly projectSid: string;
  readonly accountSid: string;
  readonly state: ProjectState;
  readonly parameters: readonly ProjectParameter[];
  readonly settings: ProjectSettings;
  /** The request's query and form body merged (the body wins): `target`, `sticky_*`, `module_*`, the call's parameters. */
  readonly params: Readonly<Record<string, string>>;
  /** This controller's absolute URL: relative action URLs are built on it, an External Service URL without host is completed from it. */
  readonly controllerUrl: string;
  /** The absolute URL a Play step of a local media file plays. */
  mediaUrl(file: string): string;
  readonly log: AppLog;
}

/** A run-time failure: written to the application log, recorded as a Notification by the routes. */
export interface ControllerFailure {
  readonly code: number;
  readonly message: string;
}

export interface ControllerResult {
  /** Always a document the call can run: on a failure, the fallback the runtime chose (never silence). */
  readonly rcml: string;
  readonly failure: ControllerFailure | null;
}

export interface RuntimeDeps {
  /** Cap on an External Service request (RVD `externalServiceTimeout`, default 5000 ms). */
  readonly externalServiceTimeoutMs: number;
}

export type RunController = (request: ControllerRequest, deps: RuntimeDeps) => Promise<ControllerResult>;
