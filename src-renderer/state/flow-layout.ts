import type { FlowStatus, PlannedConnector } from '../../src-main/contract/planner';

/**
 * Where each arrow of the flow diagram runs and where its label sits. Pure
 * geometry, so it is tested without a browser and the React Flow edge only
 * draws what it is given.
 *
 * Why this is not left to React Flow: the diagram is nearly a complete graph
 * (every actor mails every other), the two directions of a pair must not be
 * drawn on top of each other, some pairs (John–Sun) have another box (Bob)
 * right between them, and with a dozen arrows the labels collide. So each
 * pair is routed as two gently curved arrows bowed apart, bent further where
 * a box is in the way (choosing the bend that crosses the fewest arrows
 * already drawn), and each label is slid along its own arrow until it
 * overlaps no other label and no box.
 */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A box by its centre and half sizes. */
export interface Box {
  readonly cx: number;
  readonly cy: number;
  readonly halfW: number;
  readonly halfH: number;
}

export interface LayoutNode {
  readonly id: string;
  readonly box: Box;
}

export interface LayoutEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly status: FlowStatus;
  /** The label's width, wide enough for its words (`labelWidthFor`); LABEL_WIDTH when not given. */
  readonly labelWidth?: number;
}

/** A quadratic curve: where it starts, bends towards and ends. */
export interface Curve {
  readonly start: Point;
  readonly control: Point;
  readonly end: Point;
}

/** One arrow: a quadratic curve from box border to box border, and its label's centre and width. */
export interface RoutedEdge {
  readonly id: string;
  readonly start: Point;
  readonly control: Point;
  readonly end: Point;
  readonly label: Point;
  readonly labelWidth: number;
  /**
   * Set for the two directions of a partner's pair: their labels sit as one
   * block between the two arrows, this one on top (`first`) or below.
   */
  readonly pairPart?: 'first' | 'second';
}

/** Label size in diagram units; the CSS gives `.flow-label` exactly this size. */
export const LABEL_WIDTH = 164;
export const LABEL_HEIGHT = 34;
/** How far each direction of a pair is bowed from the pair's middle line. */
export const PAIR_GAP = 24;
/** Space kept between an arrow and a box it does not touch. */
const NODE_MARGIN = 14;
/** Space between the arrow head and the box it points at. */
const HEAD_GAP = 3;
/** Bends tried for a pair, smallest first: the midpoint's distance from the straight line. */
const BENDS = [0, 45, -45, 90, -90, 135, -135, 185, -185, 240, -240];
/** Where along its arrow a label may sit, the middle first. */
const LABEL_STOPS = [0.5, ...[0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35].flatMap((d) => [0.5 - d, 0.5 + d])];
/** How far a label may move off its arrow, in label heights: on it first, then alternately either side. */
const NUDGES = [0, ...[0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4].flatMap((n) => [n, -n])];
/** Labels of the flows that need attention are placed first and so get the middle of their arrow. */
const LABEL_PRIORITY: Readonly<Record<FlowStatus, number>> = {
  'tls-failing': 0,
  'connector-missing': 1,
  'not-checked': 2,
  covered: 3,
  'not-possible': 4,
  'no-connector-needed': 5,
};

export function quadPoint(start: Point, control: Point, end: Point, t: number): Point {
  const u = 1 - t;
  return { x: u * u * start.x + 2 * u * t * control.x + t * t * end.x, y: u * u * start.y + 2 * u * t * control.y + t * t * end.y };
}

/** The control point of the part of a quadratic curve between t0 and t1 (its blossom). */
function subControl(start: Point, control: Point, end: Point, t0: number, t1: number): Point {
  const a = (1 - t0) * (1 - t1);
  const b = (1 - t0) * t1 + t0 * (1 - t1);
  const c = t0 * t1;
  return { x: a * start.x + b * control.x + c * end.x, y: a * start.y + b * control.y + c * end.y };
}

