// Unit tests of the SQL plan graph's layout helpers (src/ui/assets/sql_graph.js): layers and
// the WholeStageCodegen frames, without a DOM.
import assert from "node:assert/strict";
import { test } from "node:test";

import { codegenFrames, layers, metricLine, splitCodegen } from "../../src/ui/assets/sql_graph.js";

test("layers rank each node by the longest path reaching it", () => {
  const nodes = [0, 1, 2, 3].map((nodeId) => ({ nodeId }));
  const edges = [{ fromId: 3, toId: 1 }, { fromId: 2, toId: 1 }, { fromId: 1, toId: 0 },
                 { fromId: 2, toId: 0 }, { fromId: 9, toId: 0 }, { fromId: 0, toId: 0 }];
  const { byRank, edges: known } = layers(nodes, edges);
  assert.deepEqual(byRank.map((r) => r.map((n) => n.nodeId)), [[2, 3], [1], [0]]);
  assert.equal(known.length, 4);  // the edge from an unknown node and the loop are dropped
});

test("a frame surrounds exactly the boxes of one codegen stage", () => {
  const box = (nodeId, x, y, h, wholeStageCodegenId) => [nodeId, { x, y, h, node: { nodeId, wholeStageCodegenId } }];
  const boxes = new Map([box(0, 10, 10, 40), box(1, 10, 100, 30, 2), box(2, 10, 200, 50, 2),
                         box(3, 400, 200, 20, 1)]);
  const frames = codegenFrames(boxes, 300);
  assert.deepEqual(frames.map((f) => [f.id, f.nodes]), [[1, [3]], [2, [1, 2]]]);
  const two = frames[1];
  assert.deepEqual([two.x, two.y, two.width, two.height], [4, 94, 312, 162]);
  assert.deepEqual(codegenFrames(new Map([box(0, 0, 0, 10)]), 300), []);
});

test("a metric shows its total", () => {
  assert.equal(metricLine({ name: "time", value: "total (min, med, max)\n5 ms (1 ms, 2 ms, 3 ms)" }), "time: 5 ms");
  assert.equal(metricLine({ name: "rows", value: "1,000" }), "rows: 1,000");
});

test("the plan's WholeStageCodegen nodes label frames instead of being boxes", () => {
  const { stages, rest } = splitCodegen([
    { nodeId: 0, nodeName: "WholeStageCodegen (1)" }, { nodeId: 1, nodeName: "HashAggregate" },
    { nodeId: 2, nodeName: "WholeStageCodegen (1)" }, { nodeId: 3, nodeName: "WholeStageCodegen (12)" },
    { nodeId: 4, nodeName: "WholeStageCodegen (x)" }]);
  assert.deepEqual([...stages.keys()], [1, 12]);
  assert.deepEqual(stages.get(1).map((n) => n.nodeId), [0, 2]);
  assert.deepEqual(rest.map((n) => n.nodeId), [1, 4]);
});
