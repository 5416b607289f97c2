/**
 * One controller request (RVD `Interpreter.interpret`): a target without action renders its module from
 * its step (the first by default), each step processed then rendered; a processed step may reroute to
 * another module, whose RCML follows in the same document. A target with an action runs that step's
 * action handler, which names what to render next. Moving to another module drops `module_*` variables.
 */
import { isRecord } from '../project/json.js';
import type { ProjectNode, Step } from '../project/state.js';
import { FAILURE, StepFailure } from '../project/steps/failure.js';
import { stepKind } from '../project/steps/index.js';
import type { RcmlElement } from '../project/steps/rcml-element.js';
import type { HttpCall, HttpOutcome, StepKind, StepRuntime } from '../project/steps/types.js';
import type { ControllerRequest, RuntimeDeps } from './contract.js';
import { parseTarget, type Target } from './target.js';
import type { Variables } from './variables.js';

/** Targets interpreted in one request (reroutes, action continuations, re-prompts) before it is taken for a loop. */
export const MAX_TARGETS = 20;

export interface InterpreterIo {
  http(call: HttpCall): Promise<HttpOutcome>;
  /** A line of the application log; the caller decides whether logging is on. */
  log(tags: readonly string[], payload: string): void;
}

export class Interpreter {
  private rendered: RcmlElement[] = [];
  private targets = 0;
  private readonly attempts = new Map<string, number>();
  private readonly controllerUrl: URL;
  /** The last segment of the controller's path: RVD's relative action URLs start with it (`controller?target=`). */
  private readonly actionBase: string;

  constructor(
    private readonly request: ControllerRequest,
    private readonly deps: RuntimeDeps,
    private readonly vars: Variables,
    private readonly io: InterpreterIo,
  ) {
    this.controllerUrl = new URL(request.controllerUrl);
    this.actionBase = this.controllerUrl.pathname.split('/').pop() || 'controller';
  }

  /** The document's elements, or null for an empty answer (a partial speech result). */
  async run(target: string): Promise<readonly RcmlElement[] | null> {
    return (await this.interpret(target, null, undefined)) === 'empty' ? null : this.rendered;
  }

  private module(name: string): ProjectNode {
    const node = this.request.state.nodes.find((n) => n.name === name);
    if (node === undefined) throw new StepFailure(FAILURE.missingModule, `The target names the module ${name}, which does not exist`);
    return node;
  }

  private kindOf(step: Step): StepKind {
    const kind = stepKind(step.kind);
    if (kind === undefined) throw new StepFailure(FAILURE.unknownStepKind, `Step ${step.name} is of the unknown kind ${step.kind}`);
    return kind;
  }

  private async interpret(text: string, origin: Target | null, prepend: unknown): Promise<'empty' | 'done'> {
    this.targets += 1;
    if (this.targets > MAX_TARGETS) throw new StepFailure(FAILURE.rerouteLoop, `More than ${MAX_TARGETS} module switches in one request (last target ${text}): steps route to each other`);
    this.io.log([], `Running target: ${text}`);
    const target = parseTarget(text);
    if (origin !== null && origin.module !== target.module) this.vars.clearModule();
    const node = this.module(target.module);
    const rt = this.runtime(node.name);

    if (target.action !== null) {
      const step = node.steps.find((s) => s.name === target.step);
      if (step === undefined) throw new StepFailure(FAILURE.missingStep, `The target ${text} names a step its module does not have`);
      const kind = this.kindOf(step);
      if (kind.handleAction === undefined) throw new StepFailure(FAILURE.missingStep, `The target ${text} names a ${kind.title} step, which takes no action`);
      const outcome = kind.handleAction(step, target.action, rt);
      if (outcome.kind === 'empty') return 'empty';
      if (outcome.attempt !== undefined) this.attempts.set(step.name, outcome.attempt);
      this.rendered = [];
      return this.interpret(outcome.target, target, outcome.prepend);
    }

    const from = target.step === null ? 0 : node.steps.findIndex((s) => s.name === target.step);
    if (from < 0) throw new StepFailure(FAILURE.missingStep, `The target ${text} names a step its module does not have`);
    if (prepend !== undefined) {
      const first = rt.render(prepend);
      if (first !== null) this.rendered.push(first);
    }
    for (const step of node.steps.slice(from)) {
      const kind = this.kindOf(step);
      const reroute = kind.process === undefined ? null : await kind.process(step, rt);
      if (reroute !== null) return this.interpret(reroute, target, undefined);
      const el = kind.render?.(step, rt) ?? null;
      if (el !== null) this.rendered.push(el);
    }
    return 'done';
  }

  /** `controller?target=…&<extra>&<sticky_ and module_ variables>`, form-encoded as RVD's `buildAction`. */
  private action(pairs: readonly [string, string][]): string {
    return `${this.actionBase}?${new URLSearchParams([...pairs, ...this.vars.carried()]).toString()}`;
  }

  private runtime(module: string): StepRuntime {
    const { request, vars } = this;
    return {
      module,
      expand: (text) => (text === undefined ? undefined : vars.expand(text)),
      actionUrl: (step, action, extra) => this.action([['target', `${module}.${step}.${action}`], ...Object.entries(extra ?? {})]),
      targetUrl: (target) => this.action([['target', target]]),
      absoluteUrl: (url) => new URL(url, this.controllerUrl).toString(),
      mediaUrl: (file) => request.mediaUrl(file),
      origin: this.controllerUrl.origin,
      param: (name) => (Object.hasOwn(request.params, name) ? request.params[name] : undefined),
      variable: (name) => vars.get(name),
      setVariable: (name, value, scope) => vars.put(name, value, scope),
      moduleByLabel: (label) => request.state.nodes.find((n) => n.label === label)?.name,
      gatherAttempt: (step) => this.attempts.get(step) ?? 1,
      render: (nested) => {
        if (!isRecord(nested) || typeof nested.kind !== 'string') return null;
        const step: Step = { ...nested, kind: nested.kind, name: typeof nested.name === 'string' ? nested.name : '' };
        return stepKind(step.kind)?.render?.(step, this.runtime(module)) ?? null;
      },
      log: (tags, payload) => this.io.log(tags, payload),
      http: (call) => this.io.http(call),
      externalServiceTimeoutMs: this.deps.externalServiceTimeoutMs,
    };
  }
}
