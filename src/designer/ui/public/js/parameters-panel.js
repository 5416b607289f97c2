/** Application parameters: variables every request of the project sees, overriding request variables. */
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { Labelled } from './labelled.js';

/** @param {{ api: object, sid: string, onSaved: (parameters: object[]) => void }} props */
export function ParametersPanel({ api, sid, onSaved }) {
  const [rows, setRows] = useState(null);
  const [status, setStatus] = useState({ text: '', error: false });
  useEffect(() => {
    api.parameters(sid).then(
      (r) => setRows(r?.parameters ?? []),
      (err) => {
        setRows([]);
        setStatus({ text: `Could not load the parameters: ${err.message}`, error: true });
      },
    );
  }, [sid]);
  if (rows === null) return html`<p class="hint">Loading parameters…</p>`;
  const put = (i, key, value) => setRows(rows.map((r, j) => (j === i ? { ...r, [key]: value } : r)));
  const save = async (ev) => {
    ev.preventDefault();
    try {
      const reply = await api.saveParameters(sid, rows.filter((r) => r.name.trim() !== ''));
      const stored = reply?.parameters ?? rows;
      setRows(stored);
      onSaved(stored);
      setStatus({ text: 'Parameters saved', error: false });
    } catch (err) {
      setStatus({ text: `Could not save the parameters: ${err.message}`, error: true });
    }
  };
  return html`
    <section aria-label="Application parameters">
      <h2>Parameters</h2>
      <p class="hint">Each parameter is the variable <code>$name</code> in every step; it wins over a request parameter of the same name.</p>
      <form onSubmit=${save}>
        ${rows.map((r, i) => html`
          <div class="list-item" role="group" aria-label=${`Parameter ${i + 1}`}>
            <div class="fields">
              <${Labelled} label="Parameter name"><input type="text" value=${r.name} onInput=${(ev) => put(i, 'name', ev.currentTarget.value)} /><//>
              <${Labelled} label="Parameter value"><input type="text" value=${r.value ?? ''} onInput=${(ev) => put(i, 'value', ev.currentTarget.value)} /><//>
              <${Labelled} label="Description" class="field wide"><input type="text" value=${r.description ?? ''} onInput=${(ev) => put(i, 'description', ev.currentTarget.value)} /><//>
            </div>
            <div class="item-tools"><button type="button" class="small danger" onClick=${() => setRows(rows.filter((_, j) => j !== i))} aria-label=${`Remove parameter ${i + 1}`}>✕</button></div>
          </div>`)}
        <button type="button" class="small" onClick=${() => setRows([...rows, { name: '', value: '', description: '' }])}>Add parameter</button>
        <button type="submit">Save parameters</button>
      </form>
      <p class=${status.error ? 'error' : 'status'} role="status">${status.text}</p>
    </section>`;
}
