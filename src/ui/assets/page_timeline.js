// An application's Timeline tab (#/apps/<id>[/<attempt>]/timeline): an SVG timeline of
// executors (allexecutors: addTime..removeTime), jobs (submissionTime..completionTime, colored
// by status) and stages (firstTaskLaunchedTime or submissionTime..completionTime), bars that
// overlap stacked in lanes, each bar a link (Tab reaches it, Enter opens its job or stage) with
// a <title> tooltip; then charts: task duration quantiles of the stages with most tasks
// (taskSummary), peak JVM memory and task CPU share per stage at the stage's completion (the
// stages answer's peakExecutorMetrics, executorCpuTime / executorRunTime), and GC time share
// per executor (allexecutors: totalGCTime / totalDuration).
import { api } from "./api.js";
import { appApiPath, el, fmtBytes, fmtDuration, fmtTime, parseTime, route } from "./dom.js";
import { TIME_STEPS, byteTicks, clock, packLanes, svg, ticks, title } from "./svg_chart.js";

const WIDTH = 1100;
const LABEL = 130;        // the left column: section names and chart labels
const RIGHT = 20;
const PLOT = WIDTH - LABEL - RIGHT;
const LANE = 20;
const BAR = 14;
const AXIS = 28;
const BOX_STAGES = 8;     // the task duration chart shows this many stages, those with most tasks

const ms = (t) => parseTime(t)?.getTime();
// Tick labels near the right edge end at their tick, so they are not cut off.
const anchor = (px) => (px > LABEL + PLOT - 30 ? "end" : "middle");

function timeAxis(g, t0, t1, x, top, bottom) {
  const { step, values } = ticks(t0, t1, 10, TIME_STEPS);
  g.append(svg("line", { class: "tl-axis", x1: LABEL, x2: LABEL + PLOT, y1: top, y2: top }));
  for (const v of values) {
    g.append(svg("line", { class: "tl-grid", x1: x(v), x2: x(v), y1: top, y2: bottom }),
             svg("text", { class: "tl-tick", x: x(v), y: top - 6, "text-anchor": anchor(x(v)) }, clock(v, step)));
  }
}

// One bar per item: { start, end, cls, text, tip, href }.
function bar(item, x, y) {
  const x0 = x(item.start);
  const w = Math.max(2, x(item.end) - x0);
  const a = svg("a", { href: item.href, class: `tl-bar ${item.cls}`, "aria-label": item.tip.split("\n")[0] },
                title(item.tip), svg("rect", { x: x0, y, width: w, height: BAR, rx: 2 }));
  if (w > 8 * item.text.length) a.append(svg("text", { x: x0 + 4, y: y + BAR - 3.5, class: "tl-bar-text" }, item.text));
  return a;
}

function timeline(sections, t0, t1) {
  const x = (t) => LABEL + ((t - t0) / (t1 - t0 || 1)) * PLOT;
  const gap = (4 * (t1 - t0)) / PLOT;
  let y = AXIS + 6;
  const body = svg("g");
  for (const s of sections) {
    const { lane, count } = packLanes(s.items, (i) => i.start, (i) => i.end, gap);
    const h = Math.max(1, count) * LANE + 6;
    body.append(svg("rect", { class: "tl-section", x: 0, y, width: WIDTH, height: h }),
                svg("text", { class: "tl-section-name", x: 8, y: y + 15 }, `${s.name} (${s.items.length})`));
    const g = svg("g", { class: `tl-lanes tl-${s.key}` });
    s.items.forEach((it, i) => g.append(bar(it, x, y + 3 + lane[i] * LANE)));
    body.append(g);
    y += h + 4;
  }
  const axis = svg("g");
  timeAxis(axis, t0, t1, x, AXIS, y);
  return svg("svg", { class: "timeline", width: WIDTH, height: y + 4, viewBox: `0 0 ${WIDTH} ${y + 4}`,
                      role: "group", "aria-label": "Application timeline" }, axis, body);
}

