import { describe, expect, it } from 'vitest';
import type { FlowStatus } from '../../src-main/contract/planner';
import { buildFlowGraph, layoutActors, layoutNodes, visibleEdges, type GraphEdge } from '../../src-renderer/state/flow-graph';
import { crossings, curveBetween, LABEL_HEIGHT, LABEL_WIDTH, labelBox, labelWidthFor, polyline, routeFlows, runsThrough, shortConnectorName, type LayoutEdge, type RoutedEdge } from '../../src-renderer/state/flow-layout';
import { edgeMarker, statusColour } from '../../src-renderer/features/flow-diagram/FlowDiagram';
import { EXAMPLE_PROFILE } from '../../src-renderer/features/plan/example-profile';
import { examplePlan } from './support/fixtures';
import type { PlannedConnector } from '../../src-main/contract/planner';

/** The article's organisation: John, Bob, Sun, ContosoBank and a printer. */
const ACTORS = ['john', 'bob', 'sun', 'partner:ContosoBank', 'device:Printer 2nd floor'];
const NODES = layoutNodes(layoutActors(ACTORS, EXAMPLE_PROFILE));
const boxOf = (id: string) => NODES.find((n) => n.id === id)!.box;

/** Every actor mailing every other: 20 arrows, more than any real plan of this organisation draws. */
const EVERY_FLOW: LayoutEdge[] = ACTORS.flatMap((from, i) =>
  ACTORS.filter((to) => to !== from).map((to, j): LayoutEdge => ({ id: `${from}>${to}`, from, to, status: (['connector-missing', 'no-connector-needed', 'tls-failing', 'covered'] as const)[(i + j) % 4]! })),
);
/** The flows the planner gives the article's organisation, and their statuses (see connectors-overview.txt). */
const PLANNED: LayoutEdge[] = (
  [
    ['john', 'bob', 'connector-missing'], ['john', 'sun', 'connector-missing'], ['john', 'partner:ContosoBank', 'connector-missing'],
    ['bob', 'john', 'connector-missing'], ['bob', 'sun', 'no-connector-needed'], ['bob', 'partner:ContosoBank', 'connector-missing'],
    ['sun', 'john', 'connector-missing'], ['sun', 'bob', 'no-connector-needed'], ['sun', 'partner:ContosoBank', 'no-connector-needed'],
    ['partner:ContosoBank', 'john', 'connector-missing'], ['partner:ContosoBank', 'bob', 'connector-missing'], ['partner:ContosoBank', 'sun', 'no-connector-needed'],
    ['device:Printer 2nd floor', 'john', 'connector-missing'], ['device:Printer 2nd floor', 'bob', 'no-connector-needed'],
    ['device:Printer 2nd floor', 'sun', 'not-possible'], ['device:Printer 2nd floor', 'partner:ContosoBank', 'not-possible'],
  ] as const
).map(([from, to, status]) => ({ id: `${from}>${to}`, from, to, status: status as FlowStatus }));

function overlaps(a: ReturnType<typeof labelBox>, b: ReturnType<typeof labelBox>): boolean {
  return Math.abs(a.cx - b.cx) < a.halfW + b.halfW && Math.abs(a.cy - b.cy) < a.halfH + b.halfH;
}

function expectReadable(routes: Map<string, RoutedEdge>, edges: readonly LayoutEdge[]): void {
  expect([...routes.keys()].sort()).toEqual(edges.map((e) => e.id).sort());
  const all = [...routes.values()];
  all.forEach((r, i) => {
    const edge = edges.find((e) => e.id === r.id)!;
    // No label on another label or on a box.
    for (const other of all.slice(i + 1)) expect(overlaps(labelBox(r.label), labelBox(other.label)), `${r.id} / ${other.id}`).toBe(false);
    for (const n of NODES) expect(overlaps(labelBox(r.label), n.box), `${r.id} label on ${n.id}`).toBe(false);
    // No arrow through a box it does not connect.
    for (const n of NODES.filter((x) => x.id !== edge.from && x.id !== edge.to)) expect(runsThrough(polyline(r), n.box), `${r.id} through ${n.id}`).toBe(false);
  });
}

