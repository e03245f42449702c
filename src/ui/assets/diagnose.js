// Why was a run slow or why did it fail: pure functions over the history REST answers (no DOM,
// no fetch), so they can be tested on their own. diagnose() returns findings, each a title and
// items: { text, target } where target is the route under the app (["stages", id, attempt],
// ["jobs", id], ["executors"]) of the thing concerned.
import { fmtBytes, fmtDuration, span } from "./dom.js";

export const SKEW_RATIO = 3;          // max task duration over the median
export const SKEW_MIN_MS = 1000;      // and at least this long
export const GC_SHARE = 0.1;          // GC time over task time on an executor
export const LONGEST = 3;             // the longest stages listed

const key = (s) => `${s.stageId}/${s.attemptId}`;
export const stageKey = key;
const stageName = (s) => `stage ${s.stageId}${s.attemptId ? ` (retry ${s.attemptId})` : ""}`;
const stageTarget = (s) => ["stages", s.stageId, s.attemptId];

// A stage's wall time: from its first task (or submission) to its end.
export function stageDuration(s) {
  return span(s.firstTaskLaunchedTime ?? s.submissionTime, s.completionTime);
}

// The stages whose task quantiles (taskSummary) tell about skew: two tasks or more finished.
export function stagesForSkew(stages) {
  return stages.filter((s) => (s.numCompleteTasks ?? 0) >= 2);
}

// The stages with failed tasks to read (taskList?status=failed).
export function stagesWithFailedTasks(stages) {
  return stages.filter((s) => (s.numFailedTasks ?? 0) > 0);
}

// [median, max] task duration from a taskSummary asked with quantiles=0.5,1.0.
export function medianMax(summary) {
  const q = summary?.quantiles;
  const d = summary?.duration;
  if (!Array.isArray(q) || !Array.isArray(d)) return undefined;
  const at = (x) => d[q.findIndex((v) => Math.abs(v - x) < 1e-9)];
  const median = at(0.5);
  const max = at(1.0);
  return median === undefined || max === undefined ? undefined : [median, max];
}

export function skewOf(summary) {
  const mm = medianMax(summary);
  if (!mm) return undefined;
  const [median, max] = mm;
  return { median, max, ratio: median > 0 ? max / median : max > 0 ? Infinity : 1 };
}

// The line of an error that says what went wrong: its first line, except for a Python error
// relayed by Spark (a PythonException whose first line is "Traceback ..."), where it is the
// Python exception's own line ("RuntimeError: ..."), the last unindented line before the
// Java stack.
export function headline(msg) {
  const lines = String(msg ?? "").split("\n");
  const first = lines[0].trim();
  if (first.includes("Traceback (most recent call last)")) {
    let best = "";
    for (const line of lines.slice(1)) {
      if (line.startsWith("\tat ")) break;
      if (/^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b/.test(line)) best = line.trim();
    }
    if (best) return best;
  }
  return first || "(no message)";
}
const firstLine = headline;
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
const ratioText = (r) => (Number.isFinite(r) ? `${r.toFixed(1)}×` : "∞×");

