import { Graph, layout } from '@dagrejs/dagre';
import { useMemo } from 'preact/hooks';
import type { CaseView } from '../api.js';
import { STAGES } from '../../../functions/domain/stages.js';
import { STAGE_LABELS } from '../format.js';

/**
 * The workflow as a diagram: the disclosure track's stages (the order of docs/process.md)
 * and the arrest track beside it, laid out by dagre and drawn as SVG, each
 * stage marked done, current or ahead from the case the API returns.
 */
export type Mark = 'done' | 'current' | 'ahead' | 'skipped' | 'stopped';

const DELAY_BRANCH = ['DELAY_APPROVAL', 'DELAYED'] as const;
// The stages in the workflow's own order (functions/domain/stages.ts), less the delay loop and the rejection.
const DISCLOSURE_TRACK = STAGES.filter((s) => s !== 'REJECTED' && !(DELAY_BRANCH as readonly string[]).includes(s));
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
export function workflowMarks(
  c: Pick<
    CaseView,
    | 'stage'
    | 'delays'
    | 'identification'
    | 'arrests'
    | 'openTasks'
    | 'notifications'
    | 'disclosureProposal'
    | 'disclosure'
  >,
): DiagramNode[] {
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
    const mark: Mark =
      stage === id
        ? 'current'
        : delayed && (id === 'DELAYED' || stage !== 'DELAY_APPROVAL')
          ? 'done'
          : position > main.indexOf('DISCLOSURE_APPROVAL') && !delayed
            ? 'skipped'
            : 'ahead';
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

const MARK_WORDS: Record<Mark, string> = {
  done: 'done',
  current: 'current',
  ahead: 'ahead',
  skipped: 'not taken',
  stopped: 'stopped here',
};

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface Laid {
  place: Map<string, Box>;
  edges: { from: string; to: string; kind?: string | undefined; points: { x: number; y: number }[] }[];
  width: number;
  height: number;
}

/** One track laid out by dagre, top to bottom: heavy edges keep the track a straight column, the delay branch hangs beside it. */
function layoutTrack(ids: readonly string[], edges: [string, string, string?][]): Laid {
  const g = new Graph({ multigraph: false });
  g.setGraph({ rankdir: 'TB', nodesep: 30, ranksep: 24, marginx: 6, marginy: 6 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const id of ids) g.setNode(id, { width: 190, height: 34 });
  const branch = (from: string, to: string) => [from, to].some((n) => (DELAY_BRANCH as readonly string[]).includes(n));
  for (const [from, to, kind] of edges)
    g.setEdge(from, to, kind === 'loop' ? { weight: 0, minlen: 1 } : { weight: branch(from, to) ? 1 : 10 });
  layout(g);
  const kinds = new Map(edges.map(([from, to, kind]) => [`${from}>${to}`, kind]));
  const size = g.graph() as { width?: number; height?: number };
  return {
    place: new Map(ids.map((id) => [id, g.node(id) as Box])),
    edges: g.edges().map((e) => ({
      from: e.v,
      to: e.w,
      kind: kinds.get(`${e.v}>${e.w}`),
      points: (g.edge(e) as { points: { x: number; y: number }[] }).points,
    })),
    width: size.width ?? 200,
    height: size.height ?? 200,
  };
}

const TITLE = 28;
const GAP = 60;

/** The disclosure track on the left; the arrest track to its right, starting level with the identification approval that raises it. */
function compose(): Laid {
  const main = layoutTrack(
    [...DISCLOSURE_TRACK, ...DELAY_BRANCH],
    EDGES.filter(([f]) => !f.startsWith('ARREST')),
  );
  const arrest = layoutTrack(
    ARREST_TRACK.map(([id]) => id),
    EDGES.filter(([f]) => f.startsWith('ARREST')),
  );
  const dx = main.width + GAP;
  const dy = TITLE + main.place.get('IDENTIFICATION_APPROVAL')!.y - arrest.place.get('ARREST_TASKING')!.y;
  const place = new Map<string, Box>();
  for (const [id, b] of main.place) place.set(id, { ...b, y: b.y + TITLE });
  for (const [id, b] of arrest.place) place.set(id, { ...b, x: b.x + dx, y: b.y + dy });
  const shift = (pts: { x: number; y: number }[], x: number, y: number) => pts.map((p) => ({ x: p.x + x, y: p.y + y }));
  const from = place.get('IDENTIFICATION_APPROVAL')!;
  const to = place.get('ARREST_TASKING')!;
  return {
    place,
    edges: [
      ...main.edges.map((e) => ({ ...e, points: shift(e.points, 0, TITLE) })),
      ...arrest.edges.map((e) => ({ ...e, points: shift(e.points, dx, dy) })),
      {
        from: 'IDENTIFICATION_APPROVAL',
        to: 'ARREST_TASKING',
        kind: 'raises',
        points: [
          { x: from.x + from.width / 2, y: from.y },
          { x: to.x - to.width / 2, y: to.y },
        ],
      },
    ],
    width: dx + arrest.width,
    height: Math.max(TITLE + main.height, dy + arrest.height),
  };
}

export function WorkflowDiagram({ kase }: { kase: Parameters<typeof workflowMarks>[0] }) {
  const nodes = workflowMarks(kase);
  const drawn = useMemo(compose, []);
  const at = (id: string) => drawn.place.get(id)!;
  const arrestX = at('ARREST_TASKING').x;
  const mainX = at('DATA_REQUEST_APPROVAL').x;
  return (
    <figure class="govuk-!-margin-0" data-testid="workflow-diagram">
      <svg class="rtk-diagram" viewBox={`0 0 ${drawn.width} ${drawn.height}`} role="img" aria-labelledby="wf-title">
        <title id="wf-title">Workflow: the disclosure track and the arrest track, with each stage's state</title>
        <defs>
          <marker
            id="wf-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M0,0 L10,5 L0,10 z" fill="#505a5f" />
          </marker>
        </defs>
        <text class="track" x={mainX} y={18} text-anchor="middle">
          Disclosure track
        </text>
        <text class="track" x={arrestX} y={at('ARREST_TASKING').y - 28} text-anchor="middle">
          Arrest track
        </text>
        {drawn.edges.map((e) => (
          <polyline
            key={`${e.from}-${e.to}`}
            class={`edge${e.kind ? ' loop' : ''}`}
            points={e.points.map((p) => `${p.x},${p.y}`).join(' ')}
            marker-end="url(#wf-arrow)"
          />
        ))}
        {nodes.map((n) => {
          const p = at(n.id);
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
