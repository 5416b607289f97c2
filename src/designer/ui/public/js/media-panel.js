/** The project's media files (`wavs/`): upload, listen, delete. Play steps pick from this list. */
import { useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { Labelled } from './labelled.js';
import { mediaUrl } from './api.js';

/**
 * @param {{ api: object, sid: string, files: string[], onChanged: () => Promise<void> }} props
 */
export function MediaPanel({ api, sid, files, onChanged }) {
  const input = useRef(null);
  const [status, setStatus] = useState({ text: '', error: false });
  const upload = async (ev) => {
    ev.preventDefault();
    const chosen = Array.from(input.current.files ?? []);
    if (chosen.length === 0) {
      setStatus({ text: 'Choose a .wav or .mp4 file first', error: true });
      return;
    }
    try {
      for (const file of chosen) await api.uploadMedia(sid, file);
      input.current.value = '';
      setStatus({ text: `Uploaded ${chosen.map((f) => f.name).join(', ')}`, error: false });
      await onChanged();
    } catch (err) {
      setStatus({ text: `Upload failed: ${err.message}`, error: true });
    }
  };
  const remove = async (file) => {
    try {
      await api.deleteMedia(sid, file);
      setStatus({ text: `Deleted ${file}`, error: false });
      await onChanged();
    } catch (err) {
      setStatus({ text: `Could not delete ${file}: ${err.message}`, error: true });
    }
  };
  return html`
    <section aria-label="Media files">
      <h2>Media files</h2>
      <form class="inline" onSubmit=${upload}>
        <${Labelled} label="Media file"><input type="file" ref=${input} accept=".wav,.mp4,audio/wav,video/mp4" multiple /><//>
        <button type="submit">Upload</button>
      </form>
      <p class=${status.error ? 'error' : 'status'} role="status">${status.text}</p>
      ${files.length === 0
        ? html`<p class="hint">No media files yet. Play steps can play files uploaded here.</p>`
        : html`<table>
            <thead><tr><th>File</th><th>Listen</th><th></th></tr></thead>
            <tbody>
              ${files.map((f) => html`<tr>
                <td>${f}</td>
                <td><audio controls preload="none" src=${mediaUrl(sid, f)} aria-label=${`Listen to ${f}`}></audio></td>
                <td><button type="button" class="danger small" onClick=${() => remove(f)} aria-label=${`Delete ${f}`}>Delete</button></td>
              </tr>`)}
            </tbody>
          </table>`}
    </section>`;
}
