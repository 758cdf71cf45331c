import { Graph, layout, type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import { useMemo } from 'preact/hooks';
import type { MachineGraph } from '../api';
import { eventLabel, stateLabel } from '../labels';

const NODE_H = 40;
const nodeWidth = (label: string) => Math.max(120, label.length * 8 + 28);
const labelWidth = (label: string) => label.length * 6.2 + 8;

interface Laid {
  width: number;
  height: number;
  nodes: Array<{ id: string; label: string; x: number; y: number; w: number; final: boolean; initial: boolean }>;
  edges: Array<{ key: string; d: string; label: string; lx: number; ly: number; from: string; to: string }>;
}

/**
 * The melding machine drawn from its definition (GET /v1/workflow/melding/definition): dagre lays out the states
 * and transitions the engine itself runs; nothing here is drawn by hand. Record-keeping events that stay in their
 * state are listed below the drawing instead of as loops on every state.
 */
function layoutGraph(graph: MachineGraph): Laid {
  const g = new Graph<GraphLabel, NodeLabel, EdgeLabel & { label?: string }>({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 46, edgesep: 12, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const s of graph.states) g.setNode(s.id, { width: nodeWidth(stateLabel(s.id)), height: NODE_H });
  // One edge per (from, to, event): guards that route one event to several targets are separate edges already.
  const seen = new Set<string>();
  for (const t of graph.transitions) {
    if (t.internal) continue;
    const key = `${t.from}>${t.to}>${t.event}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const label = eventLabel(t.event);
    g.setEdge(t.from, t.to, { label, width: labelWidth(label), height: 14, labelpos: 'c' }, key);
  }
  layout(g);
  const nodes = graph.states.map((s) => {
    const n = g.node(s.id);
    return { id: s.id, label: stateLabel(s.id), x: n.x ?? 0, y: n.y ?? 0, w: n.width, final: s.final, initial: s.id === graph.initial };
  });
  const edges = g.edges().map((e) => {
    const edge = g.edge(e);
    const pts = edge.points ?? [];
    const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    return { key: e.name ?? `${e.v}>${e.w}`, d, label: String(edge.label ?? ''), lx: edge.x ?? 0, ly: edge.y ?? 0, from: e.v, to: e.w };
  });
  const info = g.graph();
  return { width: Math.ceil(info.width ?? 800), height: Math.ceil(info.height ?? 600), nodes, edges };
}

export function StateDiagram({ graph, current }: { graph: MachineGraph; current: string }) {
  const laid = useMemo(() => layoutGraph(graph), [graph]);
  const records = [...new Set(graph.transitions.filter((t) => t.internal).map((t) => t.event))];
  const outgoing = graph.transitions.filter((t) => !t.internal && t.from === current);
  return (
    <figure class="diagram" aria-labelledby="diagram-bijschrift">
      <svg
        viewBox={`0 0 ${laid.width} ${laid.height}`}
        width={laid.width}
        height={laid.height}
        role="img"
        aria-label={`Toestandsdiagram van de melding; huidige toestand: ${stateLabel(current)}`}
        data-current-state={current}
      >
        <defs>
          <marker id="pijl" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" class="arrow" />
          </marker>
        </defs>
        {laid.edges.map((e) => (
          <g key={e.key} class={`edge${e.from === current ? ' from-current' : ''}`}>
            <path d={e.d} marker-end="url(#pijl)" />
            <text x={e.lx} y={e.ly + 4} text-anchor="middle">{e.label}</text>
          </g>
        ))}
        {laid.nodes.map((n) => (
          <g key={n.id} class={`node${n.id === current ? ' current' : ''}${n.final ? ' final' : ''}`} data-state={n.id} aria-current={n.id === current ? 'step' : undefined}>
            <rect x={n.x - n.w / 2} y={n.y - NODE_H / 2} width={n.w} height={NODE_H} rx={n.final ? 20 : 6} />
            <text x={n.x} y={n.y + 5} text-anchor="middle">{n.label}</text>
          </g>
        ))}
      </svg>
      <figcaption id="diagram-bijschrift">
        De huidige toestand (<strong>{stateLabel(current)}</strong>) is gemarkeerd. Afgeleid van machine <code>{graph.machine}</code> versie {graph.version}.
        {outgoing.length > 0 ? (
          <>
            {' '}Vanuit hier: {[...new Set(outgoing.map((t) => `${eventLabel(t.event)} → ${stateLabel(t.to)}`))].join('; ')}.
          </>
        ) : (
          ' Dit is een eindtoestand.'
        )}{' '}
        In elke open toestand kan worden vastgelegd: {records.map(eventLabel).join(', ').toLowerCase()}.
      </figcaption>
    </figure>
  );
}
