// Unit tests of the summary's rules (src/ui/assets/diagnose.js), run by `node --test tests/ui`
// in `make unit-test`: what counts as skew, spill, GC-heavy, lost executors and failed work,
// at and around each threshold, and which line of an error names it.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  diagnose, GC_SHARE, headline, SKEW_MIN_MS, SKEW_RATIO, skewOf, stagesForSkew,
} from "../../src/ui/assets/diagnose.js";

const stage = (id, extra = {}) => ({ stageId: id, attemptId: 0, name: `stage-${id}`, numTasks: 4,
  numCompleteTasks: 4, status: "COMPLETE", submissionTime: "2026-01-01T00:00:00.000GMT",
  completionTime: "2026-01-01T00:00:10.000GMT", ...extra });
const summary = (median, max) => ({ quantiles: [0.5, 1.0], duration: [median, max] });
const kinds = (r) => r.problems.map((p) => p.kind);

test("a clean run has no problems but still lists its longest stages", () => {
  const r = diagnose({ stages: [stage(0), stage(1)], summaries: { "0/0": summary(100, 200) } });
  assert.deepEqual(kinds(r), []);
  assert.equal(r.longest.items.length, 2);
  assert.match(r.longest.items[0].text, /50% of all stage time/);
});

test("skew needs both the ratio and the minimum duration", () => {
  const over = SKEW_RATIO * 1000 + 1;
  const cases = [
    [summary(1000, over), true],                       // just over the ratio, long enough
    [summary(1000, SKEW_RATIO * 1000), false],         // at the ratio: not skew
    [summary(100, SKEW_MIN_MS - 1), false],            // a big ratio of short tasks
    [summary(0, SKEW_MIN_MS), true],                   // a zero median
  ];
  for (const [s, skewed] of cases) {
    const r = diagnose({ stages: [stage(3)], summaries: { "3/0": s } });
    assert.equal(kinds(r).includes("skew"), skewed, JSON.stringify(s));
  }
  assert.equal(skewOf(summary(0, 0)).ratio, 1);
  assert.equal(skewOf({ quantiles: [0.25], duration: [1] }), undefined);
  const r = diagnose({ stages: [stage(3)], summaries: { "3/0": summary(1000, 5000) } });
  assert.deepEqual(r.problems[0].items[0].target, ["stages", 3, 0]);
  assert.match(r.problems[0].items[0].text, /5\.0×/);
});

test("only stages with two finished tasks are asked for quantiles", () => {
  const s = [stage(0, { numCompleteTasks: 1 }), stage(1, { numCompleteTasks: 2 }), stage(2, {})];
  assert.deepEqual(stagesForSkew(s).map((x) => x.stageId), [1, 2]);
});

test("spill from memory or disk is found, the most spilled stage first", () => {
  const r = diagnose({ stages: [
    stage(0, { memoryBytesSpilled: 10, diskBytesSpilled: 5 }),
    stage(1, { memoryBytesSpilled: 0, diskBytesSpilled: 0 }),
    stage(2, { memoryBytesSpilled: 100, diskBytesSpilled: 50 })] });
  const spill = r.problems.find((p) => p.kind === "spill");
  assert.deepEqual(spill.items.map((i) => i.target[1]), [2, 0]);
  assert.equal(spill.title, "2 stages spilled to disk");
});

test("an executor is GC-heavy above its GC share of task time", () => {
  const ex = (id, gc) => ({ id, totalDuration: 10000, totalGCTime: gc });
  const r = diagnose({ executors: [ex("1", GC_SHARE * 10000), ex("2", GC_SHARE * 10000 + 1),
                                   { id: "3", totalDuration: 0, totalGCTime: 5 }] });
  const gc = r.problems.find((p) => p.kind === "gc");
  assert.deepEqual(gc.items.map((i) => i.text.split(":")[0]), ["Executor 2"]);
  assert.match(gc.items[0].text, /\(10%\)/);
});

test("lost executors, failed jobs, stages and tasks are named with their errors", () => {
  const trace = "org.apache.spark.api.python.PythonException: Traceback (most recent call last):\n" +
    "  File \"x.py\", line 3, in f\n    raise RuntimeError(\"boom\")\nRuntimeError: boom\n" +
    "\tat org.apache.spark.api.python.BasePythonRunner.read(PythonRunner.scala:1)";
  const r = diagnose({
    jobs: [{ jobId: 4, name: "count", status: "FAILED", numFailedStages: 1, numFailedTasks: 2,
             numTasks: 8 }, { jobId: 5, status: "SUCCEEDED" }],
    stages: [stage(7, { status: "FAILED", failureReason: "Job aborted\nmore", numFailedTasks: 2 })],
    executors: [{ id: "9", hostPort: "h:1", removeReason: "Container killed\ndetail",
                  failedTasks: 2 }],
    failedTasks: { "7/0": [{ errorMessage: trace }, { errorMessage: trace }] },
  });
  assert.deepEqual(kinds(r), ["failed-jobs", "failed-stages", "failed-tasks", "executors-lost"]);
  const tasks = r.problems.find((p) => p.kind === "failed-tasks");
  assert.equal(tasks.title, "2 tasks failed");
  assert.equal(tasks.items[0].message, "RuntimeError: boom");
  assert.match(r.problems.find((p) => p.kind === "failed-stages").items[0].text, /Job aborted$/);
  assert.match(r.problems.find((p) => p.kind === "executors-lost").items[0].text,
               /Container killed; 2 failed task/);
});

test("headline picks the exception's own line", () => {
  assert.equal(headline("java.lang.OutOfMemoryError: Java heap space\n\tat x"),
               "java.lang.OutOfMemoryError: Java heap space");
  assert.equal(headline(""), "(no message)");
  assert.equal(headline(undefined), "(no message)");
  assert.equal(headline("Traceback (most recent call last):\n  no exception line\n\tat y"),
               "Traceback (most recent call last):");
});
