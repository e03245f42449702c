// The physical plan of a SQL execution drawn as SVG: one box per node (name and metrics),
// arrows from each edge's fromId to its toId, laid out top to bottom in layers: a node's rank
// is the longest path reaching it, and nodes of a rank are ordered by id. Nodes compiled into
// one WholeStageCodegen stage (wholeStageCodegenId) sit in a dashed frame named after it, as in
// Spark's UI; the plan's own "WholeStageCodegen (N)" nodes (no edges, a duration metric) are not
// boxes but give their frame its label. Elements are made
// with createElementNS and setAttribute, and text is textContent: nothing is parsed as markup.

const SVG = "http://www.w3.org/2000/svg";
const BOX_WIDTH = 300;
const TITLE_HEIGHT = 24;
const LINE_HEIGHT = 16;
const PAD = 8;
const GAP_X = 30;
const GAP_Y = 44;
const MAX_CHARS = 44;
const FRAME_PAD = 6;

function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function clip(text) {
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text;
}

// Spark writes some metrics as "total (min, med, max ...)\n5 ms (1 ms, ...)": keep the total.
export function metricLine(m) {
  const value = String(m.value ?? "");
  const lines = value.split("\n");
  const shown = lines.length > 1 ? lines[1].replace(/\s*\(.*$/, "") : value;
  return `${m.name}: ${shown}`;
}

// rank[id] = length of the longest edge path ending at id (0 for sources and lone nodes).
export function layers(nodes, edges) {
  const ids = new Set(nodes.map((n) => n.nodeId));
  const known = edges.filter((e) => ids.has(e.fromId) && ids.has(e.toId) && e.fromId !== e.toId);
  const rank = new Map(nodes.map((n) => [n.nodeId, 0]));
  const indegree = new Map(nodes.map((n) => [n.nodeId, 0]));
  for (const e of known) indegree.set(e.toId, indegree.get(e.toId) + 1);
  const ready = nodes.map((n) => n.nodeId).filter((id) => indegree.get(id) === 0);
  while (ready.length) {
    const id = ready.pop();
    for (const e of known) {
      if (e.fromId !== id) continue;
      rank.set(e.toId, Math.max(rank.get(e.toId), rank.get(id) + 1));
      indegree.set(e.toId, indegree.get(e.toId) - 1);
      if (indegree.get(e.toId) === 0) ready.push(e.toId);
    }
  }
  const byRank = [];
  for (const n of nodes) (byRank[rank.get(n.nodeId)] ??= []).push(n);
  return { byRank: byRank.filter(Boolean).map((r) => r.sort((a, b) => a.nodeId - b.nodeId)), edges: known };
}

// One frame per WholeStageCodegen stage around its nodes' boxes ({x, y, h, node} by id):
// [{ id, x, y, width, height, nodes }], by id.
export function codegenFrames(boxes, boxWidth = BOX_WIDTH) {
  const groups = new Map();
  for (const b of boxes.values()) {
    const id = b.node.wholeStageCodegenId;
    if (id === undefined || id === null) continue;
    const g = groups.get(id) ?? { id, x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity, nodes: [] };
    g.x0 = Math.min(g.x0, b.x);
    g.y0 = Math.min(g.y0, b.y);
    g.x1 = Math.max(g.x1, b.x + boxWidth);
    g.y1 = Math.max(g.y1, b.y + b.h);
    g.nodes.push(b.node.nodeId);
    groups.set(id, g);
  }
  return [...groups.values()].sort((a, b) => a.id - b.id).map((g) => ({
    id: g.id, x: g.x0 - FRAME_PAD, y: g.y0 - FRAME_PAD, width: g.x1 - g.x0 + 2 * FRAME_PAD,
    height: g.y1 - g.y0 + 2 * FRAME_PAD, nodes: g.nodes.sort((a, b) => a - b) }));
}

const CODEGEN_NAME = /^WholeStageCodegen \((\d+)\)$/;

// The plan's WholeStageCodegen nodes by stage id, and the other nodes.
export function splitCodegen(nodes) {
  const stages = new Map();
  const rest = [];
  for (const n of nodes) {
    const m = CODEGEN_NAME.exec(String(n.nodeName ?? ""));
    if (!m) {
      rest.push(n);
      continue;
    }
    const id = Number(m[1]);
    if (!stages.has(id)) stages.set(id, []);
    stages.get(id).push(n);
  }
  return { stages, rest };
}

export function planGraph(allNodes, edges) {
  const { stages, rest: nodes } = splitCodegen(allNodes);
  const { byRank, edges: known } = layers(nodes, edges);
  const boxes = new Map();
  const width = Math.max(1, ...byRank.map((r) => r.length * BOX_WIDTH + (r.length - 1) * GAP_X)) + 2 * PAD;
  let y = PAD + (stages.size ? LINE_HEIGHT : 0);  // room for a top frame's label
  for (const row of byRank) {
    const heights = row.map((n) => TITLE_HEIGHT + (n.metrics ?? []).length * LINE_HEIGHT + PAD);
    const rowWidth = row.length * BOX_WIDTH + (row.length - 1) * GAP_X;
    let x = (width - rowWidth) / 2;
    row.forEach((n, i) => {
      boxes.set(n.nodeId, { x, y, h: heights[i], node: n });
      x += BOX_WIDTH + GAP_X;
    });
    y += Math.max(...heights) + GAP_Y;
  }
  const height = y - GAP_Y + PAD;
  const root = svg("svg", { class: "plan-graph", width, height, viewBox: `0 0 ${width} ${height}`,
                            role: "img", "aria-label": `Physical plan: ${nodes.length} nodes, ${stages.size} codegen stages` });
  const defs = svg("defs");
  const marker = svg("marker", { id: "plan-arrow", viewBox: "0 0 10 10", refX: 10, refY: 5,
                                 markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
  marker.append(svg("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "plan-arrowhead" }));
  defs.append(marker);
  root.append(defs);

  for (const f of codegenFrames(boxes)) {
    const own = stages.get(f.id) ?? [];
    const metrics = own.flatMap((n) => (n.metrics ?? []).map(metricLine));
    const name = `WholeStageCodegen (${f.id})`;
    const g = svg("g", { class: "plan-codegen", "data-codegen-id": f.id });
    g.append(svg("title", {}, [`${name}: nodes ${f.nodes.join(", ")}`, ...metrics].join("\n")));
    g.append(svg("rect", { x: f.x, y: f.y, width: f.width, height: f.height, rx: 6, ry: 6 }));
    g.append(svg("text", { x: f.x + f.width - 4, y: f.y - 3, "text-anchor": "end", class: "plan-codegen-name" },
                 own.length === 1 && metrics.length ? `${name} · ${metrics[0]}` : name));
    root.append(g);
  }
  for (const e of known) {
    const a = boxes.get(e.fromId);
    const b = boxes.get(e.toId);
    const x1 = a.x + BOX_WIDTH / 2;
    const y1 = a.y + a.h;
    const x2 = b.x + BOX_WIDTH / 2;
    const y2 = b.y;
    const mid = (y1 + y2) / 2;
    root.append(svg("path", { class: "plan-edge", "marker-end": "url(#plan-arrow)",
                              "data-from": e.fromId, "data-to": e.toId,
                              d: `M ${x1} ${y1} C ${x1} ${mid}, ${x2} ${mid}, ${x2} ${y2}` }));
  }
  for (const { x, y, h, node } of boxes.values()) {
    const g = svg("g", { class: "plan-node", "data-node-id": node.nodeId });
    const lines = (node.metrics ?? []).map(metricLine);
    g.append(svg("title", {}, [node.nodeName, ...lines].join("\n")));
    g.append(svg("rect", { x, y, width: BOX_WIDTH, height: h, rx: 4, ry: 4 }));
    g.append(svg("text", { x: x + PAD, y: y + 17, class: "plan-node-name" }, clip(String(node.nodeName ?? ""))));
    lines.forEach((line, i) => {
      g.append(svg("text", { x: x + PAD, y: y + TITLE_HEIGHT + 12 + i * LINE_HEIGHT, class: "plan-metric" },
                   clip(line)));
    });
    root.append(g);
  }
  return root;
}