function legend(entries) {
  return el("p", { class: "tl-legend" }, entries.map(([cls, text]) =>
    el("span", {}, el("span", { class: `tl-swatch ${cls}` }), text)));
}

// ---- Charts ---------------------------------------------------------------------------------

// Horizontal box plots: rows of { label, q: [min, q1, median, q3, max], tip, href }.
function boxPlot(rows) {
  const top = AXIS;
  const h = top + rows.length * 26 + 8;
  const max = Math.max(1, ...rows.map((r) => r.q[4]));
  const { step, values } = ticks(0, max, 8);
  if (values[values.length - 1] < max) values.push(values[values.length - 1] + step);
  const x = (v) => LABEL + (v / values[values.length - 1]) * PLOT;
  const g = svg("svg", { class: "chart box-chart", width: WIDTH, height: h, viewBox: `0 0 ${WIDTH} ${h}`,
                         role: "group", "aria-label": "Task duration per stage" });
  g.append(svg("line", { class: "tl-axis", x1: LABEL, x2: LABEL + PLOT, y1: top, y2: top }));
  for (const v of values) {
    g.append(svg("line", { class: "tl-grid", x1: x(v), x2: x(v), y1: top, y2: h - 4 }),
             svg("text", { class: "tl-tick", x: x(v), y: top - 6, "text-anchor": anchor(x(v)) }, fmtDuration(v)));
  }
  rows.forEach((r, i) => {
    const y = top + 8 + i * 26;
    const mid = y + 8;
    const [lo, q1, med, q3, hi] = r.q.map(x);
    g.append(svg("a", { href: r.href, class: "box", "aria-label": r.tip.split("\n")[0] }, title(r.tip),
      svg("text", { class: "chart-label", x: 8, y: mid + 4 }, r.label),
      svg("line", { class: "box-whisker", x1: lo, x2: hi, y1: mid, y2: mid }),
      svg("line", { class: "box-whisker", x1: lo, x2: lo, y1: y + 3, y2: y + 13 }),
      svg("line", { class: "box-whisker", x1: hi, x2: hi, y1: y + 3, y2: y + 13 }),
      svg("rect", { class: "box-iqr", x: q1, y, width: Math.max(2, q3 - q1), height: 16 }),
      svg("line", { class: "box-median", x1: med, x2: med, y1: y, y2: y + 16 })));
  });
  return g;
}

// Points over time: series [{ cls, name, points: [{ t, v, tip }] }], y from 0 to the top tick.
function pointChart(series, t0, t1, yTicks, yFmt, label) {
  const top = AXIS;
  const plotH = 160;
  const h = top + plotH + 12;
  const yMax = yTicks[yTicks.length - 1] || 1;
  const x = (t) => LABEL + ((t - t0) / (t1 - t0 || 1)) * PLOT;
  const y = (v) => top + plotH - (v / yMax) * plotH;
  const g = svg("svg", { class: "chart point-chart", width: WIDTH, height: h, viewBox: `0 0 ${WIDTH} ${h}`,
                         role: "group", "aria-label": label });
  timeAxis(g, t0, t1, x, top, top + plotH);
  for (const v of yTicks) {
    g.append(svg("line", { class: "tl-grid", x1: LABEL, x2: LABEL + PLOT, y1: y(v), y2: y(v) }),
             svg("text", { class: "tl-tick", x: LABEL - 6, y: y(v) + 4, "text-anchor": "end" }, yFmt(v)));
  }
  for (const s of series) {
    const pts = [...s.points].sort((a, b) => a.t - b.t);
    if (s.line && pts.length > 1) {
      g.append(svg("polyline", { class: `series-line ${s.cls}`,
                                 points: pts.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(" ") }));
    }
    for (const p of pts) {
      g.append(svg("circle", { class: `series-point ${s.cls}`, cx: x(p.t), cy: y(p.v), r: 4, tabindex: 0,
                               "aria-label": p.tip }, title(p.tip)));
    }
  }
  return g;
}

