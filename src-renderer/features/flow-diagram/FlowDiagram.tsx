import { useEffect, useMemo, useState } from 'react';
import {
  BaseEdge,
  Controls,
  EdgeLabelRenderer,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  type Edge,
  type EdgeMarker,
  type EdgeProps,
  type Node,
  type NodeProps,
  type ReactFlowInstance,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { FlowStatus } from '../../../src-main/contract/planner';
import type { GraphEdge, GraphNode } from '../../state/flow-graph';
import { layoutNodes, NODE_HEIGHT, NODE_WIDTH } from '../../state/flow-graph';
import { diagramBounds, edgePath, LABEL_HEIGHT, routeFlows, type RoutedEdge } from '../../state/flow-layout';
import { actorName, actorSlug } from '../../state/actors';
import { FLOW_STATUS_LOOK, statusLook } from '../../state/flow-status';

/**
 * The John/Bob/Sun diagram: actors as nodes, every flow as an arrow labelled
 * with its status (colour, icon and words) and a short connector name.
 * The geometry comes from `routeFlows` (pure, tested); this only draws it.
 * Clicking an arrow or its label selects the flow; the flow list beside it
 * offers the same to the keyboard.
 */
type ActorNode = Node<{ node: GraphNode }, 'actor'>;
type FlowEdge = Edge<{ edge: GraphEdge; route: RoutedEdge; selected: boolean; imported: boolean; onSelect: (key: string) => void }, 'flow'>;

/** The status colour as a CSS variable, so arrow, head and label follow light and dark mode together. */
export function statusColour(status: FlowStatus): string {
  return `var(--${FLOW_STATUS_LOOK[status].tone})`;
}

/** The arrow head, filled with the status colour (React Flow makes one marker per distinct colour). */
export function edgeMarker(status: FlowStatus): EdgeMarker {
  return { type: MarkerType.ArrowClosed, color: statusColour(status), width: 18, height: 18, markerUnits: 'userSpaceOnUse', strokeWidth: 1 };
}

function ActorNodeView({ data }: NodeProps<ActorNode>) {
  const { actor } = data.node;
  return (
    <div className={`actor-node actor-${actor.kind}`} data-testid={`flow-node-${actorSlug(actor.id)}`} style={{ width: NODE_WIDTH, height: NODE_HEIGHT }}>
      <Handle type="target" position={Position.Top} className="actor-handle" isConnectable={false} />
      <div className="actor-title">{actor.title}</div>
      <div className="actor-subtitle">{actor.subtitle}</div>
      <Handle type="source" position={Position.Bottom} className="actor-handle" isConnectable={false} />
    </div>
  );
}

function FlowEdgeView({ id, data, markerEnd }: EdgeProps<FlowEdge>) {
  if (!data) return null;
  const { edge, route, selected, imported } = data;
  const look = statusLook(edge.status, { imported });
  const connectorWords = edge.connectors.length > 0 ? edge.label : 'no connector';
  return (
    <>
      <BaseEdge id={id} path={edgePath(route)} markerEnd={markerEnd} interactionWidth={14} className={`flow-path status-${look.tone}${selected ? ' selected' : ''}`} />
      <EdgeLabelRenderer>
        <button
          type="button"
          className={`flow-label nodrag nopan status-${look.tone}${selected ? ' selected' : ''}${route.pairPart ? ` pair-${route.pairPart}` : ''}`}
          style={{ width: route.labelWidth, height: LABEL_HEIGHT, transform: `translate(-50%, -50%) translate(${route.label.x}px, ${route.label.y}px)` }}
          data-testid={id}
          data-status={edge.status}
          data-label-x={Math.round(route.label.x)}
          data-label-y={Math.round(route.label.y)}
          aria-pressed={selected}
          title={`${edge.label}: ${look.label}`}
          aria-label={`${actorName(edge.from)} to ${actorName(edge.to)}: ${connectorWords}, ${look.label}`}
          onClick={() => data.onSelect(id)}
        >
          <span className="flow-label-status">
            <span aria-hidden="true">{look.icon}</span> {look.label}
          </span>
          {edge.shortLabel && <span className="flow-label-connector">{edge.shortLabel}</span>}
        </button>
      </EdgeLabelRenderer>
    </>
  );
}

/**
 * Handles given up front (as for server rendering): the arrows are routed by
 * `routeFlows`, not from measured handles, so they can be drawn at once, also
 * where nothing is measured (the jsdom tests).
 */
const CENTRE_HANDLES: NonNullable<ActorNode['handles']> = [
  { type: 'target', position: Position.Top, x: NODE_WIDTH / 2, y: NODE_HEIGHT / 2, width: 1, height: 1 },
  { type: 'source', position: Position.Bottom, x: NODE_WIDTH / 2, y: NODE_HEIGHT / 2, width: 1, height: 1 },
];

/** Rows of labels (by their centre, in label heights), then left to right within a row. */
export function readingOrder<T extends { readonly route: Pick<RoutedEdge, 'label'> }>(items: readonly T[]): T[] {
  const row = (i: T) => Math.round(i.route.label.y / LABEL_HEIGHT);
  return [...items].sort((a, b) => row(a) - row(b) || a.route.label.x - b.route.label.x);
}

const nodeTypes = { actor: ActorNodeView };
const edgeTypes = { flow: FlowEdgeView };

export function FlowDiagram({
  nodes: graphNodes,
  edges: graphEdges,
  imported,
  selected,
  centreSelected = false,
  onSelect,
}: {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** The plan's `existingImported`: picks the words for `connector-missing` (see `statusLook`). */
  readonly imported: boolean;
  readonly selected: string | undefined;
  /** True when the selection came from outside the diagram (the list, Diagnose): the diagram then centres on it. */
  readonly centreSelected?: boolean;
  readonly onSelect: (key: string) => void;
}) {
  const routes = useMemo(() => routeFlows(layoutNodes(graphNodes), graphEdges), [graphNodes, graphEdges]);
  const nodes = useMemo<ActorNode[]>(
    () => graphNodes.map((n) => ({ id: n.id, type: 'actor', position: { x: n.x, y: n.y }, data: { node: n }, draggable: false, selectable: false, width: NODE_WIDTH, height: NODE_HEIGHT, handles: CENTRE_HANDLES })),
    [graphNodes],
  );
  const edges = useMemo<FlowEdge[]>(
    () =>
      // In reading order (top to bottom, then left to right), so Tab visits the labels as they are read.
      readingOrder(graphEdges.flatMap((e) => {
        const route = routes.get(e.id);
        return route ? [{ e, route }] : [];
      })).map(({ e, route }): FlowEdge => ({ id: e.id, type: 'flow', source: e.from, target: e.to, markerEnd: edgeMarker(e.status), data: { edge: e, route, selected: e.id === selected, imported, onSelect }, focusable: false, zIndex: e.id === selected ? 1 : 0 })),
    [graphEdges, routes, selected, imported, onSelect],
  );
  const bounds = useMemo(() => diagramBounds(layoutNodes(graphNodes), routes.values()), [graphNodes, routes]);
  const [flow, setFlow] = useState<ReactFlowInstance<ActorNode, FlowEdge>>();
  // Zoom to the boxes AND the bent arrows and labels, whenever they change (the toggle, a new profile).
  useEffect(() => {
    void flow?.fitBounds(bounds, { padding: 0.03 });
  }, [flow, bounds]);
  // A flow picked outside the diagram is brought to the middle, at a zoom where its label reads.
  const selectedLabel = selected ? routes.get(selected)?.label : undefined;
  useEffect(() => {
    if (!flow || !centreSelected || !selectedLabel) return;
    void flow.setCenter(selectedLabel.x, selectedLabel.y, { zoom: Math.max(flow.getZoom(), 1), duration: 250 });
  }, [flow, centreSelected, selectedLabel]);
  return (
    <div className="flow-diagram" data-testid="flow-diagram" role="figure" aria-label="Mail flow diagram: who sends mail to whom, and the connector each flow needs">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onInit={setFlow}
        nodesConnectable={false}
        nodesDraggable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        elementsSelectable={false}
        zoomOnScroll={false}
        preventScrolling={false}
        onEdgeClick={(_, edge) => onSelect(edge.id)}
        proOptions={{ hideAttribution: true }}
        minZoom={0.2}
        maxZoom={2.5}
      >
        <Controls showInteractive={false} onFitView={() => void flow?.fitBounds(bounds, { padding: 0.03, duration: 200 })} aria-label="Zoom the diagram" />
      </ReactFlow>
    </div>
  );
}
