/**
 * The editor of one designer application: the module graph, the selected module's steps, save (and the
 * validation report), and the tabs for media, parameters, settings and the log.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { html } from './html.js';
import { ApiError } from './api.js';
import { GraphView } from './graph-view.js';
import { LogPanel } from './log-panel.js';
import { MediaPanel } from './media-panel.js';
import { ModuleEditor } from './module-editor.js';
import { ParametersPanel } from './parameters-panel.js';
import { SettingsPanel } from './settings-panel.js';
import { kindTitle } from './step-kinds.js';
import { problems as readProblems } from './validation.js';
import { variablesOf } from './variables.js';

const TABS = ['Design', 'Media', 'Parameters', 'Settings', 'Log'];

/** Every step of the project, nested ones (Gather prompts, USSD messages) included. */
function* allSteps(state) {
  const walk = function* (steps) {
    for (const s of steps ?? []) {
      yield s;
      yield* walk(s.steps);
      yield* walk(s.messages);
    }
  };
  for (const n of state.nodes) yield* walk(n.steps);
}

const numberIn = (name, prefix) => (typeof name === 'string' && name.startsWith(prefix) ? Number(name.slice(prefix.length)) || 0 : 0);

/** `lastStepId` and `lastNodeId` raised past every name in use, as RVD's editor keeps them. */
function withCounters(state) {
  let lastStepId = state.lastStepId ?? 0;
  for (const s of allSteps(state)) lastStepId = Math.max(lastStepId, numberIn(s.name, 'step'));
  let lastNodeId = state.lastNodeId ?? 0;
  for (const n of state.nodes) lastNodeId = Math.max(lastNodeId, numberIn(n.name, 'module'));
  return { ...state, lastStepId, lastNodeId };
}