// Horizontal bars of a share (0..1): rows of { label, share, tip }.
function shareBars(rows, cls) {
  const top = AXIS;
  const h = top + rows.length * 22 + 8;
  const x = (v) => LABEL + v * PLOT;
  const g = svg("svg", { class: "chart share-chart", width: WIDTH, height: h, viewBox: `0 0 ${WIDTH} ${h}`,
                         role: "group", "aria-label": "GC time share per executor" });
  g.append(svg("line", { class: "tl-axis", x1: LABEL, x2: LABEL + PLOT, y1: top, y2: top }));
  for (let v = 0; v <= 1.0001; v += 0.1) {
    g.append(svg("line", { class: "tl-grid", x1: x(v), x2: x(v), y1: top, y2: h - 4 }),
             svg("text", { class: "tl-tick", x: x(v), y: top - 6, "text-anchor": anchor(x(v)) }, `${Math.round(v * 100)}%`));
  }
  rows.forEach((r, i) => {
    const y = top + 6 + i * 22;
    g.append(svg("g", { class: `share-bar ${cls}`, tabindex: 0, "aria-label": r.tip }, title(r.tip),
      svg("text", { class: "chart-label", x: 8, y: y + 12 }, r.label),
      svg("rect", { x: LABEL, y, width: Math.max(1, r.share * PLOT), height: 15 }),
      svg("text", { class: "chart-value", x: LABEL + Math.max(1, r.share * PLOT) + 4, y: y + 12 },
          `${(r.share * 100).toFixed(1)}%`)));
  });
  return g;
}

const pct = (v) => `${Math.round(v * 100)}%`;

