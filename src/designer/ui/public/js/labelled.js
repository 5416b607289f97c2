/**
 * A form control with its visible label tied by `for`/`id`, so its accessible name is exactly the label
 * (a control nested in its label would also be named by its own value or selected option).
 */
import { cloneElement, toChildArray } from 'preact';
import { useId } from 'preact/hooks';
import { html } from './html.js';

/** @param {{ label: string, class?: string, children: unknown, after?: unknown }} props */
export function Labelled({ label, class: className = 'field', children, after = null }) {
  const id = useId();
  const [control] = toChildArray(children);
  return html`<div class=${className}><label for=${id}>${label}</label>${cloneElement(control, { id })}${after}</div>`;
}
