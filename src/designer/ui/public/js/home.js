/**
 * The account's designer applications (Applications whose RCML URL is a designer controller, as RVD's own
 * page lists them): create one, empty or from a template, open, rename, delete; and the numbers.
 */
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { Labelled } from './labelled.js';
import { designerSid } from './api.js';
import { NumbersPanel } from './numbers-panel.js';

const EMPTY = [
  { value: 'kind:voice', label: 'Empty voice application' },
  { value: 'kind:sms', label: 'Empty SMS application' },
  { value: 'kind:ussd', label: 'Empty USSD application' },
];

function CreateForm({ api, templates, onCreated }) {
  const [name, setName] = useState('');
  const [from, setFrom] = useState('kind:voice');
  const [status, setStatus] = useState({ text: '', error: false });
  const submit = async (ev) => {
    ev.preventDefault();
    const params = from.startsWith('kind:') ? { name: name.trim(), kind: from.slice(5) } : { template: from, ...(name.trim() ? { name: name.trim() } : {}) };
    if (from.startsWith('kind:') && params.name === '') {
      setStatus({ text: 'Give the application a name', error: true });
      return;
    }
    try {
      const created = await api.createProject(params);
      setName('');
      setStatus({ text: `Created ${created.name}`, error: false });
      onCreated(created);
    } catch (err) {
      setStatus({ text: `Not created: ${err.message}`, error: true });
    }
  };
  return html`
    <form class="inline create" aria-label="Create an application" onSubmit=${submit}>
      <${Labelled} label="Application name"><input type="text" value=${name} onInput=${(ev) => setName(ev.currentTarget.value)} /><//>
      <${Labelled} label="Start from">
        <select value=${from} onChange=${(ev) => setFrom(ev.currentTarget.value)}>
          ${EMPTY.map((o) => html`<option value=${o.value}>${o.label}</option>`)}
          ${templates.length > 0
            ? html`<optgroup label="Templates">${templates.map((t) => html`<option value=${t.id}>${t.name}${t.description ? ` — ${t.description}` : ''}</option>`)}</optgroup>`
            : null}
        </select>
      <//>
      <button type="submit" class="primary">Create</button>
      <span class=${status.error ? 'error' : 'status'} role="status">${status.text}</span>
    </form>`;
}

function AppRow({ api, app, onOpen, onChanged }) {
  const [renaming, setRenaming] = useState(false);
  const [newName, setNewName] = useState(app.friendly_name);
  const [status, setStatus] = useState({ text: '', error: false });
  const sid = designerSid(app);
  const rename = async (ev) => {
    ev.preventDefault();
    try {
      await api.renameProject(sid, newName.trim());
      setRenaming(false);
      await onChanged();
    } catch (err) {
      setStatus({ text: `Not renamed: ${err.message}`, error: true });
    }
  };
  const remove = async () => {
    if (!window.confirm(`Delete the application "${app.friendly_name}"? Its project, media and log are deleted too.`)) return;
    try {
      await api.deleteProject(sid);
      await onChanged();
    } catch (err) {
      setStatus({ text: `Not deleted: ${err.message}`, error: true });
    }
  };
  const numbers = (app.numbers ?? []).map((n) => n.phone_number).join(', ');
  return html`
    <tr aria-label=${app.friendly_name}>
      <td>
        ${renaming
          ? html`<form class="inline" onSubmit=${rename}>
              <input type="text" value=${newName} aria-label=${`New name for ${app.friendly_name}`} onInput=${(ev) => setNewName(ev.currentTarget.value)} />
              <button type="submit" class="small">Rename</button>
              <button type="button" class="small" onClick=${() => setRenaming(false)}>Cancel</button>
            </form>`
          : html`<button type="button" class="link" onClick=${() => onOpen(sid, app.friendly_name)}>${app.friendly_name}</button>`}
        <span class=${status.error ? 'error' : 'status'} role="status">${status.text}</span>
      </td>
      <td>${app.kind ?? ''}</td>
      <td>${numbers}</td>
      <td><code>${sid}</code></td>
      <td class="actions">
        <button type="button" class="small" onClick=${() => onOpen(sid, app.friendly_name)} aria-label=${`Open ${app.friendly_name}`}>Open</button>
        <button type="button" class="small" onClick=${() => setRenaming(true)} aria-label=${`Rename ${app.friendly_name}`}>Rename</button>
        <button type="button" class="small danger" onClick=${remove} aria-label=${`Delete ${app.friendly_name}`}>Delete</button>
      </td>
    </tr>`;
}

/** @param {{ api: object, onOpen: (sid: string, name: string) => void }} props */
export function Home({ api, onOpen }) {
  const [applications, setApplications] = useState(null);
  const [numbers, setNumbers] = useState([]);
  const [templates, setTemplates] = useState([]);
  const [error, setError] = useState('');
  const load = async () => {
    try {
      const [apps, nums] = await Promise.all([api.applications(), api.numbers()]);
      setApplications(apps);
      setNumbers(nums);
      setError('');
    } catch (err) {
      setApplications((old) => old ?? []);
      setError(`Could not list the applications: ${err.message}`);
    }
  };
  useEffect(() => {
    load();
    api.templates().then(setTemplates, () => setTemplates([]));
  }, []);
  if (applications === null) return html`<main><p class="hint">Loading applications…</p></main>`;
  const designed = applications.filter((a) => designerSid(a) !== null);
  return html`
    <main class="home">
      <section aria-label="Applications">
        <h2>Applications</h2>
        ${error ? html`<p class="error" role="alert">${error}</p>` : null}
        <${CreateForm} api=${api} templates=${templates} onCreated=${(created) => onOpen(created.sid, created.name)} />
        ${designed.length === 0
          ? html`<p class="hint">No designer applications yet.</p>`
          : html`<table class="apps">
              <thead><tr><th>Name</th><th>Kind</th><th>Numbers</th><th>Sid</th><th></th></tr></thead>
              <tbody>${designed.map((a) => html`<${AppRow} key=${a.sid + a.friendly_name} api=${api} app=${a} onOpen=${onOpen} onChanged=${load} />`)}</tbody>
            </table>`}
      </section>
      <${NumbersPanel} api=${api} numbers=${numbers} applications=${applications} onSaved=${load} />
    </main>`;
}
