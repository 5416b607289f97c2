/**
 * The project's modules as a graph: a box per module, an arrow per reference (`references.js`), laid out
 * top to bottom by dagre and drawn as SVG, so every box is a focusable button and every arrow has a text
 * equivalent in the list of connections below it. A reference to a module that does not exist points at a
 * red dashed box. The drawing shrinks to the pane's width; a tall graph scrolls.
 */
import { useMemo } from 'preact/hooks';
import dagre from '@dagrejs/dagre';
import { html } from './html.js';
import { references } from './references.js';

const NODE_W = 190;
const NODE_H = 58;
const MISSING = 'missing:';

function layout(state) {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 70, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const names = new Set(state.nodes.map((n) => n.name));
  for (const node of state.nodes) g.setNode(node.name, { width: NODE_W, height: NODE_H });
  const refs = references(state);
  refs.forEach((r, i) => {
    const to = names.has(r.to) ? r.to : MISSING + r.to;
    if (!g.hasNode(to)) g.setNode(to, { width: NODE_W, height: NODE_H });
    g.setEdge(r.from, to, { label: r.label, width: Math.min(160, r.label.length * 6.4 + 10), height: 16, labelpos: 'c' }, `e${i}`);
  });
  dagre.layout(g);
  const edges = refs.map((r, i) => {
    const to = names.has(r.to) ? r.to : MISSING + r.to;
    return { ...r, missing: !names.has(r.to), ...g.edge(r.from, to, `e${i}`) };
  });
  const nodes = g.nodes().map((id) => ({ id, ...g.node(id) }));
  const { width, height } = g.graph();
  return { nodes, edges, width: Math.max(width ?? 0, 200), height: Math.max(height ?? 0, 80) };
}

const pathOf = (points) => points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');

/**
 * @param {{ state: object, selected: string | null, onSelect: (name: string) => void, invalid: Set<string> }} props
 */
export function GraphView({ state, selected, onSelect, invalid }) {
  const g = useMemo(() => layout(state), [state]);
  const byName = new Map(state.nodes.map((n) => [n.name, n]));
  const labelOf = (name) => byName.get(name)?.label || name;
  const start = state.header.startNodeName;
  return html`
    <figure class="graph">
      <div class="graph-scroll">
        <svg width="100%" style=${`max-width:${g.width}px`} viewBox=${`0 0 ${g.width} ${g.height}`} role="group" aria-label="Module graph">
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" class="arrow-head" />
            </marker>
          </defs>
          ${g.edges.map((e) => html`
            <g class=${'edge' + (e.missing ? ' missing' : '')} data-from=${e.from} data-to=${e.to}>
              <title>${`${labelOf(e.from)} → ${e.missing ? `missing module ${e.to}` : labelOf(e.to)}: ${e.label}`}</title>
              <path d=${pathOf(e.points)} marker-end="url(#arrow)" />
              <text x=${e.x} y=${e.y + 4} text-anchor="middle">${e.label}</text>
            </g>`)}
          ${g.nodes.map((n) => {
            if (n.id.startsWith(MISSING)) {
              const name = n.id.slice(MISSING.length);
              return html`
                <g class="node missing" transform=${`translate(${n.x - NODE_W / 2},${n.y - NODE_H / 2})`} aria-label=${`Missing module ${name}`} role="img">
                  <rect width=${NODE_W} height=${NODE_H} rx="8" />
                  <text x="12" y="24">missing module</text>
                  <text x="12" y="44" class="sub">${name}</text>
                </g>`;
            }
            const node = byName.get(n.id);
            const classes = ['node', n.id === selected ? 'selected' : '', invalid.has(n.id) ? 'invalid' : '', n.id === start ? 'start' : ''].join(' ');
            const steps = node.steps.length;
            return html`
              <g class=${classes} transform=${`translate(${n.x - NODE_W / 2},${n.y - NODE_H / 2})`} role="button" tabindex="0"
                aria-pressed=${n.id === selected ? 'true' : 'false'}
                aria-label=${`Module ${node.label}${n.id === start ? ' (start)' : ''}`}
                onClick=${() => onSelect(n.id)}
                onKeyDown=${(ev) => {
                  if (ev.key === 'Enter' || ev.key === ' ') {
                    ev.preventDefault();
                    onSelect(n.id);
                  }
                }}>
                <rect width=${NODE_W} height=${NODE_H} rx="8" />
                <text x="12" y="24">${n.id === start ? '▶ ' : ''}${node.label.length > 22 ? node.label.slice(0, 21) + '…' : node.label}</text>
                <text x="12" y="44" class="sub">${n.id} · ${steps} step${steps === 1 ? '' : 's'}</text>
              </g>`;
          })}
        </svg>
      </div>
      <figcaption>
        <h3 id="connections-title">Connections</h3>
        ${g.edges.length === 0
          ? html`<p class="hint">No module leads to another yet: Gather mappings, Dial's next module, Redirect, External Service routes and Control's "continue to" draw arrows here.</p>`
          : html`<ul class="connections" aria-labelledby="connections-title">
              ${g.edges.map((e) => html`<li class=${e.missing ? 'missing' : ''}>
                ${labelOf(e.from)} → ${e.missing ? html`<strong>missing module ${e.to}</strong>` : labelOf(e.to)} <span class="hint">(${e.label}, ${e.step})</span>
              </li>`)}
            </ul>`}
      </figcaption>
    </figure>`;
}