// input: { jobs, stages, executors, summaries: { "<stageId>/<attempt>": taskSummary },
//          failedTasks: { "<stageId>/<attempt>": [task] } }
// -> { problems: [finding], longest: finding }
export function diagnose({ jobs = [], stages = [], executors = [], summaries = {}, failedTasks = {} }) {
  const problems = [];

  const failedJobs = jobs.filter((j) => j.status === "FAILED");
  if (failedJobs.length) {
    problems.push({ kind: "failed-jobs", title: `${plural(failedJobs.length, "job")} failed`,
      items: failedJobs.map((j) => ({
        text: `Job ${j.jobId} (${j.name ?? ""}): ${j.numFailedStages ?? 0} failed stage(s), ` +
              `${j.numFailedTasks ?? 0} failed task(s) of ${j.numTasks ?? 0}`,
        target: ["jobs", j.jobId] })) });
  }

  const failedStages = stages.filter((s) => s.status === "FAILED");
  if (failedStages.length) {
    problems.push({ kind: "failed-stages", title: `${plural(failedStages.length, "stage")} failed`,
      items: failedStages.map((s) => ({
        text: `${stageName(s)} (${s.name ?? ""}): ${firstLine(s.failureReason)}`,
        detail: s.failureReason, target: stageTarget(s) })) });
  }

  // Failed tasks grouped by the first line of their error.
  const groups = new Map();
  for (const s of stages) {
    for (const t of failedTasks[key(s)] ?? []) {
      const msg = firstLine(t.errorMessage);
      const g = groups.get(msg) ?? { message: msg, count: 0, stages: new Map() };
      g.count++;
      g.stages.set(key(s), s);
      groups.set(msg, g);
    }
  }
  if (groups.size) {
    const total = [...groups.values()].reduce((n, g) => n + g.count, 0);
    problems.push({ kind: "failed-tasks", title: `${plural(total, "task")} failed`,
      items: [...groups.values()].sort((a, b) => b.count - a.count).map((g) => {
        const where = [...g.stages.values()];
        return { text: `${g.count} × ${g.message} (in ${where.map(stageName).join(", ")})`,
                 count: g.count, message: g.message, target: stageTarget(where[0]) };
      }) });
  }

  const lost = executors.filter((e) => e.removeReason);
  if (lost.length) {
    problems.push({ kind: "executors-lost", title: `${plural(lost.length, "executor")} lost`,
      items: lost.map((e) => ({
        text: `Executor ${e.id} (${e.hostPort ?? ""}): ${firstLine(e.removeReason)}` +
              ((e.failedTasks ?? 0) ? `; ${e.failedTasks} failed task(s) on it` : ""),
        target: ["executors"] })) });
  }

  const skewed = [];
  for (const s of stages) {
    const sk = skewOf(summaries[key(s)]);
    if (sk && sk.max >= SKEW_MIN_MS && sk.ratio > SKEW_RATIO) skewed.push([s, sk]);
  }
  if (skewed.length) {
    skewed.sort((a, b) => b[1].max - a[1].max);
    problems.push({ kind: "skew", title: `${plural(skewed.length, "stage")} with skewed tasks`,
      items: skewed.map(([s, sk]) => ({
        text: `${stageName(s)} (${s.name ?? ""}): its slowest task took ${fmtDuration(sk.max)}, ` +
              `${ratioText(sk.ratio)} the median ${fmtDuration(sk.median)}`,
        target: stageTarget(s) })) });
  }

  const spilled = stages.filter((s) => (s.memoryBytesSpilled ?? 0) > 0 || (s.diskBytesSpilled ?? 0) > 0);
  if (spilled.length) {
    spilled.sort((a, b) => b.diskBytesSpilled - a.diskBytesSpilled);
    problems.push({ kind: "spill", title: `${plural(spilled.length, "stage")} spilled to disk`,
      items: spilled.map((s) => ({
        text: `${stageName(s)} (${s.name ?? ""}): ${fmtBytes(s.memoryBytesSpilled)} spilled from memory, ` +
              `${fmtBytes(s.diskBytesSpilled)} on disk`,
        target: stageTarget(s) })) });
  }

  const gcHeavy = executors.filter((e) => (e.totalDuration ?? 0) > 0 &&
                                          (e.totalGCTime ?? 0) > GC_SHARE * e.totalDuration);
  if (gcHeavy.length) {
    problems.push({ kind: "gc", title: `${plural(gcHeavy.length, "executor")} spent much time in GC`,
      items: gcHeavy.map((e) => ({
        text: `Executor ${e.id}: ${fmtDuration(e.totalGCTime)} of GC in ${fmtDuration(e.totalDuration)} ` +
              `of task time (${Math.round((100 * e.totalGCTime) / e.totalDuration)}%)`,
        target: ["executors"] })) });
  }

  const timed = stages.map((s) => [s, stageDuration(s)]).filter(([, d]) => d !== undefined);
  const all = timed.reduce((n, [, d]) => n + d, 0);
  timed.sort((a, b) => b[1] - a[1]);
  const longest = { kind: "longest", title: "Longest stages",
    items: timed.slice(0, LONGEST).map(([s, d]) => ({
      text: `${stageName(s)} (${s.name ?? ""}): ${fmtDuration(d)}` +
            (all > 0 ? `, ${Math.round((100 * d) / all)}% of all stage time` : "") +
            `, ${plural(s.numTasks ?? 0, "task")}`,
      target: stageTarget(s) })) };

  return { problems, longest };
}
