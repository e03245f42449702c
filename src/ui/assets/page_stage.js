// One stage attempt's page (#/apps/<id>[/<attempt>]/stages/<stageId>/<stageAttemptId>): its
// summary, the quantiles of its task metrics (taskSummary) and its tasks, paged by the server
// (taskList?offset=&length=), so a stage of 100,000 tasks never loads them all.
import { api } from "./api.js";
import { appApiPath, el, fmtBytes, fmtDuration, fmtTime, state } from "./dom.js";
import { summary } from "./page_job.js";
import { sortableHeader } from "./table.js";

const TASKS_PER_PAGE = 50;
const QUANTILES = [0, 0.25, 0.5, 0.75, 1.0];

// [label, values(taskSummary) -> array or undefined, format]
const METRICS = [
  ["Duration", (q) => q.duration, fmtDuration],
  ["Scheduler Delay", (q) => q.schedulerDelay, fmtDuration],
  ["Task Deserialization Time", (q) => q.executorDeserializeTime, fmtDuration],
  ["Executor Run Time", (q) => q.executorRunTime, fmtDuration],
  ["GC Time", (q) => q.jvmGcTime, fmtDuration],
  ["Result Serialization Time", (q) => q.resultSerializationTime, fmtDuration],
  ["Getting Result Time", (q) => q.gettingResultTime, fmtDuration],
  ["Peak Execution Memory", (q) => q.peakExecutionMemory, fmtBytes],
  ["Input Size", (q) => q.inputMetrics?.bytesRead, fmtBytes],
  ["Output Size", (q) => q.outputMetrics?.bytesWritten, fmtBytes],
  ["Shuffle Read Size", (q) => q.shuffleReadMetrics?.readBytes, fmtBytes],
  ["Shuffle Write Size", (q) => q.shuffleWriteMetrics?.writeBytes, fmtBytes],
  ["Spill (Memory)", (q) => q.memoryBytesSpilled, fmtBytes],
  ["Spill (Disk)", (q) => q.diskBytesSpilled, fmtBytes],
];