describe('flow diagram routing', () => {
  it('draws the two directions of a pair as two arrows bowed apart, each label on its own arrow', () => {
    const routes = routeFlows(NODES, PLANNED);
    for (const [a, b] of [['john', 'bob'], ['bob', 'partner:ContosoBank'], ['john', 'sun']] as const) {
      const there = routes.get(`${a}>${b}`)!;
      const back = routes.get(`${b}>${a}`)!;
      // Arrows run the right way: from near the source box to near the target box.
      expect(Math.hypot(there.start.x - boxOf(a).cx, there.start.y - boxOf(a).cy)).toBeLessThan(Math.hypot(there.end.x - boxOf(a).cx, there.end.y - boxOf(a).cy));
      expect(Math.hypot(there.label.x - back.label.x, there.label.y - back.label.y)).toBeGreaterThan(30);
      expect(overlaps(labelBox(there.label), labelBox(back.label))).toBe(false);
      // Each pair's arrows never cross each other.
      expect(crossings(polyline(there), polyline(back))).toBe(0);
    }
  });

  it('bends John–Sun around Bob instead of through him', () => {
    const straight = polyline(curveBetween(boxOf('john'), boxOf('sun'), 0, { x: 0, y: 1 }));
    expect(runsThrough(straight, boxOf('bob'))).toBe(true);
    const routes = routeFlows(NODES, PLANNED);
    expect(runsThrough(polyline(routes.get('john>sun')!), boxOf('bob'))).toBe(false);
    expect(runsThrough(polyline(routes.get('sun>john')!), boxOf('bob'))).toBe(false);
  });

  it('starts and ends each arrow at the box borders, so the heads are not under the boxes', () => {
    const routes = routeFlows(NODES, PLANNED);
    for (const edge of PLANNED) {
      const r = routes.get(edge.id)!;
      const from = boxOf(edge.from);
      const to = boxOf(edge.to);
      const outside = (p: { x: number; y: number }, b: typeof from) => Math.abs(p.x - b.cx) > b.halfW || Math.abs(p.y - b.cy) > b.halfH;
      expect(outside(r.end, to)).toBe(true);
      expect(outside(r.start, from)).toBe(true);
      // ...but close to them (within a few units of the border).
      const gap = (p: { x: number; y: number }, b: typeof from) => Math.max(Math.abs(p.x - b.cx) - b.halfW, Math.abs(p.y - b.cy) - b.halfH);
      expect(gap(r.end, to)).toBeLessThan(8);
      expect(gap(r.start, from)).toBeLessThan(4);
    }
  });

  it('keeps every label off every other label and every box: the planned flows, with and without those that need no connector', () => {
    expectReadable(routeFlows(NODES, PLANNED), PLANNED);
    const needingAttention = PLANNED.filter((e) => e.status !== 'no-connector-needed');
    expectReadable(routeFlows(NODES, needingAttention), needingAttention);
  });

  it('still keeps labels apart with every actor mailing every other', () => {
    expectReadable(routeFlows(NODES, EVERY_FLOW), EVERY_FLOW);
  });

  it('keeps a larger organisation readable: three partners and two devices, the flows that need a connector', () => {
    const partners = ['partner:ContosoBank', 'partner:Fabrikam', 'partner:Woodgrove'];
    const devices = ['device:Printer', 'device:CRM app'];
    const actors = ['john', 'bob', 'sun', ...partners, ...devices];
    const nodes = layoutNodes(layoutActors(actors, undefined));
    const flow = (from: string, to: string, status: FlowStatus): LayoutEdge => ({ id: `${from}>${to}`, from, to, status });
    // As the planner draws them for such an organisation (connectors-overview.txt), without the flows that need none.
    const edges = [
      flow('john', 'bob', 'connector-missing'), flow('bob', 'john', 'connector-missing'), flow('john', 'sun', 'connector-missing'), flow('sun', 'john', 'connector-missing'),
      ...partners.flatMap((p) => [flow('john', p, 'connector-missing'), flow(p, 'john', 'connector-missing'), flow('bob', p, 'tls-failing'), flow(p, 'bob', 'connector-missing')]),
      ...devices.flatMap((d) => [flow(d, 'john', 'connector-missing'), flow(d, 'sun', 'not-possible'), ...partners.map((p) => flow(d, p, 'not-possible'))]),
    ];
    const routes = routeFlows(nodes, edges);
    expect(routes.size).toBe(edges.length);
    const all = [...routes.values()];
    all.forEach((r, i) => {
      const edge = edges.find((e) => e.id === r.id)!;
      for (const other of all.slice(i + 1)) expect(overlaps(labelBox(r.label), labelBox(other.label)), `${r.id} / ${other.id}`).toBe(false);
      for (const n of nodes) expect(overlaps(labelBox(r.label), n.box), `${r.id} label on ${n.id}`).toBe(false);
      for (const n of nodes.filter((x) => x.id !== edge.from && x.id !== edge.to)) expect(runsThrough(polyline(r), n.box), `${r.id} through ${n.id}`).toBe(false);
    });
  });

  it('puts the labels of flows that need attention at the middle of their arrow', () => {
    const routes = routeFlows(NODES, [PLANNED[0]!]);
    const r = routes.get(PLANNED[0]!.id)!;
    const middle = { x: 0.25 * r.start.x + 0.5 * r.control.x + 0.25 * r.end.x, y: 0.25 * r.start.y + 0.5 * r.control.y + 0.25 * r.end.y };
    expect(r.label.x).toBeCloseTo(middle.x);
    expect(r.label.y).toBeCloseTo(middle.y);
  });

  it('leaves out arrows to actors that are not on the diagram', () => {
    expect(routeFlows(NODES, [{ id: 'x', from: 'john', to: 'nobody', status: 'covered' }]).size).toBe(0);
  });

  it('spreads several partners and devices in rows below and above Bob', () => {
    const nodes = layoutActors(['john', 'bob', 'sun', 'partner:A', 'partner:B', 'partner:C', 'device:Scanner', 'device:CRM'], undefined);
    const at = (id: string) => nodes.find((n) => n.id === id)!;
    expect(new Set(['partner:A', 'partner:B', 'partner:C'].map((p) => at(p).y)).size).toBe(1);
    expect(at('partner:A').x).toBeLessThan(at('partner:B').x);
    expect(at('partner:B').x).toBe(at('bob').x);
    expect(at('device:Scanner').y).toBeLessThan(at('bob').y);
  });
});

