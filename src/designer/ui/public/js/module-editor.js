/**
 * One module of the project: its label, whether calls start there, and its steps, each a region with the
 * form of its kind, to reorder, remove or add. Problems of the last save are shown on their step.
 */
import { useRef } from 'preact/hooks';
import { html } from './html.js';
import { Labelled } from './labelled.js';
import { Fields } from './fields.js';
import { KINDS_BY_PROJECT, STEP_KINDS, kindTitle, newStep } from './step-kinds.js';

/**
 * @param {{ state: object, module: object, moduleIndex: number, ctx: object, problems: object[],
 *   onChange: (module: object) => void, onStart: () => void, onDelete: () => void }} props
 */
export function ModuleEditor({ state, module, moduleIndex, ctx, problems, onChange, onStart, onDelete }) {
  const chooser = useRef(null);
  const kinds = KINDS_BY_PROJECT[state.header.projectKind] ?? KINDS_BY_PROJECT.voice;
  const isStart = state.header.startNodeName === module.name;
  const setSteps = (steps) => onChange({ ...module, steps });
  const move = (i, d) => {
    const steps = module.steps.slice();
    [steps[i], steps[i + d]] = [steps[i + d], steps[i]];
    setSteps(steps);
  };
  const moduleProblems = problems.filter((p) => p.module === module.name && p.stepIndex === null);
  return html`
    <section class="module-editor" aria-label=${`Module ${module.label}`}>
      <div class="module-head">
        <${Labelled} label="Module label">
          <input type="text" value=${module.label} onInput=${(ev) => onChange({ ...module, label: ev.currentTarget.value })} />
        <//>
        <span class="hint">name <code>${module.name}</code></span>
        ${isStart
          ? html`<span class="badge">calls start here</span>`
          : html`<button type="button" onClick=${onStart}>Start calls here</button>`}
        <button type="button" class="danger" disabled=${isStart} onClick=${onDelete}
          title=${isStart ? 'The start module cannot be deleted' : ''}>Delete module</button>
      </div>
      ${moduleProblems.map((p) => html`<p class="problem" role="alert">${p.message}</p>`)}
      ${module.steps.length === 0 ? html`<p class="hint">This module has no steps yet.</p>` : null}
      ${module.steps.map((step, i) => {
        const at = `/nodes/${moduleIndex}/steps/${i}`;
        const mine = problems.filter((p) => p.module === module.name && p.stepIndex === i);
        const known = STEP_KINDS[step.kind] !== undefined;
        return html`
          <section class=${'step' + (mine.length > 0 ? ' invalid' : '')} aria-label=${`Step ${i + 1}: ${kindTitle(step.kind)}`} key=${step.name}>
            <header>
              <h4>${i + 1}. ${kindTitle(step.kind)} <span class="hint">${step.name}</span></h4>
              <div class="item-tools">
                <button type="button" class="small" disabled=${i === 0} onClick=${() => move(i, -1)} aria-label=${`Move step ${i + 1} up`}>↑</button>
                <button type="button" class="small" disabled=${i === module.steps.length - 1} onClick=${() => move(i, 1)} aria-label=${`Move step ${i + 1} down`}>↓</button>
                <button type="button" class="small danger" onClick=${() => setSteps(module.steps.filter((_, j) => j !== i))} aria-label=${`Remove step ${i + 1}`}>Remove</button>
              </div>
            </header>
            ${mine.length > 0
              ? html`<ul class="problems" role="alert">${mine.map((p) => html`<li>${p.field ? html`<code>${p.field}</code>: ` : null}${p.message}</li>`)}</ul>`
              : null}
            ${known
              ? html`<${Fields} fields=${STEP_KINDS[step.kind].fields} value=${step} ctx=${ctx} at=${at}
                  onChange=${(v) => setSteps(module.steps.map((x, j) => (j === i ? v : x)))} />`
              : html`<p class="hint">This editor has no form for steps of kind "${step.kind}"; the step is kept as it is.</p>`}
          </section>`;
      })}
      <div class="add-row">
        <${Labelled} label="New step" class="field narrow">
          <select ref=${chooser}>
            ${kinds.map((k) => html`<option value=${k}>${kindTitle(k)}</option>`)}
          </select>
        <//>
        <button type="button" onClick=${() => setSteps([...module.steps, newStep(chooser.current.value, ctx.nameStep())])}>Add step</button>
      </div>
    </section>`;
}
