import type { Flow, FlowStatus, Plan, PlannedConnector, Profile } from '../../src-main/contract/planner';
import { deviceNameOf, partnerNameOf } from '../../src-main/contract/actors';
import { actorsOfProfile, describeActor, flowKey, type ActorInfo } from './actors';
import type { Diagram } from '../../src-main/contract/api';
import { labelWidthFor, routeFlows, shortConnectorName, type LayoutNode } from './flow-layout';
import { statusLabel, statusLook } from './flow-status';

/**
 * The diagram as plain data, computed from a profile and (when there is one)
 * its plan: where each actor sits and which flows connect them. Pure, so the
 * layout is tested in Node and the React Flow component only draws it.
 */
export const NODE_WIDTH = 172;
export const NODE_HEIGHT = 66;

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
  /** A few words for the arrow's label ("Inbound from EX2013"); empty when there is no connector. */
  readonly shortLabel: string;
  readonly connectors: readonly PlannedConnector[];
  /** Wide enough for the label's status words (with the icon) and connector words: no name is cut. */
  readonly labelWidth: number;
}

export interface FlowGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** `plan.existingImported`: decides whether `connector-missing` reads "Connector missing" or "Connector needed". */
  readonly imported: boolean;
}

/**
 * Office 365 (Bob) in the middle, as in the article, where most mail passes:
 * your own server (John) to its left, the Internet (Sun) to its right,
 * devices in a row above and partners in a row below. Every actor then has a
 * side of its own and most arrows run straight to Bob; the few that pass him
 * (John–Sun) are bent around him by the router (flow-layout.ts).
 */
export const COLUMN_GAP = 410;
export const ROW_GAP = 265;
/**
 * With many partners and devices, more arrows cross the bands above and below
 * Bob: the rows move further out so every label finds a free place on its
 * arrow (measured: the 3-server, 5-partner, 3-device organisation needs 400).
 */
export const CROWDED_ROW_GAP = 400;
const CROWDED_FROM = 5;
const ROW_STEP = 230;

export function layoutActors(actors: readonly string[], profile: Profile | undefined): GraphNode[] {
  const fixed: Record<string, { x: number; y: number }> = { john: { x: -COLUMN_GAP, y: 0 }, bob: { x: 0, y: 0 }, sun: { x: COLUMN_GAP, y: 0 } };
  const partners = actors.filter((a) => partnerNameOf(a) !== undefined);
  const devices = actors.filter((a) => deviceNameOf(a) !== undefined);
  const others = actors.filter((a) => !(a in fixed) && !partners.includes(a) && !devices.includes(a));
  // Positions are top-left corners (React Flow's); the numbers above are centres.
  const at = (id: string, centre: { x: number; y: number }): GraphNode => ({ id, actor: describeActor(id, profile), x: centre.x - NODE_WIDTH / 2, y: centre.y - NODE_HEIGHT / 2 });
  const row = (list: readonly string[], y: number): GraphNode[] => {
    // One item sits straight above or below Bob; several spread evenly around him.
    const start = (-(list.length - 1) * ROW_STEP) / 2;
    return list.map((a, i) => at(a, { x: start + i * ROW_STEP, y }));
  };
  const main = actors.filter((a) => a in fixed).map((a) => at(a, fixed[a]!));
  const gap = partners.length + others.length + devices.length >= CROWDED_FROM ? CROWDED_ROW_GAP : ROW_GAP;
  return [...main, ...row(devices, -gap), ...row([...partners, ...others], gap)];
}

/** The boxes the router works with: centre and half sizes. */
export function layoutNodes(nodes: readonly GraphNode[]): LayoutNode[] {
  return nodes.map((n) => ({ id: n.id, box: { cx: n.x + NODE_WIDTH / 2, cy: n.y + NODE_HEIGHT / 2, halfW: NODE_WIDTH / 2, halfH: NODE_HEIGHT / 2 } }));
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
  const imported = plan?.existingImported ?? false;
  const edges = flows.map((flow): GraphEdge => {
    const connectors = flow.connectors.map((id) => byId.get(id)).filter((c): c is PlannedConnector => c !== undefined);
    const shortLabel = shortConnectorName(connectors);
    const labelWidth = labelWidthFor([`⚠ ${statusLabel(flow.status, { imported })}`, shortLabel]);
    return { id: flowKey(flow.from, flow.to), flow, from: flow.from, to: flow.to, status: flow.status, label: connectorLabel(connectors), shortLabel, connectors, labelWidth };
  });
  return { nodes: layoutActors([...actors], profile), edges, imported };
}

/** The diagram as laid out for the screen (same boxes, curves and labels), as the plan's HTML export takes it. */
export function diagramForExport(nodes: readonly GraphNode[], edges: readonly GraphEdge[], imported: boolean): Diagram {
  const routes = routeFlows(layoutNodes(nodes), edges);
  return {
    nodes: nodes.map((n) => ({ x: n.x, y: n.y, width: NODE_WIDTH, height: NODE_HEIGHT, title: n.actor.title, subtitle: n.actor.subtitle })),
    edges: edges.flatMap((e) => {
      const route = routes.get(e.id);
      if (!route) return [];
      const look = statusLook(e.status, { imported });
      return [{ start: route.start, control: route.control, end: route.end, label: route.label, labelWidth: route.labelWidth, status: e.status, words: [`${look.icon} ${look.label}`, ...(e.shortLabel ? [e.shortLabel] : [])] }];
    }),
  };
}

/** Counts per status, for the summary line above the diagram. */
export function statusCounts(edges: readonly GraphEdge[]): Partial<Record<FlowStatus, number>> {
  const counts: Partial<Record<FlowStatus, number>> = {};
  for (const e of edges) counts[e.status] = (counts[e.status] ?? 0) + 1;
  return counts;
}

/**
 * The arrows drawn: all of them, or (when `showUnneeded` is off) all but the
 * flows that need no connector, which Office 365 handles by itself. A flow
 * picked in the list is always drawn, so selecting it never points at nothing.
 */
export function visibleEdges(edges: readonly GraphEdge[], showUnneeded: boolean, selected: string | undefined): GraphEdge[] {
  return edges.filter((e) => showUnneeded || e.status !== 'no-connector-needed' || e.id === selected);
}
