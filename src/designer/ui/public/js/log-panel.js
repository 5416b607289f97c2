/**
 * The application log (`rvdapp.log`): what the project wrote so far, then, while "Follow" is on, each new
 * line as the server sends it (server-sent events from `.../log/stream`). The browser's own EventSource
 * cannot send credentials, so the `eventsource` package opens the stream with our Basic header.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { EventSource } from 'eventsource';
import { html } from './html.js';

/** Lines kept on screen; older ones scroll away (the file itself rotates at 300 kB). */
const KEEP = 2000;

/** @param {{ api: object, sid: string }} props */
export function LogPanel({ api, sid }) {
  const [lines, setLines] = useState([]);
  const [status, setStatus] = useState({ text: 'Loading the log…', error: false });
  const [follow, setFollow] = useState(true);
  const [live, setLive] = useState('closed');
  const box = useRef(null);

  const load = async () => {
    try {
      const text = await api.log(sid);
      setLines(text.split('\n').filter((l) => l !== ''));
      setStatus({ text: '', error: false });
    } catch (err) {
      setLines([]);
      setStatus(err.status === 404
        ? { text: 'The log is empty, or logging is off: turn it on in Settings.', error: false }
        : { text: `Could not read the log: ${err.message}`, error: true });
    }
  };
  useEffect(() => {
    load();
  }, [sid]);

  useEffect(() => {
    if (!follow) return undefined;
    const source = new EventSource(api.logStreamUrl(sid), {
      fetch: (input, init) => fetch(input, { ...init, credentials: 'omit', headers: { ...init.headers, Authorization: api.authorization() } }),
    });
    source.onopen = () => setLive('open');
    source.onerror = () => setLive(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    source.onmessage = (ev) => {
      setStatus({ text: '', error: false });
      setLines((old) => [...old, ...ev.data.split('\n')].slice(-KEEP));
    };
    return () => {
      source.close();
      setLive('closed');
    };
  }, [sid, follow]);

  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, follow]);

  const clear = async () => {
    try {
      await api.clearLog(sid);
      setLines([]);
      setStatus({ text: 'Log cleared', error: false });
    } catch (err) {
      setStatus({ text: `Could not clear the log: ${err.message}`, error: true });
    }
  };

  return html`
    <section aria-label="Application log">
      <h2>Log</h2>
      <div class="toolbar">
        <label class="check"><input type="checkbox" checked=${follow} onChange=${(ev) => setFollow(ev.currentTarget.checked)} /> Follow the live log</label>
        <span class=${'live ' + live} role="status">${follow ? { open: 'live', reconnecting: 'reconnecting…', closed: 'connecting…' }[live] : 'paused'}</span>
        <button type="button" onClick=${load}>Reload</button>
        <button type="button" class="danger" onClick=${clear}>Clear log</button>
      </div>
      <p class=${status.error ? 'error' : 'hint'}>${status.text}</p>
      <pre class="log" ref=${box} aria-label="Log lines" tabindex="0">${lines.join('\n')}</pre>
    </section>`;
}
