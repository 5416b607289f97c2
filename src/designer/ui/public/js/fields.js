/**
 * The form of a step, built from its kind's field list (`step-kinds.js`). Every control has its `<label>`,
 * so it is named for assistive technology (and for the tests). A field the last save reported
 * is marked `aria-invalid` with the report's message under it.
 */
import { useRef } from 'preact/hooks';
import { html } from './html.js';
import { Labelled } from './labelled.js';
import { getIn, setIn } from './paths.js';
import { STEP_KINDS, kindTitle, newStep } from './step-kinds.js';

/**
 * @typedef {{
 *   modules: Array<{ name: string, label: string }>,
 *   media: string[],
 *   variables: string[],
 *   nameStep: () => string,
 *   errors: Array<{ path: string, message: string }>,
 * }} FormContext
 */

const pointer = (base, key) => `${base}/${key.split('.').join('/')}`;

function FieldError({ ctx, at }) {
  const mine = ctx.errors.filter((e) => e.path === at);
  return mine.map((e) => html`<span class="field-error">${e.message}</span>`);
}

/** A select that inserts `$name` at the caret of the field next to it. */
function VariablePicker({ label, target, value, onChange, variables }) {
  return html`
    <select class="picker" aria-label=${`Insert a variable into ${label}`} value=""
      onChange=${(ev) => {
        const name = ev.currentTarget.value;
        ev.currentTarget.value = '';
        if (name === '') return;
        const input = target.current;
        const text = value ?? '';
        const at = input && typeof input.selectionStart === 'number' ? input.selectionStart : text.length;
        const end = input && typeof input.selectionEnd === 'number' ? input.selectionEnd : at;
        onChange(text.slice(0, at) + '$' + name + text.slice(end));
      }}>
      <option value="">$…</option>
      ${variables.map((v) => html`<option value=${v}>$${v}</option>`)}
    </select>`;
}

function TextField({ field, value, set, ctx, at }) {
  const ref = useRef(null);
  const invalid = ctx.errors.some((e) => e.path === at);
  const props = {
    ref,
    value: value ?? '',
    placeholder: field.placeholder ?? '',
    'aria-invalid': invalid ? 'true' : undefined,
    onInput: (ev) => set(ev.currentTarget.value),
  };
  return html`
    <${Labelled} label=${field.label} class=${'field' + (field.type === 'textarea' || field.wide ? ' wide' : '')} after=${html`
      ${field.expands ? html`<${VariablePicker} label=${field.label} target=${ref} value=${value} onChange=${set} variables=${ctx.variables} />` : null}
      <${FieldError} ctx=${ctx} at=${at} />`}>
      ${field.type === 'textarea' ? html`<textarea rows="2" ...${props}></textarea>` : html`<input type="text" ...${props} />`}
    <//>`;
}

function NumberField({ field, value, set, ctx, at }) {
  return html`
    <${Labelled} label=${field.label} class="field narrow" after=${html`<${FieldError} ctx=${ctx} at=${at} />`}>
      <input type="number" value=${value ?? ''} aria-invalid=${ctx.errors.some((e) => e.path === at) ? 'true' : undefined}
        onInput=${(ev) => {
          const t = ev.currentTarget.value;
          set(t === '' ? undefined : Number(t));
        }} />
    <//>`;
}

function BoolField({ field, value, set, ctx, at }) {
  return html`
    <div class="field check">
      <label><input type="checkbox" checked=${value === true} onChange=${(ev) => set(ev.currentTarget.checked)} /> <span>${field.label}</span></label>
      <${FieldError} ctx=${ctx} at=${at} />
    </div>`;
}

function SelectField({ field, value, set, ctx, at, options }) {
  const current = value ?? '';
  const known = options.some((o) => o.value === current);
  return html`
    <${Labelled} label=${field.label} after=${html`<${FieldError} ctx=${ctx} at=${at} />`}>
      <select value=${current} aria-invalid=${ctx.errors.some((e) => e.path === at) ? 'true' : undefined}
        onChange=${(ev) => set(ev.currentTarget.value === '' ? undefined : ev.currentTarget.value)}>
        ${known ? null : html`<option value=${current}>${current === '' ? '— choose —' : `${current} (not found)`}</option>`}
        ${options.map((o) => html`<option value=${o.value}>${o.label}</option>`)}
      </select>
    <//>`;
}

