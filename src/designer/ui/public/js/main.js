/**
 * The Visual Designer page: sign in with the account, then the applications (`#/`) or the editor of one
 * (`#/apps/<sid>`). The location hash is the only route, so the node serves one page.
 */
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { html } from './html.js';
import { Labelled } from './labelled.js';
import { client, designerSid, signIn } from './api.js';
import { clearSession, loadSession, saveSession } from './session.js';
import { Home } from './home.js';
import { Editor } from './editor.js';

function Login({ onSignedIn }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (ev) => {
    ev.preventDefault();
    setBusy(true);
    try {
      const session = await signIn(user.trim(), password);
      saveSession(session);
      onSignedIn(session);
    } catch (err) {
      setError(err.status === 401 || err.status === 404 ? 'The account or the password is wrong, or the account is not active.' : err.message);
    } finally {
      setBusy(false);
    }
  };
  return html`
    <main class="login">
      <form aria-label="Sign in" onSubmit=${submit}>
        <h1>Dialtone Visual Designer</h1>
        <${Labelled} label="Account SID or e-mail">
          <input type="text" autocomplete="username" required value=${user} onInput=${(ev) => setUser(ev.currentTarget.value)} />
        <//>
        <${Labelled} label="Password or auth token">
          <input type="password" autocomplete="current-password" required value=${password} onInput=${(ev) => setPassword(ev.currentTarget.value)} />
        <//>
        <button type="submit" class="primary" disabled=${busy}>Sign in</button>
        ${error ? html`<p class="error" role="alert">${error}</p>` : null}
      </form>
    </main>`;
}

const routeOf = () => {
  const m = /^#\/apps\/([A-Za-z0-9]+)$/.exec(location.hash);
  return m ? { page: 'editor', sid: m[1] } : { page: 'home' };
};

function App() {
  const [session, setSession] = useState(loadSession);
  const [route, setRoute] = useState(routeOf);
  const [names, setNames] = useState({});
  const api = useMemo(() => (session ? client(session) : null), [session]);

  useEffect(() => {
    const onHash = () => setRoute(routeOf());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    if (api === null || route.page !== 'editor' || names[route.sid] !== undefined) return;
    api.applications().then((apps) => {
      const app = apps.find((a) => designerSid(a) === route.sid);
      if (app) setNames((n) => ({ ...n, [route.sid]: app.friendly_name }));
    }, () => undefined);
  }, [api, route]);

  if (session === null || api === null) return html`<${Login} onSignedIn=${setSession} />`;
  const open = (sid, name) => {
    setNames((n) => ({ ...n, [sid]: name }));
    location.hash = `#/apps/${sid}`;
  };
  const signOut = () => {
    clearSession();
    setSession(null);
    location.hash = '#/';
  };
  return html`
    <div class="shell">
      <header class="top">
        <a href="#/" class="brand">Dialtone Visual Designer</a>
        <span class="spacer"></span>
        <span class="who">${session.email || session.sid}</span>
        <button type="button" class="link" onClick=${signOut}>Sign out</button>
      </header>
      ${route.page === 'editor'
        ? html`<${Editor} key=${route.sid} api=${api} sid=${route.sid} name=${names[route.sid] ?? ''} onBack=${() => (location.hash = '#/')} />`
        : html`<${Home} api=${api} onOpen=${open} />`}
    </div>`;
}

const root = document.getElementById('app');
root.textContent = '';
render(html`<${App} />`, root);
