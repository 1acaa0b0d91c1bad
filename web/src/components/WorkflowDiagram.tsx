import { Graph, layout } from '@dagrejs/dagre';
import { useMemo } from 'preact/hooks';
import type { CaseView } from '../api.js';
import { STAGE_LABELS } from '../format.js';

/**
 * The workflow as a diagram: the disclosure track's stages (API.md order)
 * and the arrest track beside it, laid out by dagre and drawn as SVG, each
 * stage marked done, current or ahead from the case the API returns.
 */
export type Mark = 'done' | 'current' | 'ahead' | 'skipped' | 'stopped';

const DISCLOSURE_TRACK = [
  'DATA_REQUEST_APPROVAL',
  'PLATFORM_REQUESTS',
  'ISP_RESOLUTION',
  'IDENTIFICATION',
  'IDENTIFICATION_APPROVAL',
  'DISCLOSURE_DECISION',
  'DISCLOSURE_APPROVAL',
  'DISCLOSURE_DELIVERY',
  'AFTER_DISCLOSURE',
  'CLOSED',
] as const;
const DELAY_BRANCH = ['DELAY_APPROVAL', 'DELAYED'] as const;
const ARREST_TRACK = [
  ['ARREST_TASKING', 'Arrest tasking raised'],
  ['ARREST_OUTCOME', 'Arrest outcome recorded'],
  ['VICTIM_UPDATE', 'Victim told of the outcome'],
] as const;

export interface DiagramNode {
  id: string;
  label: string;
  track: 'disclosure' | 'arrest';
  mark: Mark;
}

/** What each stage is for this case: the rule behind the picture, kept apart from the drawing. */
export function workflowMarks(c: Pick<CaseView, 'stage' | 'delays' | 'identification' | 'arrests' | 'openTasks' | 'notifications' | 'disclosureProposal' | 'disclosure'>): DiagramNode[] {
  const stage = c.stage;
  const main = DISCLOSURE_TRACK as readonly string[];
  const inDelay = (DELAY_BRANCH as readonly string[]).includes(stage);
  // Where the case is along the main line; a delay sits beside the disclosure decision.
  const position = stage === 'REJECTED' ? 0 : inDelay ? main.indexOf('DISCLOSURE_DECISION') : main.indexOf(stage);
  const nodes: DiagramNode[] = main.map((id, i) => {
    let mark: Mark = i < position ? 'done' : i === position ? 'current' : 'ahead';
    if (stage === 'CLOSED') mark = 'done';
    if (stage === 'REJECTED') mark = i === 0 ? 'stopped' : 'skipped';
    if (inDelay && id === 'DISCLOSURE_DECISION') mark = 'done';
    return { id, label: STAGE_LABELS[id] ?? id, track: 'disclosure', mark };
  });
  const delayed = c.delays.length > 0;
  for (const id of DELAY_BRANCH) {
    const mark: Mark = stage === id ? 'current' : delayed && (id === 'DELAYED' || stage !== 'DELAY_APPROVAL') ? 'done' : position > main.indexOf('DISCLOSURE_APPROVAL') && !delayed ? 'skipped' : 'ahead';
    nodes.push({ id, label: STAGE_LABELS[id] ?? id, track: 'disclosure', mark });
  }
  const tasked = c.identification?.status === 'approved';
  const open = (t: string) => c.openTasks.some((o) => o.task === t);
  const updated = c.notifications.some((n) => n.purpose === 'victim_update');
  const arrestMarks: Record<string, Mark> = {
    ARREST_TASKING: tasked ? 'done' : 'ahead',
    ARREST_OUTCOME: c.arrests.length ? 'done' : open('ARREST_OUTCOME') ? 'current' : 'ahead',
    VICTIM_UPDATE: updated ? 'done' : open('VICTIM_UPDATE') || (c.arrests.length > 0 && !updated) ? 'current' : 'ahead',
  };
  if (stage === 'REJECTED') for (const k of Object.keys(arrestMarks)) arrestMarks[k] = 'skipped';
  for (const [id, label] of ARREST_TRACK) nodes.push({ id, label, track: 'arrest', mark: arrestMarks[id]! });
  return nodes;
}

