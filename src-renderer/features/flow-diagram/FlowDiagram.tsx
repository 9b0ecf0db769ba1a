import { useMemo } from 'react';
import {
  BaseEdge,
  EdgeLabelRenderer,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  useInternalNode,
  type Edge,
  type EdgeProps,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { FlowGraph, GraphEdge, GraphNode } from '../../state/flow-graph';
import { edgeSegment, labelPoint, NODE_HEIGHT, NODE_WIDTH } from '../../state/flow-graph';
import { actorSlug } from '../../state/actors';
import { FLOW_STATUS_LOOK } from '../../state/flow-status';

/**
 * The John/Bob/Sun diagram: actors as nodes, every flow as an arrow labelled
 * with its connector and its status (colour, icon and words). Clicking an
 * arrow or its label selects the flow; the flow list beside it offers the same
 * to the keyboard.
 */
type ActorNode = Node<{ node: GraphNode }, 'actor'>;
type FlowEdge = Edge<{ edge: GraphEdge; selected: boolean; onSelect: (key: string) => void }, 'flow'>;

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

function FlowEdgeView({ id, source, target, data, markerEnd }: EdgeProps<FlowEdge>) {
  const from = useInternalNode(source);
  const to = useInternalNode(target);
  if (!from || !to || !data) return null;
  const center = (n: typeof from) => ({
    x: n.internals.positionAbsolute.x + (n.measured.width ?? NODE_WIDTH) / 2,
    y: n.internals.positionAbsolute.y + (n.measured.height ?? NODE_HEIGHT) / 2,
  });
  const segment = edgeSegment(center(from), center(to));
  const label = labelPoint(segment);
  const look = FLOW_STATUS_LOOK[data.edge.status];
  const path = `M ${segment.start.x},${segment.start.y} L ${segment.end.x},${segment.end.y}`;
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={`flow-path status-${look.tone}${data.selected ? ' selected' : ''}`} />
      <EdgeLabelRenderer>
        <button
          type="button"
          className={`flow-label nodrag nopan status-${look.tone}${data.selected ? ' selected' : ''}`}
          style={{ transform: `translate(-50%, -50%) translate(${label.x}px, ${label.y}px)` }}
          data-testid={id}
          data-status={data.edge.status}
          aria-pressed={data.selected}
          title={`${data.edge.label}: ${look.label}`}
          aria-label={`${data.edge.from} to ${data.edge.to}: ${data.edge.label}, ${look.label}`}
          onClick={() => data.onSelect(id)}
        >
          <span className="flow-label-connector">{data.edge.label}</span>
          <span className="flow-label-status">
            <span aria-hidden="true">{look.icon}</span> {look.label}
          </span>
        </button>
      </EdgeLabelRenderer>
    </>
  );
}

const nodeTypes = { actor: ActorNodeView };
const edgeTypes = { flow: FlowEdgeView };

export function FlowDiagram({ graph, selected, onSelect }: { readonly graph: FlowGraph; readonly selected: string | undefined; readonly onSelect: (key: string) => void }) {
  const nodes = useMemo<ActorNode[]>(
    () => graph.nodes.map((n) => ({ id: n.id, type: 'actor', position: { x: n.x, y: n.y }, data: { node: n }, draggable: false, selectable: false, width: NODE_WIDTH, height: NODE_HEIGHT })),
    [graph],
  );
  const edges = useMemo<FlowEdge[]>(
    () =>
      graph.edges.map((e) => ({
        id: e.id,
        type: 'flow',
        source: e.from,
        target: e.to,
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
        data: { edge: e, selected: e.id === selected, onSelect },
        focusable: false,
      })),
    [graph, selected, onSelect],
  );
  return (
    <div className="flow-diagram" data-testid="flow-diagram" role="figure" aria-label="Mail flow diagram: who sends mail to whom, and the connector each flow needs">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        fitView
        fitViewOptions={{ padding: 0.12 }}
        nodesConnectable={false}
        nodesDraggable={false}
        elementsSelectable={false}
        zoomOnScroll={false}
        preventScrolling={false}
        onEdgeClick={(_, edge) => onSelect(edge.id)}
        proOptions={{ hideAttribution: true }}
        minZoom={0.3}
      />
    </div>
  );
}
