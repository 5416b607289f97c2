/** The project's settings: whether calls write the application log, and whether it includes the RCML. */
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';

/** @param {{ api: object, sid: string }} props */
export function SettingsPanel({ api, sid }) {
  const [settings, setSettings] = useState(null);
  const [status, setStatus] = useState({ text: '', error: false });
  useEffect(() => {
    api.settings(sid).then(
      (s) => setSettings({ logging: s?.logging === true, loggingRCML: s?.loggingRCML === true }),
      (err) => {
        setSettings({ logging: false, loggingRCML: false });
        setStatus({ text: `Could not load the settings: ${err.message}`, error: true });
      },
    );
  }, [sid]);
  if (settings === null) return html`<p class="hint">Loading settings…</p>`;
  const save = async (ev) => {
    ev.preventDefault();
    try {
      await api.saveSettings(sid, settings);
      setStatus({ text: 'Settings saved', error: false });
    } catch (err) {
      setStatus({ text: `Could not save the settings: ${err.message}`, error: true });
    }
  };
  return html`
    <section aria-label="Application settings">
      <h2>Settings</h2>
      <form onSubmit=${save}>
        <div class="field check"><label><input type="checkbox" checked=${settings.logging}
          onChange=${(ev) => setSettings({ ...settings, logging: ev.currentTarget.checked })} /> <span>Write the application log</span></label></div>
        <div class="field check"><label><input type="checkbox" checked=${settings.loggingRCML} disabled=${!settings.logging}
          onChange=${(ev) => setSettings({ ...settings, loggingRCML: ev.currentTarget.checked })} /> <span>Include the RCML of each response in the log</span></label></div>
        <button type="submit">Save settings</button>
      </form>
      <p class=${status.error ? 'error' : 'status'} role="status">${status.text}</p>
    </section>`;
}