function quantilesTable(q) {
  const rows = METRICS.filter(([, get]) => Array.isArray(get(q)));
  return el("table", { class: "quantiles" },
    el("caption", { class: "muted" }, "Task metrics over the stage's finished tasks"),
    el("thead", {}, el("tr", {}, ["Metric", "Min", "25th percentile", "Median",
                                   "75th percentile", "Max"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows.map(([label, get, fmt]) =>
      el("tr", {}, el("th", { scope: "row" }, label),
         get(q).map((v) => el("td", { class: "num" }, fmt(v)))))));
}

function errorCell(message) {
  if (!message) return "";
  const first = message.split("\n", 1)[0];
  return el("details", { class: "error-text" }, el("summary", {}, first), el("pre", {}, message));
}

const shuffleRead = (m) => (m?.shuffleReadMetrics
  ? m.shuffleReadMetrics.remoteBytesRead + m.shuffleReadMetrics.localBytesRead : undefined);
const bytes = (n) => (n === undefined ? "" : fmtBytes(n));

// sort: the taskList sortBy values it gives, first click first (Spark knows ID, runtime, -runtime).
const TASK_COLUMNS = [
  { label: "Index", num: true, cell: (t) => t.index },
  { label: "Task ID", num: true, sort: ["ID"], cell: (t) => t.taskId },
  { label: "Attempt", num: true, cell: (t) => t.attempt },
  { label: "Status", cell: (t) => state(t.status) },
  { label: "Executor", cell: (t) => t.executorId },
  { label: "Host", cell: (t) => t.host },
  { label: "Launch Time", cell: (t) => fmtTime(t.launchTime) },
  { label: "Duration", num: true, cell: (t) => fmtDuration(t.duration) },
  { label: "Run Time", num: true, sort: ["runtime", "-runtime"],
    cell: (t) => fmtDuration(t.taskMetrics?.executorRunTime) },
  { label: "GC Time", num: true, cell: (t) => fmtDuration(t.taskMetrics?.jvmGcTime) },
  { label: "Input", num: true, cell: (t) => bytes(t.taskMetrics?.inputMetrics?.bytesRead) },
  { label: "Shuffle Read", num: true, cell: (t) => bytes(shuffleRead(t.taskMetrics)) },
  { label: "Shuffle Write", num: true,
    cell: (t) => bytes(t.taskMetrics?.shuffleWriteMetrics?.bytesWritten) },
  { label: "Errors", cell: (t) => errorCell(t.errorMessage) },
];

const taskPage = (stageApi, offset, sortBy) =>
  api(`${stageApi}/taskList?offset=${offset}&length=${TASKS_PER_PAGE + 1}` +
      `&sortBy=${encodeURIComponent(sortBy)}`);

// The tasks, one page at a time from the server. total: the stage's task attempts as counted;
// first: the first page by ID, already asked for.
function tasksTable(stageApi, total, first) {
  const wrap = el("div", { class: "table tasks" });
  let offset = 0;
  let sortBy = "ID";
  let drawn = 0;  // answers arriving out of order are dropped

  async function draw(focus) {
    const n = ++drawn;
    // One more than a page: tells whether a next page exists even if total is off.
    const tasks = n === 1 && first ? await first : await taskPage(stageApi, offset, sortBy);
    if (n !== drawn) return;
    const more = tasks.length > TASKS_PER_PAGE;
    const shown = tasks.slice(0, TASKS_PER_PAGE);
    const count = Math.max(total, offset + shown.length + (more ? 1 : 0));
    const head = el("tr", {}, TASK_COLUMNS.map((c) => {
      if (!c.sort) return el("th", { scope: "col", class: "plain" }, c.label);
      const at = c.sort.indexOf(sortBy);
      const sort = () => {
        sortBy = c.sort[(at + 1) % c.sort.length];
        offset = 0;
        draw(c.label).catch(fail);
      };
      return sortableHeader(c.label, at < 0 ? "none" : sortBy.startsWith("-") ? "descending" : "ascending",
                            sort, { "data-col": c.label });
    }));
    const body = shown.map((t) =>
      el("tr", {}, TASK_COLUMNS.map((c) => el("td", { class: c.num ? "num" : null }, c.cell(t)))));
    const go = (to, name) => () => {
      offset = Math.max(0, to);
      draw(name).catch(fail);
    };
    const last = Math.floor((count - 1) / TASKS_PER_PAGE) * TASKS_PER_PAGE;
    const pager = el("div", { class: "pager" },
      el("button", { "data-pager": "first", disabled: offset === 0, onclick: go(0, "first") },
         "First"),
      el("button", { "data-pager": "previous", disabled: offset === 0,
                     onclick: go(offset - TASKS_PER_PAGE, "previous") }, "Previous"),
      el("span", { class: "muted position", "aria-live": "polite" },
         `${shown.length === 0 ? 0 : offset + 1}–${offset + shown.length} of ${count}`),
      el("button", { "data-pager": "next", disabled: !more,
                     onclick: go(offset + TASKS_PER_PAGE, "next") }, "Next"),
      el("button", { "data-pager": "last", disabled: !more || last <= offset,
                     onclick: go(last, "last") }, "Last"));
    wrap.replaceChildren(
      el("table", {}, el("caption", { class: "muted" }, "Tasks (sorted by the server)"),
         el("thead", {}, head), el("tbody", {}, body)),
      pager);
    if (focus) {
      const target = wrap.querySelector(`[data-pager="${focus}"]:not([disabled]), [data-col="${focus}"]`)
        ?? wrap.querySelector("[data-pager]:not([disabled])");
      target?.focus();
    }
  }
  function fail(e) {
    wrap.replaceChildren(el("p", { class: "error" }, e.message));
  }
  return { wrap, ready: draw() };
}

export async function stagePage(appPath, [stageId, attemptId = "0"]) {
  const stageApi = `${appApiPath(appPath)}/stages/${encodeURIComponent(stageId)}/` +
                   encodeURIComponent(attemptId);
  // The stage and its first page of tasks at once.
  const first = taskPage(stageApi, 0, "ID");
  first.catch(() => {});  // reported by the table
  const stage = await api(`${stageApi}?details=false`);
  // Quantiles exist once a task has finished (before, Spark's answer is a 404).
  const quantiles = (stage.numCompleteTasks ?? 0) > 0
    ? await api(`${stageApi}/taskSummary?quantiles=${QUANTILES.join(",")}`).catch(() => null)
    : null;
  const attempts = (stage.numActiveTasks ?? 0) + (stage.numCompleteTasks ?? 0) +
                   (stage.numFailedTasks ?? 0) + (stage.numKilledTasks ?? 0);
  const tasks = tasksTable(stageApi, Math.max(stage.numTasks ?? 0, attempts), first);
  await tasks.ready;
  const spill = stage.memoryBytesSpilled || stage.diskBytesSpilled
    ? `${fmtBytes(stage.memoryBytesSpilled)} memory, ${fmtBytes(stage.diskBytesSpilled)} disk` : "0 B";
  return el("section", { class: "detail" },
    el("h2", {}, `Stage ${stage.stageId}` + (stage.attemptId ? ` (attempt ${stage.attemptId})` : "")),
    summary([
      ["Status", state(stage.status)],
      ["Description", stage.description ?? stage.name ?? ""],
      ["Tasks", `${stage.numCompleteTasks}/${stage.numTasks}` +
                (stage.numFailedTasks ? ` (${stage.numFailedTasks} failed)` : "") +
                (stage.numKilledTasks ? ` (${stage.numKilledTasks} killed)` : "")],
      ["Submitted", fmtTime(stage.submissionTime)],
      ["Input", `${fmtBytes(stage.inputBytes)} / ${stage.inputRecords ?? 0} records`],
      ["Output", `${fmtBytes(stage.outputBytes)} / ${stage.outputRecords ?? 0} records`],
      ["Shuffle Read", `${fmtBytes(stage.shuffleReadBytes)} / ${stage.shuffleReadRecords ?? 0} records`],
      ["Shuffle Write", `${fmtBytes(stage.shuffleWriteBytes)} / ${stage.shuffleWriteRecords ?? 0} records`],
      ["Spill", spill],
    ]),
    el("h3", {}, "Summary metrics"),
    quantiles ? quantilesTable(quantiles) : el("p", { class: "muted" }, "No task has finished yet."),
    el("h3", {}, "Tasks"),
    tasks.wrap);
}
