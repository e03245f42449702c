// sparkplane's web UI: one page that reads Spark's history REST API (/api/v1) beside it and
// draws the application list and each application's jobs, stages and executors.
// Every value reaches the page as text (Node.append / textContent, never innerHTML), and the
// server's Content-Security-Policy allows no inline script: an app named
// <script>alert('XSS')</script> is shown, not run. Routes live in the URL's hash
// (#/apps/<id>/jobs), and the API is found relative to the page, so the UI works behind a
// proxy's path prefix.

const main = document.getElementById("main");
const crumbs = document.getElementById("crumbs");
const PAGE_SIZE = 50;

// ---- DOM and formatting helpers ----------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

function link(hash, text) {
  return el("a", { href: hash }, text);
}

function route(...parts) {
  return "#/" + parts.map(encodeURIComponent).join("/");
}

// Spark writes times as "2015-02-03T16:42:38.277GMT".
function parseTime(value) {
  if (typeof value === "number") return value > 0 ? new Date(value) : null;
  if (!value) return null;
  const d = new Date(String(value).replace(/GMT$/, "Z"));
  return Number.isNaN(d.getTime()) ? null : d;
}

function fmtTime(value) {
  const d = parseTime(value);
  if (!d) return "";
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
         `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function fmtDuration(ms) {
  if (ms === undefined || ms === null || ms < 0) return "";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

function fmtBytes(n) {
  if (!n) return "0 B";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

function state(text) {
  return el("span", { class: `state-${text}` }, text);
}

// ---- API ---------------------------------------------------------------------------------

async function api(path) {
  const r = await fetch("api/v1/" + path, { headers: { Accept: "application/json" } });
  if (!r.ok) throw new Error(`${r.status}: ${(await r.text()).slice(0, 300)}`);
  return r.json();
}

// ---- A sortable, paged table --------------------------------------------------------------

// columns: [{ label, value(row) for sorting, cell(row) -> node or text, num }]
function table(columns, rows, { sortBy = 0, descending = false, caption } = {}) {
  let sortCol = sortBy;
  let desc = descending;
  let page = 0;
  const wrap = el("div", { class: "table" });

  function draw() {
    const col = columns[sortCol];
    const sorted = [...rows].sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      const c = x < y ? -1 : x > y ? 1 : 0;
      return desc ? -c : c;
    });
    const pages = Math.max(1, Math.ceil(sorted.length / PAGE_SIZE));
    page = Math.min(page, pages - 1);
    const shown = sorted.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
    const head = el("tr", {}, columns.map((c, i) => {
      const sort = () => {
        if (sortCol === i) desc = !desc;
        else [sortCol, desc] = [i, false];
        draw();
      };
      return el("th", {
        scope: "col", tabindex: 0,
        "aria-sort": i === sortCol ? (desc ? "descending" : "ascending") : "none",
        onclick: sort,
        onkeydown: (e) => {
          if (e.key === "Enter" || e.key === " ") {
            e.preventDefault();
            sort();
          }
        },
      }, c.label);
    }));
    const body = shown.map((r) =>
      el("tr", {}, columns.map((c) => el("td", { class: c.num ? "num" : null }, c.cell(r)))));
    const pager = el("div", { class: "pager" },
      el("button", { disabled: page === 0, onclick: () => { page--; draw(); } }, "Previous"),
      el("span", { class: "muted" },
         `${sorted.length === 0 ? 0 : page * PAGE_SIZE + 1}–${page * PAGE_SIZE + shown.length}` +
         ` of ${sorted.length}`),
      el("button", { disabled: page >= pages - 1, onclick: () => { page++; draw(); } }, "Next"));
    wrap.replaceChildren(
      el("table", {}, caption ? el("caption", { class: "muted" }, caption) : null,
         el("thead", {}, head), el("tbody", {}, body)),
      pager);
  }
  draw();
  return wrap;
}

// ---- Pages --------------------------------------------------------------------------------

async function applicationsPage() {
  setCrumbs([]);
  const apps = await api("applications");
  // One row per attempt, as Spark's history page shows them.
  const rows = apps.flatMap((a) => a.attempts.map((t) => ({ app: a, attempt: t })));
  const search = el("input", { type: "search", placeholder: "Search id, name or user",
                               "aria-label": "Search applications" });
  const status = el("select", { "aria-label": "Status" },
    el("option", { value: "" }, "All"), el("option", { value: "completed" }, "Completed"),
    el("option", { value: "running" }, "Running"));
  const since = el("input", { type: "date", "aria-label": "Started on or after" });
  const holder = el("div");

  function draw() {
    const q = search.value.trim().toLowerCase();
    const from = since.value ? new Date(since.value + "T00:00:00") : null;
    const shown = rows.filter(({ app, attempt }) => {
      if (status.value === "completed" && !attempt.completed) return false;
      if (status.value === "running" && attempt.completed) return false;
      if (from && (parseTime(attempt.startTimeEpoch ?? attempt.startTime) ?? 0) < from) return false;
      if (!q) return true;
      return [app.id, app.name, attempt.sparkUser].some((v) => String(v ?? "").toLowerCase().includes(q));
    });
    holder.replaceChildren(table([
      { label: "App ID", value: (r) => r.app.id,
        cell: (r) => link(route("apps", r.app.id, ...(r.attempt.attemptId ? [r.attempt.attemptId] : []), "jobs"), r.app.id) },
      { label: "App Name", value: (r) => r.app.name ?? "", cell: (r) => r.app.name ?? "" },
      { label: "Attempt", value: (r) => r.attempt.attemptId ?? "", cell: (r) => r.attempt.attemptId ?? "" },
      { label: "Started", value: (r) => r.attempt.startTimeEpoch ?? 0, cell: (r) => fmtTime(r.attempt.startTime) },
      { label: "Completed", value: (r) => r.attempt.endTimeEpoch ?? 0,
        cell: (r) => (r.attempt.completed ? fmtTime(r.attempt.endTime) : state("RUNNING")) },
      { label: "Duration", num: true, value: (r) => r.attempt.duration ?? 0,
        cell: (r) => (r.attempt.completed ? fmtDuration(r.attempt.duration) : "") },
      { label: "Spark User", value: (r) => r.attempt.sparkUser ?? "", cell: (r) => r.attempt.sparkUser ?? "" },
      { label: "Last Updated", value: (r) => r.attempt.lastUpdatedEpoch ?? 0, cell: (r) => fmtTime(r.attempt.lastUpdated) },
    ], shown, { sortBy: 3, descending: true }));
  }
  for (const input of [search, status, since]) input.addEventListener("input", draw);
  draw();
  return [el("h1", {}, "Applications"),
          el("div", { class: "controls" }, search, status,
             el("label", {}, "Started since ", since)),
          holder];
}

function appTabs(appPath, current) {
  const tabs = [["jobs", "Jobs"], ["stages", "Stages"], ["executors", "Executors"]];
  return el("nav", { class: "tabs", "aria-label": "Application" }, tabs.map(([tab, label]) =>
    el("a", { href: route("apps", ...appPath, tab),
              "aria-current": tab === current ? "page" : null }, label)));
}

async function jobsPage(appPath) {
  const jobs = await api(`applications/${appPath.map(encodeURIComponent).join("/")}/jobs`);
  return table([
    { label: "Job Id", num: true, value: (j) => j.jobId, cell: (j) => j.jobId },
    { label: "Description", value: (j) => j.name ?? "", cell: (j) => j.description ?? j.name ?? "" },
    { label: "Submitted", value: (j) => String(j.submissionTime ?? ""), cell: (j) => fmtTime(j.submissionTime) },
    { label: "Duration", num: true, value: (j) => span(j.submissionTime, j.completionTime),
      cell: (j) => fmtDuration(span(j.submissionTime, j.completionTime)) },
    { label: "Stages", num: true, value: (j) => j.numCompletedStages,
      cell: (j) => `${j.numCompletedStages}/${j.stageIds.length}` + (j.numSkippedStages ? ` (${j.numSkippedStages} skipped)` : "") },
    { label: "Tasks", num: true, value: (j) => j.numCompletedTasks,
      cell: (j) => `${j.numCompletedTasks}/${j.numTasks}` + (j.numFailedTasks ? ` (${j.numFailedTasks} failed)` : "") },
    { label: "Status", value: (j) => j.status, cell: (j) => state(j.status) },
  ], jobs, { sortBy: 0, descending: true });
}

function span(from, to) {
  const a = parseTime(from);
  const b = parseTime(to);
  return a && b ? b - a : undefined;
}

async function stagesPage(appPath) {
  const stages = await api(`applications/${appPath.map(encodeURIComponent).join("/")}/stages`);
  return table([
    { label: "Stage Id", num: true, value: (s) => s.stageId * 1000 + s.attemptId,
      cell: (s) => (s.attemptId ? `${s.stageId} (retry ${s.attemptId})` : s.stageId) },
    { label: "Description", value: (s) => s.name ?? "", cell: (s) => s.description ?? s.name ?? "" },
    { label: "Submitted", value: (s) => String(s.submissionTime ?? ""), cell: (s) => fmtTime(s.submissionTime) },
    { label: "Duration", num: true, value: (s) => span(s.firstTaskLaunchedTime ?? s.submissionTime, s.completionTime) ?? -1,
      cell: (s) => fmtDuration(span(s.firstTaskLaunchedTime ?? s.submissionTime, s.completionTime)) },
    { label: "Tasks", num: true, value: (s) => s.numTasks, cell: (s) => `${s.numCompleteTasks}/${s.numTasks}` + (s.numFailedTasks ? ` (${s.numFailedTasks} failed)` : "") },
    { label: "Input", num: true, value: (s) => s.inputBytes, cell: (s) => fmtBytes(s.inputBytes) },
    { label: "Output", num: true, value: (s) => s.outputBytes, cell: (s) => fmtBytes(s.outputBytes) },
    { label: "Shuffle Read", num: true, value: (s) => s.shuffleReadBytes, cell: (s) => fmtBytes(s.shuffleReadBytes) },
    { label: "Shuffle Write", num: true, value: (s) => s.shuffleWriteBytes, cell: (s) => fmtBytes(s.shuffleWriteBytes) },
    { label: "Status", value: (s) => s.status, cell: (s) => state(s.status) },
  ], stages, { sortBy: 0, descending: true });
}

async function executorsPage(appPath) {
  const execs = await api(`applications/${appPath.map(encodeURIComponent).join("/")}/allexecutors`);
  return table([
    { label: "Executor ID", value: (e) => (e.id === "driver" ? -1 : Number(e.id)), cell: (e) => e.id },
    { label: "Address", value: (e) => e.hostPort ?? "", cell: (e) => e.hostPort ?? "" },
    { label: "Status", value: (e) => (e.isActive ? 1 : 0), cell: (e) => (e.isActive ? "Active" : "Dead") },
    { label: "Cores", num: true, value: (e) => e.totalCores, cell: (e) => e.totalCores },
    { label: "Storage Memory", num: true, value: (e) => e.memoryUsed,
      cell: (e) => `${fmtBytes(e.memoryUsed)} / ${fmtBytes(e.maxMemory)}` },
    { label: "Failed Tasks", num: true, value: (e) => e.failedTasks, cell: (e) => e.failedTasks },
    { label: "Complete Tasks", num: true, value: (e) => e.completedTasks, cell: (e) => e.completedTasks },
    { label: "Task Time (GC Time)", num: true, value: (e) => e.totalDuration,
      cell: (e) => `${fmtDuration(e.totalDuration)} (${fmtDuration(e.totalGCTime)})` },
    { label: "Input", num: true, value: (e) => e.totalInputBytes, cell: (e) => fmtBytes(e.totalInputBytes) },
    { label: "Shuffle Read", num: true, value: (e) => e.totalShuffleRead, cell: (e) => fmtBytes(e.totalShuffleRead) },
    { label: "Shuffle Write", num: true, value: (e) => e.totalShuffleWrite, cell: (e) => fmtBytes(e.totalShuffleWrite) },
  ], execs, { sortBy: 0 });
}

const APP_PAGES = { jobs: jobsPage, stages: stagesPage, executors: executorsPage };

async function appPage(parts) {
  // #/apps/<id>/<tab> or #/apps/<id>/<attempt>/<tab>
  const tab = parts[parts.length - 1] in APP_PAGES ? parts.pop() : "jobs";
  const appPath = parts;
  const apps = await api(`applications/${encodeURIComponent(appPath[0])}`);
  setCrumbs([[route("apps", ...appPath, "jobs"), `${apps.name} (${appPath.join(" / ")})`]]);
  const content = await APP_PAGES[tab](appPath);
  return [el("h1", {}, apps.name ?? appPath[0]), appTabs(appPath, tab), content];
}

function setCrumbs(items) {
  crumbs.replaceChildren(...items.map(([hash, text]) => link(hash, text)));
}

// ---- Router -------------------------------------------------------------------------------

async function render() {
  const parts = location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  try {
    const nodes = parts[0] === "apps" && parts.length > 1
      ? await appPage(parts.slice(1))
      : await applicationsPage();
    main.replaceChildren(...nodes);
    document.title = `${main.querySelector("h1")?.textContent ?? ""} - sparkplane`;
  } catch (e) {
    main.replaceChildren(el("h1", {}, "Cannot show this page"), el("p", { class: "error" }, e.message));
  }
}

window.addEventListener("hashchange", render);
render();