async function charts(appPath, stages, execs, t0, t1) {
  const out = [el("h2", { id: "charts" }, "Charts")];
  const stageHref = (s) => route("apps", ...appPath, "stages", s.stageId, s.attemptId);
  const stageName = (s) => `Stage ${s.stageId}${s.attemptId ? ` (attempt ${s.attemptId})` : ""}`;

  // (a) Task duration quantiles of the stages with most tasks.
  // Quantiles exist only for stages with a finished task (taskSummary answers 404 otherwise).
  const ran = stages.filter((s) => s.status !== "SKIPPED" && s.numCompleteTasks > 0)
    .sort((a, b) => b.numTasks - a.numTasks || a.stageId - b.stageId).slice(0, BOX_STAGES);
  const summaries = await Promise.all(ran.map((s) =>
    api(`${appApiPath(appPath)}/stages/${s.stageId}/${s.attemptId}/taskSummary?quantiles=0,0.25,0.5,0.75,1.0`)
      .then((q) => ({ s, q: q.duration }), () => null)));
  const rows = summaries.filter((r) => r && Array.isArray(r.q) && r.q.length === 5).map(({ s, q }) => ({
    label: `${stageName(s)} · ${s.numTasks}`, q, href: stageHref(s),
    tip: `${stageName(s)}: ${s.numTasks} tasks\nmin ${fmtDuration(q[0])} · 25% ${fmtDuration(q[1])} · ` +
         `median ${fmtDuration(q[2])} · 75% ${fmtDuration(q[3])} · max ${fmtDuration(q[4])}` }));
  out.push(el("h3", {}, "Task duration per stage"),
           el("p", { class: "muted caption" }, `The ${rows.length} stage(s) with most tasks (label: stage · tasks): ` +
              "whiskers from the shortest to the longest task, the box from the 25th to the 75th percentile, " +
              "the line at the median (taskSummary duration quantiles)."),
           rows.length ? boxPlot(rows) : el("p", { class: "muted empty" }, "No stage ran tasks."));

  // (b) Peak JVM memory at each stage's completion (the stage's peakExecutorMetrics).
  const done = stages.filter((s) => ms(s.completionTime) !== undefined);
  const memSeries = [["JVMHeapMemory", "mem-heap", "JVM heap"], ["JVMOffHeapMemory", "mem-offheap", "JVM off-heap"]]
    .map(([key, cls, name]) => ({ cls, name, line: true, points: done.filter((s) => s.peakExecutorMetrics?.[key] > 0).map((s) => ({
      t: ms(s.completionTime), v: s.peakExecutorMetrics[key],
      tip: `${stageName(s)}, completed ${fmtTime(s.completionTime)}: peak ${name} ${fmtBytes(s.peakExecutorMetrics[key])}` })) }))
    .filter((s) => s.points.length);
  out.push(el("h3", {}, "Peak JVM memory per stage"),
           el("p", { class: "muted caption" }, "Each stage's peak JVM heap and off-heap memory over its executors " +
              "(peakExecutorMetrics), drawn at the stage's completion time."));
  if (memSeries.length) {
    const top = Math.max(...memSeries.flatMap((s) => s.points.map((p) => p.v)));
    out.push(legend(memSeries.map((s) => [s.cls, s.name])),
             pointChart(memSeries, t0, t1, byteTicks(top).values, fmtBytes, "Peak JVM memory per stage"));
  } else out.push(el("p", { class: "muted empty" }, "The log has no executor memory metrics for its stages."));

  // (b') Task CPU share per stage: executor CPU time over executor run time.
  const cpu = done.filter((s) => s.executorRunTime > 0 && s.executorCpuTime >= 0).map((s) => {
    const share = Math.min(1, s.executorCpuTime / 1e6 / s.executorRunTime);
    return { t: ms(s.completionTime), v: share,
             tip: `${stageName(s)}, completed ${fmtTime(s.completionTime)}: CPU ${fmtDuration(Math.round(s.executorCpuTime / 1e6))} ` +
                  `of ${fmtDuration(s.executorRunTime)} run time (${pct(share)})` };
  });
  out.push(el("h3", {}, "Task CPU share per stage"),
           el("p", { class: "muted caption" }, "Executor CPU time over executor run time of each stage's tasks, " +
              "drawn at the stage's completion time."),
           cpu.length ? pointChart([{ cls: "cpu-share", name: "CPU", points: cpu }], t0, t1, [0, 0.25, 0.5, 0.75, 1], pct,
                                   "Task CPU share per stage")
             : el("p", { class: "muted empty" }, "No stage has task run time."));

  // (c) GC time share per executor.
  const gc = execs.filter((e) => e.totalDuration > 0).map((e) => ({
    label: e.id === "driver" ? "driver" : `executor ${e.id}`, share: Math.min(1, (e.totalGCTime ?? 0) / e.totalDuration),
    tip: `${e.id === "driver" ? "driver" : `executor ${e.id}`}: GC ${fmtDuration(e.totalGCTime ?? 0)} of ` +
         `${fmtDuration(e.totalDuration)} task time` }));
  out.push(el("h3", {}, "GC time share per executor"),
           el("p", { class: "muted caption" }, "Total GC time over total task time of each executor that ran tasks (allexecutors)."),
           gc.length ? shareBars(gc, "gc-share") : el("p", { class: "muted empty" }, "No executor ran tasks."));
  return out;
}

// ---- The page -------------------------------------------------------------------------------