describe('arrow labels and heads', () => {
  it('names the connector briefly: its kind and where it points', () => {
    const [ownIn, , bankOut] = examplePlan().connectors;
    expect(shortConnectorName([ownIn!])).toBe('Inbound from EX2013');
    expect(shortConnectorName([bankOut!])).toBe('Outbound to ContosoBank');
    // Labels come from whom the connector serves, never from its name.
    const renamed: PlannedConnector = { ...bankOut!, name: 'Legacy relay' };
    expect(shortConnectorName([renamed])).toBe('Outbound to ContosoBank');
    const backToBasics: PlannedConnector = { ...bankOut!, serves: { kind: 'partner', name: 'Back to Basics Ltd' }, name: 'From Office 365 to Back to Basics Ltd' };
    expect(shortConnectorName([backToBasics])).toBe('Outbound to Back to Basics Ltd');
    expect(shortConnectorName([ownIn!, bankOut!])).toBe('Inbound + outbound');
    expect(shortConnectorName([])).toBe('');
  });

  it('keeps the full connector names for the tooltip, the list and the details', () => {
    const graph = buildFlowGraph(EXAMPLE_PROFILE, examplePlan());
    const johnBob = graph.edges.find((e) => e.id === 'flow-edge-john-bob')!;
    expect(johnBob.label).toBe('From EX2013 to Office 365');
    expect(johnBob.shortLabel).toBe('Inbound from EX2013');
  });

  it('colours each arrow head by its status, one colour per status', () => {
    const statuses: FlowStatus[] = ['covered', 'connector-missing', 'tls-failing', 'not-checked', 'no-connector-needed', 'not-possible'];
    expect(edgeMarker('connector-missing').color).toBe('var(--fail)');
    expect(edgeMarker('covered').color).toBe('var(--ok)');
    expect(edgeMarker('tls-failing').color).toBe('var(--warn)');
    expect(new Set(statuses.map((s) => edgeMarker(s).color)).size).toBe(statuses.length);
    for (const s of statuses) expect(edgeMarker(s).color).toBe(statusColour(s));
  });
});

