import type { Flow, FlowStatus, Plan, PlannedConnector, Profile } from '../../src-main/contract/planner';
import { actorsOfProfile, describeActor, flowKey, type ActorInfo } from './actors';

/**
 * The diagram as plain data, computed from a profile and (when there is one)
 * its plan: where each actor sits and which flows connect them. Pure, so the
 * layout is tested in Node and the React Flow component only draws it.
 */
export const NODE_WIDTH = 170;
export const NODE_HEIGHT = 64;

export interface GraphNode {
  readonly id: string;
  readonly actor: ActorInfo;
  readonly x: number;
  readonly y: number;
}

export interface GraphEdge {
  readonly id: string;
  readonly flow: Flow;
  readonly from: string;
  readonly to: string;
  readonly status: FlowStatus;
  /** Connector names, or "No connector" when the flow needs none. */
  readonly label: string;
  readonly connectors: readonly PlannedConnector[];
}

export interface FlowGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/**
 * A triangle as in the article's picture: Bob (Office 365) at the top middle,
 * John bottom left, Sun bottom right, so the John–Sun flows pass below Bob
 * instead of through him; devices above Bob, partners in a row at the bottom.
 */
export function layoutActors(actors: readonly string[], profile: Profile | undefined): GraphNode[] {
  const fixed: Record<string, { x: number; y: number }> = { john: { x: 0, y: 330 }, bob: { x: 400, y: 170 }, sun: { x: 800, y: 330 } };
  const partners = actors.filter((a) => a.startsWith('partner:'));
  const devices = actors.filter((a) => a.startsWith('device:'));
  const others = actors.filter((a) => !(a in fixed) && !partners.includes(a) && !devices.includes(a));
  const row = (list: readonly string[], y: number): GraphNode[] => {
    // One item sits under Bob; several spread between John and Sun.
    const span = Math.min(800, 260 * (list.length - 1));
    const start = 400 - span / 2;
    const step = list.length > 1 ? span / (list.length - 1) : 0;
    return list.map((a, i) => ({ id: a, actor: describeActor(a, profile), x: start + i * step, y }));
  };
  const main = actors.filter((a) => a in fixed).map((a) => ({ id: a, actor: describeActor(a, profile), ...fixed[a]! }));
  return [...main, ...row(devices, 0), ...row([...partners, ...others], 560)];
}

export function connectorLabel(connectors: readonly PlannedConnector[]): string {
  return connectors.length === 0 ? 'No connector' : connectors.map((c) => c.name).join(' + ');
}

export function buildFlowGraph(profile: Profile | undefined, plan: Plan | undefined): FlowGraph {
  const flows = plan?.flows ?? [];
  const actors = new Set<string>(profile ? actorsOfProfile(profile) : ['john', 'bob', 'sun']);
  for (const f of flows) {
    actors.add(f.from);
    actors.add(f.to);
  }
  const byId = new Map((plan?.connectors ?? []).map((c) => [c.id, c]));
  const edges = flows.map((flow): GraphEdge => {
    const connectors = flow.connectors.map((id) => byId.get(id)).filter((c): c is PlannedConnector => c !== undefined);
    return { id: flowKey(flow.from, flow.to), flow, from: flow.from, to: flow.to, status: flow.status, label: connectorLabel(connectors), connectors };
  });
  return { nodes: layoutActors([...actors], profile), edges };
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * The straight line an edge is drawn on: from box edge to box edge (so the
 * arrow head is not hidden under a node), shifted sideways so the two
 * directions between one pair are drawn apart.
 */
export function edgeSegment(source: Point, target: Point, offset = 20, halfW = NODE_WIDTH / 2, halfH = NODE_HEIGHT / 2): { start: Point; end: Point } {
  const dx = target.x - source.x;
  const dy = target.y - source.y;
  const length = Math.hypot(dx, dy);
  if (length === 0) return { start: source, end: target };
  const ux = dx / length;
  const uy = dy / length;
  // Perpendicular to the right of the direction of travel: A→B and B→A land on opposite sides.
  const px = -uy * offset;
  const py = ux * offset;
  const toBorder = Math.min(ux === 0 ? Infinity : halfW / Math.abs(ux), uy === 0 ? Infinity : halfH / Math.abs(uy));
  const trim = Math.min(toBorder + 4, length / 2 - 1);
  return {
    start: { x: source.x + ux * trim + px, y: source.y + uy * trim + py },
    end: { x: target.x - ux * trim + px, y: target.y - uy * trim + py },
  };
}

/** Where the label sits: 40 % from the source, so the two directions' labels do not overlap. */
export function labelPoint(segment: { start: Point; end: Point }, at = 0.4): Point {
  return { x: segment.start.x + (segment.end.x - segment.start.x) * at, y: segment.start.y + (segment.end.y - segment.start.y) * at };
}

/** Counts per status, for the summary line above the diagram. */
export function statusCounts(edges: readonly GraphEdge[]): Partial<Record<FlowStatus, number>> {
  const counts: Partial<Record<FlowStatus, number>> = {};
  for (const e of edges) counts[e.status] = (counts[e.status] ?? 0) + 1;
  return counts;
}