const EDGES: [string, string, string?][] = [
  ...DISCLOSURE_TRACK.slice(1).map((to, i) => [DISCLOSURE_TRACK[i]!, to] as [string, string]),
  ['DISCLOSURE_DECISION', 'DELAY_APPROVAL'],
  ['DELAY_APPROVAL', 'DELAYED'],
  ['DELAYED', 'DISCLOSURE_DECISION', 'loop'],
  ['ARREST_TASKING', 'ARREST_OUTCOME'],
  ['ARREST_OUTCOME', 'VICTIM_UPDATE'],
];

const MARK_WORDS: Record<Mark, string> = { done: 'done', current: 'current', ahead: 'ahead', skipped: 'not taken', stopped: 'stopped here' };

export function WorkflowDiagram({ kase }: { kase: Parameters<typeof workflowMarks>[0] }) {
  const nodes = workflowMarks(kase);
  const drawn = useMemo(() => {
    const g = new Graph({ multigraph: false });
    g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 26, marginx: 8, marginy: 30 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of nodes) g.setNode(n.id, { width: 190, height: 34 });
    for (const [from, to, kind] of EDGES) g.setEdge(from, to, kind === 'loop' ? { weight: 0, minlen: 1 } : { weight: 2 });
    layout(g);
    const place = (id: string) => g.node(id) as { x: number; y: number; width: number; height: number };
    const edges = g.edges().map((e) => ({ from: e.v, to: e.w, points: (g.edge(e) as { points: { x: number; y: number }[] }).points }));
    const size = g.graph() as { width?: number; height?: number };
    return { place, edges, width: size.width ?? 600, height: size.height ?? 400 };
  }, []);
  const arrestX = drawn.place('ARREST_TASKING').x;
  const mainX = drawn.place('DATA_REQUEST_APPROVAL').x;
  return (
    <figure class="govuk-!-margin-0" data-testid="workflow-diagram">
      <svg class="rtk-diagram" viewBox={`0 0 ${drawn.width} ${drawn.height}`} role="img" aria-labelledby="wf-title">
        <title id="wf-title">Workflow: the disclosure track and the arrest track, with each stage's state</title>
        <defs>
          <marker id="wf-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" fill="#505a5f" />
          </marker>
        </defs>
        <text class="track" x={mainX} y={16} text-anchor="middle">
          Disclosure track
        </text>
        <text class="track" x={arrestX} y={16} text-anchor="middle">
          Arrest track
        </text>
        {drawn.edges.map((e) => (
          <polyline
            key={`${e.from}-${e.to}`}
            class={`edge${e.from === 'DELAYED' ? ' loop' : ''}`}
            points={e.points.map((p) => `${p.x},${p.y}`).join(' ')}
            marker-end="url(#wf-arrow)"
          />
        ))}
        {nodes.map((n) => {
          const p = drawn.place(n.id);
          return (
            <g class={`node ${n.mark}`} key={n.id} data-stage={n.id} data-mark={n.mark}>
              <rect x={p.x - p.width / 2} y={p.y - p.height / 2} width={p.width} height={p.height} />
              <text x={p.x} y={p.y}>
                {n.label}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul class="rtk-legend govuk-body-s" aria-hidden="true">
          <li>
            <span class="rtk-swatch done" /> Done
          </li>
          <li>
            <span class="rtk-swatch current" /> Current
          </li>
          <li>
            <span class="rtk-swatch ahead" /> Ahead
          </li>
        </ul>
        <ol class="govuk-visually-hidden">
          {nodes.map((n) => (
            <li key={n.id}>
              {n.track === 'arrest' ? 'Arrest track: ' : ''}
              {n.label}: {MARK_WORDS[n.mark]}
            </li>
          ))}
        </ol>
      </figcaption>
    </figure>
  );
}