describe('flows that need no connector', () => {
  const edge = (id: string, status: FlowStatus) => ({ id, status }) as GraphEdge;
  const edges = [edge('a', 'connector-missing'), edge('b', 'no-connector-needed'), edge('c', 'no-connector-needed'), edge('d', 'not-possible')];

  it('are left out of the drawing unless asked for', () => {
    expect(visibleEdges(edges, false, undefined).map((e) => e.id)).toEqual(['a', 'd']);
    expect(visibleEdges(edges, true, undefined).map((e) => e.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('are drawn when picked in the list, so a selection never points at nothing', () => {
    expect(visibleEdges(edges, false, 'c').map((e) => e.id)).toEqual(['a', 'c', 'd']);
  });
});

describe('the diagram of a realistic organisation (3 own servers, 5 partners, 3 devices)', () => {
  const partners = ['ContosoBank', 'Fabrikam Insurance', 'Back to Basics Ltd', 'Northwind Traders', 'Woodgrove Bank'].map((p) => `partner:${p}`);
  const devices = ['Printer 2nd floor', 'Scanner', 'Invoice app'].map((d) => `device:${d}`);
  const actors = ['john', 'bob', 'sun', ...partners, ...devices];
  const nodes = layoutNodes(layoutActors(actors, undefined));
  /** The flows such a plan draws, each label as wide as its words (the longest partner name included). */
  const edge = (from: string, to: string, status: FlowStatus, words: string): LayoutEdge => ({ id: `${from}>${to}`, from, to, status, labelWidth: labelWidthFor(['⚠ Connector needed', words]) });
  const flows: LayoutEdge[] = [
    edge('john', 'bob', 'connector-missing', 'Inbound from EX2016, EX2019 and Postfix'),
    edge('bob', 'john', 'connector-missing', 'Outbound to EX2016, EX2019 and Postfix'),
    edge('john', 'sun', 'connector-missing', 'Inbound from EX2016'),
    edge('sun', 'john', 'connector-missing', 'Outbound to EX2016'),
    edge('bob', 'sun', 'no-connector-needed', ''),
    edge('sun', 'bob', 'no-connector-needed', ''),
    ...partners.flatMap((p, i) => {
      const name = p.slice('partner:'.length);
      return [
        edge(p, 'bob', i % 2 ? 'tls-failing' : 'connector-missing', `Inbound from ${name}`),
        edge('bob', p, 'connector-missing', `Outbound to ${name}`),
        edge(p, 'john', 'connector-missing', `Inbound from ${name}`),
        edge('john', p, 'connector-missing', `Outbound to ${name}`),
      ];
    }),
    ...devices.flatMap((d) => [edge(d, 'john', 'connector-missing', 'Relay connector'), edge(d, 'bob', 'no-connector-needed', ''), edge(d, 'sun', 'not-possible', '')]),
  ];

  /** Overlapping by more than half a pixel (a pair's two labels touch exactly; rounding must not count). */
  const overlapsBy = (a: ReturnType<typeof labelBox>, b: ReturnType<typeof labelBox>) => a.halfW + b.halfW - Math.abs(a.cx - b.cx) > 0.5 && a.halfH + b.halfH - Math.abs(a.cy - b.cy) > 0.5;

  /** Label boxes that overlap another label or a box: the count must be zero. */
  function overlapsIn(routes: Map<string, RoutedEdge>): string[] {
    const all = [...routes.values()];
    const boxes = all.map((r) => ({ id: r.id, box: labelBox(r.label, r.labelWidth) }));
    const found: string[] = [];
    boxes.forEach((a, i) => {
      for (const b of boxes.slice(i + 1)) if (overlapsBy(a.box, b.box)) found.push(`${a.id} / ${b.id}`);
      for (const n of nodes) if (overlapsBy(a.box, n.box)) found.push(`${a.id} on ${n.id}`);
    });
    return found;
  }

  it.each([
    ['as first drawn (flows that need no connector left out)', flows.filter((f) => f.status !== 'no-connector-needed')],
    ['with every flow drawn', flows],
  ])('has no overlapping label boxes %s', (_, shown) => {
    expect(shown.length).toBeGreaterThanOrEqual(17);
    const routes = routeFlows(nodes, shown);
    expect(routes.size).toBe(shown.length);
    expect(overlapsIn(routes)).toEqual([]);
  });

  it('keeps each label on or beside its own arrow, and a partner’s two directions as one block of two labels', () => {
    const routes = routeFlows(nodes, flows);
    for (const p of partners) {
      const inbound = routes.get(`${p}>bob`)!;
      const outbound = routes.get(`bob>${p}`)!;
      expect([inbound.pairPart, outbound.pairPart].sort()).toEqual(['first', 'second']);
      // Stacked: same centre line, touching, one above the other.
      expect(inbound.label.x).toBeCloseTo(outbound.label.x);
      expect(Math.abs(inbound.label.y - outbound.label.y)).toBeCloseTo(LABEL_HEIGHT);
    }
    for (const r of routes.values()) {
      const distance = Math.min(...polyline(r, 48).map((p) => Math.hypot(p.x - r.label.x, p.y - r.label.y)));
      expect(distance, r.id).toBeLessThan(5 * LABEL_HEIGHT);
    }
  });

  it('makes every label wide enough for its words, so no name is cut', () => {
    expect(labelWidthFor(['⚠ TLS failing', 'Outbound to Back to Basics Ltd'])).toBeGreaterThan(LABEL_WIDTH);
    expect(labelWidthFor(['✓ Covered', 'Inbound'])).toBe(LABEL_WIDTH);
    const routes = routeFlows(nodes, flows);
    for (const f of flows) expect(routes.get(f.id)!.labelWidth).toBeGreaterThanOrEqual(f.labelWidth!);
  });
});
