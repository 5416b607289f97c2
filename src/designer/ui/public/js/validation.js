/**
 * The validation report of a save (`rvdStatus: INVALID`, `exception.jsonSchemaReport.errorItems`) read
 * against the project: each item's `failurePath` (`/nodes/<i>/steps/<j>/<field>...`) names the module, the
 * step and the field, which the editor shows next to them.
 */

const LEVELS = new Set(['error', 'warning', 'fatal', 'info']);

/** RVD stores schema errors with level and summary swapped; the message is whichever is not a level. */
function messageOf(item) {
  const summary = typeof item.summary === 'string' ? item.summary : '';
  const level = typeof item.level === 'string' ? item.level : '';
  if (LEVELS.has(summary.toLowerCase()) && level !== '' && !LEVELS.has(level.toLowerCase())) return level;
  return summary || level || 'invalid';
}

/**
 * @typedef {{ path: string, message: string, module: string | null, moduleLabel: string | null,
 *   stepName: string | null, stepIndex: number | null, stepKind: string | null, field: string | null }} Problem
 */

/** @returns {Problem[]} */
export function problems(report, state) {
  const items = report?.exception?.jsonSchemaReport?.errorItems ?? [];
  return items.map((item) => {
    const path = String(item.failurePath ?? '').replace(/^#/, '');
    const m = /^\/nodes\/(\d+)(?:\/steps\/(\d+))?(\/.*)?$/.exec(path);
    const node = m ? state.nodes[Number(m[1])] : undefined;
    const stepIndex = m && m[2] !== undefined ? Number(m[2]) : null;
    const step = node && stepIndex !== null ? node.steps[stepIndex] : undefined;
    const rest = m?.[3] ? m[3].slice(1).split('/').join('.') : '';
    return {
      path,
      message: messageOf(item),
      module: node?.name ?? null,
      moduleLabel: node?.label ?? null,
      stepName: step?.name ?? null,
      stepIndex,
      stepKind: step?.kind ?? null,
      field: rest === '' ? null : rest,
    };
  });
}

/** The JSON pointer of a step, which its fields' error paths start with. */
export function stepPointer(state, moduleName, stepIndex) {
  return `/nodes/${state.nodes.findIndex((n) => n.name === moduleName)}/steps/${stepIndex}`;
}