function mid(a: Point, b: Point): Point {
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

function inside(p: Point, box: Box, margin = 0): boolean {
  return Math.abs(p.x - box.cx) <= box.halfW + margin && Math.abs(p.y - box.cy) <= box.halfH + margin;
}

/**
 * The curve from centre to centre, bowed sideways by `bend` at its middle,
 * cut where it leaves the source box and where it reaches the target box
 * (so the arrow head is not hidden under a node).
 */
export function curveBetween(source: Box, target: Box, bend: number, normal: Point): Curve {
  const a = { x: source.cx, y: source.cy };
  const b = { x: target.cx, y: target.cy };
  const control = { x: (a.x + b.x) / 2 + 2 * bend * normal.x, y: (a.y + b.y) / 2 + 2 * bend * normal.y };
  const t0 = borderCrossing((t) => inside(quadPoint(a, control, b, t), source, 1), 0, 0.5);
  const t1 = borderCrossing((t) => inside(quadPoint(a, control, b, t), target, HEAD_GAP), 1, 0.5);
  return { start: quadPoint(a, control, b, t0), control: subControl(a, control, b, t0, t1), end: quadPoint(a, control, b, t1) };
}

/**
 * Where along the curve it leaves a box, walking from `from` (inside) towards
 * `limit`: a coarse walk to the first point outside, then halving to
 * sub-pixel precision.
 */
function borderCrossing(isInside: (t: number) => boolean, from: number, limit: number): number {
  const step = (limit - from) / 100;
  let outside = from;
  while (isInside(outside) && Math.abs(outside - from) < Math.abs(limit - from)) outside += step;
  if (outside === from) return from;
  let insideAt = outside - step;
  for (let i = 0; i < 20; i++) {
    const mid = (insideAt + outside) / 2;
    if (isInside(mid)) insideAt = mid;
    else outside = mid;
  }
  return outside;
}

export function polyline(curve: Curve, segments = 24): Point[] {
  return Array.from({ length: segments + 1 }, (_, i) => quadPoint(curve.start, curve.control, curve.end, i / segments));
}

function segmentsCross(p1: Point, p2: Point, p3: Point, p4: Point): boolean {
  const d = (p2.x - p1.x) * (p4.y - p3.y) - (p2.y - p1.y) * (p4.x - p3.x);
  if (d === 0) return false;
  const s = ((p3.x - p1.x) * (p4.y - p3.y) - (p3.y - p1.y) * (p4.x - p3.x)) / d;
  const t = ((p3.x - p1.x) * (p2.y - p1.y) - (p3.y - p1.y) * (p2.x - p1.x)) / d;
  return s > 0 && s < 1 && t > 0 && t < 1;
}

/** How many times two arrows (as polylines) cross. */
export function crossings(a: readonly Point[], b: readonly Point[]): number {
  let count = 0;
  for (let i = 1; i < a.length; i++) {
    for (let j = 1; j < b.length; j++) if (segmentsCross(a[i - 1]!, a[i]!, b[j - 1]!, b[j]!)) count++;
  }
  return count;
}

/** Whether an arrow runs through a box other than its own two. */
export function runsThrough(line: readonly Point[], box: Box): boolean {
  for (let i = 1; i < line.length; i++) {
    const p = line[i - 1]!;
    const q = line[i]!;
    for (let k = 0; k <= 4; k++) if (inside({ x: p.x + ((q.x - p.x) * k) / 4, y: p.y + ((q.y - p.y) * k) / 4 }, box, NODE_MARGIN)) return true;
  }
  return false;
}

function overlapArea(a: Box, b: Box): number {
  const w = Math.min(a.cx + a.halfW, b.cx + b.halfW) - Math.max(a.cx - a.halfW, b.cx - b.halfW);
  const h = Math.min(a.cy + a.halfH, b.cy + b.halfH) - Math.max(a.cy - a.halfH, b.cy - b.halfH);
  return w > 0 && h > 0 ? w * h : 0;
}

export function labelBox(p: Point, width: number = LABEL_WIDTH): Box {
  return { cx: p.x, cy: p.y, halfW: width / 2, halfH: LABEL_HEIGHT / 2 };
}

/** Roughly how wide 11 px text of this many characters is, in diagram units (bold status line or connector words). */
const CHAR_WIDTH = 6.4;
const LABEL_PADDING = 16;
/** A label wide enough for its longest line, so no name is ever cut: at least LABEL_WIDTH. */
export function labelWidthFor(lines: readonly string[]): number {
  const longest = Math.max(0, ...lines.map((l) => l.length));
  return Math.max(LABEL_WIDTH, Math.ceil(longest * CHAR_WIDTH + LABEL_PADDING));
}

/** Pairs whose two directions get one label block: a partner and the actor it exchanges mail with. */
function grouped(pair: { readonly a: string; readonly b: string; readonly edges: readonly LayoutEdge[] }): boolean {
  return pair.edges.length === 2 && (pair.a.startsWith('partner:') || pair.b.startsWith('partner:'));
}

/** Routes every edge and places every label (see the module comment). Edges whose ends are unknown are left out. */
export function routeFlows(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): Map<string, RoutedEdge> {
  const boxOf = new Map(nodes.map((n) => [n.id, n.box]));
  // Pairs of actors, each with the one or two directions drawn between them.
  const pairs = new Map<string, { a: string; b: string; edges: LayoutEdge[] }>();
  for (const e of edges) {
    if (!boxOf.has(e.from) || !boxOf.has(e.to) || e.from === e.to) continue;
    const [a, b] = e.from < e.to ? [e.from, e.to] : [e.to, e.from];
    const key = `${a}\u0000${b}`;
    const pair = pairs.get(key) ?? { a, b, edges: [] };
    pair.edges.push(e);
    pairs.set(key, pair);
  }

  const otherBoxes = (a: string, b: string) => nodes.filter((n) => n.id !== a && n.id !== b).map((n) => n.box);
  const straightIsClear = (p: { a: string; b: string }) => {
    const line = polyline(curveBetween(boxOf.get(p.a)!, boxOf.get(p.b)!, 0, { x: 0, y: 0 }));
    return otherBoxes(p.a, p.b).every((box) => !runsThrough(line, box));
  };
  // Pairs with a clear straight line first: they stay straight-ish, and the bent ones then avoid crossing them.
  const ordered = [...pairs.values()].map((p) => ({ ...p, clear: straightIsClear(p) })).sort((x, y) => Number(y.clear) - Number(x.clear));

  const curves = new Map<string, Curve>();
  const drawn: Point[][] = [];
  for (const pair of ordered) {
    const source = boxOf.get(pair.a)!;
    const target = boxOf.get(pair.b)!;
    const length = Math.hypot(target.cx - source.cx, target.cy - source.cy) || 1;
    const normal = { x: -(target.cy - source.cy) / length, y: (target.cx - source.cx) / length };
    const both = pair.edges.length > 1;
    const obstacles = otherBoxes(pair.a, pair.b);
    let best: { cost: number; routes: { edge: LayoutEdge; curve: Curve; line: Point[] }[] } | undefined;
    for (const bend of BENDS) {
      const routes = pair.edges.map((edge) => {
        // a→b bows to one side of the middle line, b→a to the other.
        const forward = edge.from === pair.a;
        const offset = bend + (both ? (forward ? PAIR_GAP : -PAIR_GAP) : 0);
        const curve = forward ? curveBetween(source, target, offset, normal) : curveBetween(target, source, -offset, { x: -normal.x, y: -normal.y });
        return { edge, curve, line: polyline(curve) };
      });
      // A crossing costs as much as 100 units of extra bend: bend around a box, but do not loop far out to dodge one line.
      let cost = Math.abs(bend) / 5;
      for (const r of routes) {
        cost += 1000 * obstacles.filter((box) => runsThrough(r.line, box)).length;
        cost += 20 * drawn.reduce((sum, other) => sum + crossings(r.line, other), 0);
      }
      if (!best || cost < best.cost) best = { cost, routes };
    }
    for (const r of best!.routes) {
      curves.set(r.edge.id, r.curve);
      drawn.push(r.line);
    }
  }

  /**
   * Labels: the flows that need attention first, each at the first stop along
   * its arrow that overlaps nothing. A partner's two directions are placed as
   * one block (two labels stacked) on the line between their two arrows, so
   * the pair reads as one and each direction stays readable.
   */
  const widthOf = (e: LayoutEdge) => e.labelWidth ?? LABEL_WIDTH;
  const units: { edges: LayoutEdge[]; priority: number; width: number; height: number; path: Curve }[] = [];
  for (const pair of pairs.values()) {
    const drawnEdges = pair.edges.filter((e) => curves.has(e.id));
    if (grouped(pair) && drawnEdges.length === 2) {
      const [one, other] = drawnEdges as [LayoutEdge, LayoutEdge];
      const c1 = curves.get(one.id)!;
      const c2 = curves.get(other.id)!;
      // The middle line between the two arrows (the second runs the other way: reverse it).
      const path = { start: mid(c1.start, c2.end), control: mid(c1.control, c2.control), end: mid(c1.end, c2.start) };
      const onTop = quadPoint(c1.start, c1.control, c1.end, 0.5).y <= quadPoint(c2.start, c2.control, c2.end, 0.5).y ? [one, other] : [other, one];
      units.push({ edges: onTop, priority: Math.min(LABEL_PRIORITY[one.status], LABEL_PRIORITY[other.status]), width: Math.max(widthOf(one), widthOf(other)), height: 2 * LABEL_HEIGHT, path });
    } else {
      for (const e of drawnEdges) units.push({ edges: [e], priority: LABEL_PRIORITY[e.status], width: widthOf(e), height: LABEL_HEIGHT, path: curves.get(e.id)! });
    }
  }
  units.sort((x, y) => x.priority - y.priority || y.edges.length - x.edges.length);
  const placed: Box[] = [];
  const nodeBoxes = nodes.map((n) => ({ ...n.box, halfW: n.box.halfW + 4, halfH: n.box.halfH + 4 }));
  const labels = new Map<string, { at: Point; width: number; part?: 'first' | 'second' }>();
  for (const unit of units) {
    const { path } = unit;
    const boxAt = (at: Point): Box => ({ cx: at.x, cy: at.y, halfW: unit.width / 2, halfH: unit.height / 2 });
    let best: { cost: number; at: Point } | undefined;
    // On the arrow if at all possible; else nudged just off it (up to four label heights), still beside its own arrow.
    search: for (const nudge of NUDGES) {
      for (const t of LABEL_STOPS) {
        const on = quadPoint(path.start, path.control, path.end, t);
        const after = quadPoint(path.start, path.control, path.end, Math.min(1, t + 0.01));
        const length = Math.hypot(after.x - on.x, after.y - on.y) || 1;
        const at = { x: on.x - ((after.y - on.y) / length) * nudge * LABEL_HEIGHT, y: on.y + ((after.x - on.x) / length) * nudge * LABEL_HEIGHT };
        const box = boxAt(at);
        const cost = [...placed, ...nodeBoxes].reduce((sum, other) => sum + overlapArea(box, other), 0) + Math.abs(nudge);
        if (!best || cost < best.cost) best = { cost, at };
        if (cost === Math.abs(nudge)) break search;
      }
    }
    const at = best!.at;
    placed.push(boxAt(at));
    if (unit.edges.length === 2) {
      labels.set(unit.edges[0]!.id, { at: { x: at.x, y: at.y - LABEL_HEIGHT / 2 }, width: unit.width, part: 'first' });
      labels.set(unit.edges[1]!.id, { at: { x: at.x, y: at.y + LABEL_HEIGHT / 2 }, width: unit.width, part: 'second' });
    } else labels.set(unit.edges[0]!.id, { at, width: unit.width });
  }

  const routed = new Map<string, RoutedEdge>();
  for (const e of edges) {
    const curve = curves.get(e.id);
    const label = labels.get(e.id);
    if (curve && label) routed.set(e.id, { id: e.id, ...curve, label: label.at, labelWidth: label.width, ...(label.part ? { pairPart: label.part } : {}) });
  }
  return routed;
}

/** The SVG path of an arrow. */
export function edgePath(route: Pick<RoutedEdge, 'start' | 'control' | 'end'>): string {
  const r = (n: number) => Math.round(n * 10) / 10;
  return `M ${r(route.start.x)},${r(route.start.y)} Q ${r(route.control.x)},${r(route.control.y)} ${r(route.end.x)},${r(route.end.y)}`;
}

/**
 * A few words for an arrow's label: what kind of connector and whom it
 * serves ("Inbound from EX2013", "Outbound to ContosoBank"), from the typed
 * connector, never parsed from its name; the full names are in the label's
 * tooltip, the flow list and the details panel.
 */
export function shortConnectorName(connectors: readonly Pick<PlannedConnector, 'spec' | 'serves'>[]): string {
  if (connectors.length === 0) return '';
  if (connectors.length > 1) {
    const kinds = new Set(connectors.map((c) => c.spec.direction));
    return kinds.size > 1 ? 'Inbound + outbound' : `${connectors.length} ${kinds.has('inbound') ? 'inbound' : 'outbound'} connectors`;
  }
  const c = connectors[0]!;
  const inbound = c.spec.direction === 'inbound';
  const whom = c.serves.name ?? (c.serves.kind === 'own-server' ? 'your server' : undefined);
  if (whom === undefined) return inbound ? 'Inbound connector' : 'Outbound connector';
  return inbound ? `Inbound from ${whom}` : `Outbound to ${whom}`;
}

/** The rectangle holding every box, arrow and label: what the diagram zooms to fit (React Flow's own fit sees only the boxes). */
export function diagramBounds(nodes: readonly LayoutNode[], routes: Iterable<RoutedEdge>): { x: number; y: number; width: number; height: number } {
  const boxes: Box[] = nodes.map((n) => n.box);
  for (const r of routes) {
    boxes.push(labelBox(r.label, r.labelWidth));
    for (const p of polyline(r, 12)) boxes.push({ cx: p.x, cy: p.y, halfW: 0, halfH: 0 });
  }
  if (boxes.length === 0) return { x: 0, y: 0, width: 1, height: 1 };
  const left = Math.min(...boxes.map((b) => b.cx - b.halfW));
  const right = Math.max(...boxes.map((b) => b.cx + b.halfW));
  const top = Math.min(...boxes.map((b) => b.cy - b.halfH));
  const bottom = Math.max(...boxes.map((b) => b.cy + b.halfH));
  return { x: left, y: top, width: right - left, height: bottom - top };
}