/** @param {{ api: object, sid: string, name: string, onBack: () => void }} props */
export function Editor({ api, sid, name, onBack }) {
  const [state, setState] = useState(null);
  const [loadError, setLoadError] = useState('');
  const [selected, setSelected] = useState(null);
  const [tab, setTab] = useState('Design');
  const [media, setMedia] = useState([]);
  const [parameters, setParameters] = useState([]);
  const [problems, setProblems] = useState([]);
  const [status, setStatus] = useState({ text: '', error: false });
  const [dirty, setDirty] = useState(false);

  const loadMedia = async () => {
    try {
      const files = await api.media(sid);
      setMedia((files ?? []).map((f) => f.filename));
    } catch (err) {
      setStatus({ text: `Could not list the media files: ${err.message}`, error: true });
    }
  };

  useEffect(() => {
    api.project(sid).then(
      (s) => {
        const loaded = withCounters(s);
        setState(loaded);
        setSelected(loaded.header.startNodeName ?? loaded.nodes[0]?.name ?? null);
      },
      (err) => setLoadError(err.message),
    );
    loadMedia();
    api.parameters(sid).then((r) => setParameters(r?.parameters ?? []), () => setParameters([]));
  }, [sid]);

  useEffect(() => {
    if (!dirty) return undefined;
    const warn = (ev) => ev.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const variables = useMemo(() => (state ? variablesOf(state, parameters) : []), [state, parameters]);

  if (loadError !== '') {
    return html`<main><p class="error" role="alert">Could not open ${name || sid}: ${loadError}</p><button type="button" onClick=${onBack}>Back to applications</button></main>`;
  }
  if (state === null) return html`<main><p class="hint">Opening ${name || sid}…</p></main>`;

  const update = (next) => {
    setState(withCounters(next));
    setDirty(true);
  };
  const moduleIndex = state.nodes.findIndex((n) => n.name === selected);
  const module = moduleIndex >= 0 ? state.nodes[moduleIndex] : null;
  const invalid = new Set(problems.map((p) => p.module).filter((m) => m !== null));

  const ctx = {
    modules: state.nodes.map((n) => ({ name: n.name, label: n.label })),
    media,
    variables,
    nameStep: () => `step${state.lastStepId + 1}`,
    errors: problems.map((p) => ({ path: p.path, message: p.message })),
  };

  const addModule = () => {
    const id = state.lastNodeId + 1;
    const node = { name: `module${id}`, label: `module${id}`, kind: state.header.projectKind, steps: [] };
    update({ ...state, nodes: [...state.nodes, node], lastNodeId: id });
    setSelected(node.name);
  };
  const deleteModule = () => {
    if (!module || !window.confirm(`Delete the module "${module.label}" and its ${module.steps.length} steps?`)) return;
    update({ ...state, nodes: state.nodes.filter((n) => n.name !== module.name) });
    setSelected(state.header.startNodeName);
  };

  const save = async () => {
    setStatus({ text: 'Saving…', error: false });
    let reply;
    try {
      reply = await api.saveProject(sid, state);
    } catch (err) {
      // A refused save may carry the validation report with a 4xx status.
      const body = err instanceof ApiError ? err.body : '';
      let parsed = null;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = null;
      }
      if (parsed?.rvdStatus !== 'INVALID') {
        setStatus({ text: `Not saved: ${err.message}`, error: true });
        return;
      }
      reply = parsed;
    }
    if (reply?.rvdStatus === 'INVALID') {
      const found = readProblems(reply, state);
      setProblems(found);
      setStatus({ text: `Not saved: the project has ${found.length} problem${found.length === 1 ? '' : 's'}`, error: true });
      return;
    }
    if (reply?.rvdStatus === 'ERROR' || reply?.rvdStatus === 'NOT_FOUND') {
      setStatus({ text: `Not saved: ${reply.exception?.message ?? reply.rvdStatus}`, error: true });
      return;
    }
    try {
      await api.buildProject(sid);
    } catch (err) {
      setStatus({ text: `Saved, but calls do not run it yet: ${err.message}`, error: true });
      return;
    }
    setProblems([]);
    setDirty(false);
    setStatus({ text: 'Saved', error: false });
  };

  return html`
    <main class="editor">
      <header class="editor-head">
        <button type="button" class="link" onClick=${onBack}>← Applications</button>
        <h1>${name || sid}</h1>
        <span class="badge">${state.header.projectKind}</span>
        <code class="hint">${sid}</code>
        <span class="spacer"></span>
        <span class=${status.error ? 'error' : 'status'} role="status" aria-live="polite">${status.text}${dirty && status.text === '' ? 'Unsaved changes' : ''}</span>
        <button type="button" class="primary" onClick=${save}>Save</button>
      </header>
      ${problems.length > 0
        ? html`<section class="report" aria-label="Validation problems">
            <h2 role="alert">The project does not validate</h2>
            <ul>
              ${problems.map((p) => html`<li>
                ${p.module
                  ? html`<button type="button" class="link" onClick=${() => { setTab('Design'); setSelected(p.module); }}>
                      Module "${p.moduleLabel}"${p.stepIndex !== null ? `, step ${p.stepIndex + 1} (${kindTitle(p.stepKind ?? '?')}, ${p.stepName})` : ''}${p.field ? `, field ${p.field}` : ''}
                    </button>: `
                  : html`<code>${p.path || 'project'}</code>: `}
                ${p.message}
              </li>`)}
            </ul>
          </section>`
        : null}
      <nav class="tabs" role="tablist" aria-label="Editor sections">
        ${TABS.map((t) => html`<button type="button" role="tab" aria-selected=${tab === t ? 'true' : 'false'} onClick=${() => setTab(t)}>${t}</button>`)}
      </nav>
      <div role="tabpanel" aria-label=${tab}>
        ${tab === 'Design'
          ? html`
            <div class="design">
              <div class="graph-pane">
                <div class="toolbar">
                  <h2>Modules</h2>
                  <button type="button" onClick=${addModule}>Add module</button>
                </div>
                <${GraphView} state=${state} selected=${selected} onSelect=${setSelected} invalid=${invalid} />
              </div>
              <div class="module-pane">
                ${module
                  ? html`<${ModuleEditor} state=${state} module=${module} moduleIndex=${moduleIndex} ctx=${ctx} problems=${problems}
                      onChange=${(m) => update({ ...state, nodes: state.nodes.map((n) => (n.name === m.name ? m : n)) })}
                      onStart=${() => update({ ...state, header: { ...state.header, startNodeName: module.name } })}
                      onDelete=${deleteModule} />`
                  : html`<p class="hint">Choose a module in the graph.</p>`}
              </div>
            </div>`
          : null}
        ${tab === 'Media' ? html`<${MediaPanel} api=${api} sid=${sid} files=${media} onChanged=${loadMedia} />` : null}
        ${tab === 'Parameters' ? html`<${ParametersPanel} api=${api} sid=${sid} onSaved=${setParameters} />` : null}
        ${tab === 'Settings' ? html`<${SettingsPanel} api=${api} sid=${sid} />` : null}
        ${tab === 'Log' ? html`<${LogPanel} api=${api} sid=${sid} />` : null}
      </div>
    </main>`;
}
