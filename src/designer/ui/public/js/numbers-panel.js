/**
 * The account's numbers and what they run: a number's voice and SMS applications, and its Refer URL, the
 * application a transfer of its calls runs. The Refer URL field takes an application's name or sid (sent
 * as `ReferApplicationSid`, which Restcomm prefers) or a literal URL (sent as `ReferUrl`).
 */
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { Labelled } from './labelled.js';

/** The number's form fields for a Refer URL as typed: an application by name or sid, else a URL. */
function referFields(text, applications) {
  const t = text.trim();
  if (t === '') return { ReferApplicationSid: '', ReferUrl: '' };
  const app = applications.find((a) => a.sid === t || a.friendly_name === t);
  if (app) return { ReferApplicationSid: app.sid, ReferUrl: '' };
  return { ReferApplicationSid: '', ReferUrl: t };
}

function referText(number, applications) {
  if (number.refer_application_sid) {
    return applications.find((a) => a.sid === number.refer_application_sid)?.friendly_name ?? number.refer_application_sid;
  }
  return number.refer_url ?? '';
}

function NumberForm({ api, number, applications, onSaved }) {
  const [voice, setVoice] = useState(number.voice_application_sid ?? '');
  const [sms, setSms] = useState(number.sms_application_sid ?? '');
  const [refer, setRefer] = useState(referText(number, applications));
  const [status, setStatus] = useState({ text: '', error: false });
  const voiceApps = applications.filter((a) => a.kind !== 'sms' && a.kind !== 'ussd');
  const smsApps = applications.filter((a) => a.kind === 'sms' || !a.kind);
  const save = async (ev) => {
    ev.preventDefault();
    try {
      await api.updateNumber(number.sid, { VoiceApplicationSid: voice, SmsApplicationSid: sms, ...referFields(refer, applications) });
      setStatus({ text: 'Saved', error: false });
      await onSaved();
    } catch (err) {
      setStatus({ text: `Not saved: ${err.message}`, error: true });
    }
  };
  const option = (a) => html`<option value=${a.sid}>${a.friendly_name}</option>`;
  return html`
    <form class="number" aria-label=${`Number ${number.phone_number}`} onSubmit=${save}>
      <strong class="phone">${number.phone_number}</strong>
      <${Labelled} label="Voice application">
        <select value=${voice} onChange=${(ev) => setVoice(ev.currentTarget.value)}>
          <option value="">${number.voice_url ? `— URL ${number.voice_url} —` : '— none —'}</option>
          ${voiceApps.map(option)}
        </select>
      <//>
      <${Labelled} label="SMS application">
        <select value=${sms} onChange=${(ev) => setSms(ev.currentTarget.value)}>
          <option value="">${number.sms_url ? `— URL ${number.sms_url} —` : '— none —'}</option>
          ${smsApps.map(option)}
        </select>
      <//>
      <${Labelled} label="Refer URL" class="field wide">
        <input type="text" list="application-names" value=${refer} placeholder="an application's name, or a URL"
          onInput=${(ev) => setRefer(ev.currentTarget.value)} />
      <//>
      <button type="submit">Save</button>
      <span class=${status.error ? 'error' : 'status'} role="status">${status.text}</span>
    </form>`;
}

/** @param {{ api: object, numbers: object[], applications: object[], onSaved: () => Promise<void> }} props */
export function NumbersPanel({ api, numbers, applications, onSaved }) {
  return html`
    <section aria-label="Numbers">
      <h2>Numbers</h2>
      <datalist id="application-names">${applications.map((a) => html`<option value=${a.friendly_name}></option>`)}</datalist>
      ${numbers.length === 0
        ? html`<p class="hint">This account has no numbers yet (create them with the REST API's IncomingPhoneNumbers).</p>`
        : numbers.map((n) => html`<${NumberForm} key=${n.sid} api=${api} number=${n} applications=${applications} onSaved=${onSaved} />`)}
    </section>`;
}