export async function timelinePage(appPath) {
  const base = appApiPath(appPath);
  const [app, jobs, stages, execs] = await Promise.all([
    api(`applications/${encodeURIComponent(appPath[0])}`), api(`${base}/jobs`), api(`${base}/stages`),
    api(`${base}/allexecutors`)]);
  const attempt = (app.attempts ?? []).find((a) => appPath[1] === undefined || a.attemptId === appPath[1]) ?? {};
  const drawnStages = stages.filter((s) => ms(s.firstTaskLaunchedTime ?? s.submissionTime) !== undefined);
  const starts = [ms(attempt.startTime), ...execs.map((e) => ms(e.addTime)), ...jobs.map((j) => ms(j.submissionTime)),
                  ...drawnStages.map((s) => ms(s.submissionTime))].filter((t) => t !== undefined);
  const ends = [ms(attempt.endTime), ...execs.map((e) => ms(e.removeTime)), ...jobs.map((j) => ms(j.completionTime)),
                ...stages.map((s) => ms(s.completionTime))].filter((t) => t !== undefined);
  if (!starts.length) return el("p", { class: "muted empty" }, "Nothing to draw: the log has no times.");
  const t0 = Math.min(...starts);
  const t1 = Math.max(t0 + 1, ...ends, ...starts, attempt.completed === false ? Date.now() : t0);

  const execItems = execs.filter((e) => ms(e.addTime) !== undefined).map((e) => {
    const who = e.id === "driver" ? "driver" : `executor ${e.id}`;
    const removed = ms(e.removeTime);
    return { start: ms(e.addTime), end: removed ?? t1, cls: removed === undefined ? "tl-exec-active" : "tl-exec-removed",
             text: who, href: route("apps", ...appPath, "executors"),
             tip: `${who}${e.hostPort ? ` (${e.hostPort})` : ""}\nadded ${fmtTime(e.addTime)}` +
                  (removed === undefined ? "" : `\nremoved ${fmtTime(e.removeTime)}: ${e.removeReason ?? ""}`) };
  });
  const jobItems = jobs.filter((j) => ms(j.submissionTime) !== undefined).map((j) => ({
    start: ms(j.submissionTime), end: ms(j.completionTime) ?? t1, cls: `tl-job tl-job-${j.status}`,
    text: `job ${j.jobId}`, href: route("apps", ...appPath, "jobs", j.jobId),
    tip: `Job ${j.jobId}: ${j.name ?? ""}\n${j.status}, submitted ${fmtTime(j.submissionTime)}` +
         (j.completionTime ? `, took ${fmtDuration(ms(j.completionTime) - ms(j.submissionTime))}` : "") }));
  const stageItems = drawnStages.map((s) => {
    const start = ms(s.firstTaskLaunchedTime ?? s.submissionTime);
    const name = `Stage ${s.stageId}${s.attemptId ? ` (attempt ${s.attemptId})` : ""}`;
    return { start, end: ms(s.completionTime) ?? t1, cls: `tl-stage tl-stage-${s.status}`,
             text: `stage ${s.stageId}`, href: route("apps", ...appPath, "stages", s.stageId, s.attemptId),
             tip: `${name}: ${s.name ?? ""}\n${s.status}, ${s.numTasks} tasks, submitted ${fmtTime(s.submissionTime)}` +
                  (s.completionTime ? `, ran ${fmtDuration(ms(s.completionTime) - start)}` : "") };
  });
  const notDrawn = stages.filter((s) => !drawnStages.includes(s));

  return el("div", { class: "timeline-page", "data-app": appPath.join("/") },
    el("p", { class: "muted caption" },
       `${fmtTime(t0)} to ${fmtTime(t1)} (${fmtDuration(t1 - t0)}). Bars that overlap are stacked; ` +
       "hover a bar for its details, Tab to it and Enter to open its job or stage."),
    legend([["tl-exec-active", "executor (active at the end)"], ["tl-exec-removed", "executor (removed)"],
            ["tl-job tl-job-SUCCEEDED", "job succeeded"], ["tl-job tl-job-FAILED", "job failed"],
            ["tl-job tl-job-RUNNING", "running"], ["tl-stage tl-stage-COMPLETE", "stage complete"]]),
    el("div", { class: "tl-scroll" }, timeline([
      { key: "executors", name: "Executors", items: execItems },
      { key: "jobs", name: "Jobs", items: jobItems },
      { key: "stages", name: "Stages", items: stageItems }], t0, t1)),
    notDrawn.length ? el("p", { class: "muted tl-not-drawn" },
      `${notDrawn.length} stages never ran and are not drawn: ` +
      notDrawn.map((s) => `${s.stageId}${s.attemptId ? `.${s.attemptId}` : ""} (${s.status})`).join(", ")) : null,
    await charts(appPath, stages, execs, t0, t1));
}
