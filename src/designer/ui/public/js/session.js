/**
 * The signed-in account, kept in sessionStorage only: it is gone when the tab closes and is never written
 * to localStorage or a cookie. Every API call sends it again as HTTP Basic.
 */
const KEY = 'dialtone.designer.session';

/** @typedef {{ user: string, password: string, sid: string, email: string, name: string }} Session */

/** @returns {Session | null} */
export function loadSession() {
  const text = sessionStorage.getItem(KEY);
  if (text === null) return null;
  try {
    const s = JSON.parse(text);
    return typeof s.user === 'string' && typeof s.password === 'string' && typeof s.sid === 'string' ? s : null;
  } catch {
    return null;
  }
}

/** @param {Session} session */
export function saveSession(session) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
}
