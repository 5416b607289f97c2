import type { ControllerResult } from '../../src/designer/runtime/contract.js';
import { runController } from '../../src/designer/runtime/controller.js';
import type { ProjectParameter, ProjectSettings, ProjectState, Step } from '../../src/designer/project/state.js';
import { upgradeProject } from '../../src/designer/project/validate.js';

export const CONTROLLER_URL = 'http://127.0.0.1:8080/visual-designer/services/apps/AP0123456789abcdef0123456789abcdef/controller';

/** A voice project (or `kind`) whose modules are `[name, label, steps]`; the first is the start module. */
export function project(modules: readonly (readonly [string, string, readonly Record<string, unknown>[]])[], kind: 'voice' | 'sms' | 'ussd' = 'voice'): ProjectState {
  let n = 0;
  const named = (s: Record<string, unknown>): Step => ({ label: String(s.kind), title: String(s.kind), name: `step${++n}`, kind: String(s.kind), ...s });
  return upgradeProject({
    header: { projectKind: kind, startNodeName: modules[0]?.[0] ?? 'start', version: '1.15', owner: null },
    nodes: modules.map(([name, label, steps]) => ({ name, label, kind, steps: steps.map(named) })),
    lastStepId: n,
    lastNodeId: modules.length - 1,
  });
}

export interface Run extends ControllerResult {
  /** `TAG,TAG|payload` per application log line. */
  readonly log: readonly string[];
}

export interface RunOptions {
  readonly parameters?: readonly ProjectParameter[];
  readonly settings?: ProjectSettings;
  readonly timeoutMs?: number;
  readonly controllerUrl?: string;
}

/** One controller request with these parameters (query and form merged). */
export async function run(state: ProjectState, params: Record<string, string> = {}, opts: RunOptions = {}): Promise<Run> {
  const log: string[] = [];
  const result = await runController(
    {
      projectSid: 'AP0123456789abcdef0123456789abcdef',
      accountSid: 'ACae6e420f425248d6a26948c17a9e2acf',
      state,
      parameters: opts.parameters ?? [],
      settings: opts.settings ?? { logging: true, loggingRCML: false },
      params,
      controllerUrl: opts.controllerUrl ?? CONTROLLER_URL,
      mediaUrl: (file) => `http://127.0.0.1:8080/visual-designer/services/projects/AP0123456789abcdef0123456789abcdef/wavs/${encodeURIComponent(file)}`,
      log: { write: (tags, payload, o) => log.push(`${tags.join(',')}|${o?.raw ? 'raw:' : ''}${payload}`) },
    },
    { externalServiceTimeoutMs: opts.timeoutMs ?? 5000 },
  );
  return { ...result, log };
}

/** The query of the first `action`/`url` attribute, or of the text, found in the RCML that matches `attribute`. */
export function actionQuery(rcml: string, attribute = 'action'): URLSearchParams {
  const m = new RegExp(`${attribute}="controller\\?([^"]*)"`).exec(rcml);
  if (!m) throw new Error(`no ${attribute} in ${rcml}`);
  return new URLSearchParams(m[1]!.replaceAll('&amp;', '&'));
}

/** The body of a `<Response>` with the given lines, two-space indented as the runtime writes it. */
export function doc(...lines: string[]): string {
  return lines.length === 0 ? '<Response/>' : ['<Response>', ...lines.map((l) => `  ${l}`), '</Response>'].join('\n');
}

export const FALLBACK = doc('<Say>Sorry, this application has a problem. Goodbye.</Say>', '<Hangup/>');
