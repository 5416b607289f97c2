/** Reading and immutably writing nested fields of a step by a dotted path (`collectdigits.next`). */

/** @param {unknown} obj @param {string} path */
export function getIn(obj, path) {
  let v = obj;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[key];
  }
  return v;
}

/**
 * A copy of `obj` with `path` set to `value`; missing objects on the way are created, and `undefined`
 * removes the field (RVD leaves unset fields out of the JSON).
 */
export function setIn(obj, path, value) {
  const [key, ...rest] = path.split('.');
  const base = obj !== null && typeof obj === 'object' ? obj : {};
  const next = rest.length === 0 ? value : setIn(base[key], rest.join('.'), value);
  if (Array.isArray(base)) {
    const copy = base.slice();
    copy[Number(key)] = next;
    return copy;
  }
  const copy = { ...base };
  if (next === undefined) delete copy[key];
  else copy[key] = next;
  return copy;
}