function ListField({ field, value, set, ctx, at }) {
  const items = Array.isArray(value) ? value : [];
  const put = (i, item) => set(items.map((x, j) => (j === i ? (field.normalize ? field.normalize(item) : item) : x)));
  const move = (i, d) => {
    const copy = items.slice();
    [copy[i], copy[i + d]] = [copy[i + d], copy[i]];
    set(copy);
  };
  return html`
    <fieldset class="list">
      <legend>${field.label}</legend>
      ${items.map((item, i) => html`
        <div class="list-item" role="group" aria-label=${`${field.label} ${i + 1}`}>
          <${Fields} fields=${field.item} value=${item} onChange=${(v) => put(i, v)} ctx=${ctx} at=${`${at}/${i}`} />
          <div class="item-tools">
            <button type="button" class="small" disabled=${i === 0} onClick=${() => move(i, -1)} aria-label=${`Move ${field.label} ${i + 1} up`}>↑</button>
            <button type="button" class="small" disabled=${i === items.length - 1} onClick=${() => move(i, 1)} aria-label=${`Move ${field.label} ${i + 1} down`}>↓</button>
            <button type="button" class="small danger" onClick=${() => set(items.filter((_, j) => j !== i))} aria-label=${`Remove ${field.label} ${i + 1}`}>✕</button>
          </div>
        </div>`)}
      <${FieldError} ctx=${ctx} at=${at} />
      <button type="button" class="small" onClick=${() => set([...items, field.newItem(items)])}>${field.add}</button>
    </fieldset>`;
}

function StepsField({ field, value, set, ctx, at }) {
  const steps = Array.isArray(value) ? value : [];
  const chooser = useRef(null);
  return html`
    <fieldset class="list">
      <legend>${field.label}</legend>
      ${steps.map((step, i) => html`
        <div class="list-item" role="group" aria-label=${`${field.label} ${i + 1}: ${kindTitle(step.kind)}`}>
          <${Fields} fields=${STEP_KINDS[step.kind]?.fields ?? []} value=${step} ctx=${ctx} at=${`${at}/${i}`}
            onChange=${(v) => set(steps.map((x, j) => (j === i ? v : x)))} />
          <div class="item-tools">
            <button type="button" class="small danger" onClick=${() => set(steps.filter((_, j) => j !== i))} aria-label=${`Remove ${field.label} ${i + 1}`}>✕</button>
          </div>
        </div>`)}
      <div class="add-row">
        <${Labelled} label=${`Kind (${field.label})`} class="field narrow">
          <select ref=${chooser}>
            ${field.kinds.map((k) => html`<option value=${k}>${kindTitle(k)}</option>`)}
          </select>
        <//>
        <button type="button" class="small" onClick=${() => set([...steps, newStep(chooser.current.value, ctx.nameStep())])}>Add to ${field.label}</button>
      </div>
    </fieldset>`;
}

function VariantField({ field, value, set, ctx, at }) {
  const keys = Object.keys(field.variants);
  const chosen = keys.find((k) => value?.[k] !== undefined && value?.[k] !== null) ?? keys[0];
  const variant = field.variants[chosen];
  return html`
    <div class="variant">
      <${Labelled} label=${field.label}>
        <select value=${chosen} onChange=${(ev) => set({ [ev.currentTarget.value]: field.variants[ev.currentTarget.value].fresh() })}>
          ${keys.map((k) => html`<option value=${k}>${field.variants[k].label}</option>`)}
        </select>
      <//>
      <${Fields} fields=${variant.fields} value=${value?.[chosen] ?? {}} ctx=${ctx} at=${`${at}/${chosen}`}
        onChange=${(v) => set({ ...value, [chosen]: v })} />
    </div>`;
}

const moduleOptions = (ctx) => [{ value: '', label: '— none —' }, ...ctx.modules.map((m) => ({ value: m.name, label: `${m.label} (${m.name})` }))];
const mediaOptions = (ctx) => [{ value: '', label: '— choose a file —' }, ...ctx.media.map((f) => ({ value: f, label: f }))];

/**
 * @param {{ fields: object[], value: object, onChange: (v: object) => void, ctx: FormContext, at: string }} props
 */
export function Fields({ fields, value, onChange, ctx, at }) {
  return html`<div class="fields">
    ${fields.map((field) => {
      if (field.when && !field.when(value ?? {})) return null;
      if (field.type === 'variant') return html`<${VariantField} field=${field} value=${value} set=${onChange} ctx=${ctx} at=${at} />`;
      const fieldAt = pointer(at, field.key);
      const props = { field, value: getIn(value, field.key), set: (v) => onChange(setIn(value, field.key, v)), ctx, at: fieldAt };
      switch (field.type) {
        case 'text':
        case 'textarea':
          return html`<${TextField} ...${props} />`;
        case 'number':
          return html`<${NumberField} ...${props} />`;
        case 'bool':
          return html`<${BoolField} ...${props} />`;
        case 'select':
          return html`<${SelectField} ...${props} options=${field.options} />`;
        case 'module':
          return html`<${SelectField} ...${props} options=${moduleOptions(ctx)} />`;
        case 'media':
          return html`<${SelectField} ...${props} options=${mediaOptions(ctx)} />`;
        case 'list':
          return html`<${ListField} ...${props} />`;
        case 'steps':
          return html`<${StepsField} ...${props} />`;
        default:
          return null;
      }
    })}
  </div>`;
}
