// The control plane's pages, where the server has one (`sparkplane up`, and the operator's
// read-only UI; a bare history server has not): the SparkApplications and ScheduledSparkApplications with state and attempts, and
// per application its state history (its Events), its driver's logs (followed live while the
// driver runs) and a link to its history (on this server, or on the history server that
// ui-config.json's historyUrl names). Routes: #/control and #/control/<namespace>/<name>.
import { getJson, getText, uiConfig } from "./api.js";
import { el, fmtTime, link, route, state } from "./dom.js";
import { table } from "./table.js";

const GROUP = "apis/sparkoperator.k8s.io/v1beta2";
const FOLLOW_MS = 1000;
const MAX_LOG_CHARS = 2_000_000;  // the page keeps the last 2 MB of a log

// Where an application's history is: "" (this server), a URL, or null (nowhere known).
let historyBase = "";

async function loadHistoryBase() {
  const c = await uiConfig();
  historyBase = c.history !== false ? "" : c.historyUrl ? c.historyUrl.replace(/\/?$/, "/") : null;
}

function historyLink(app) {
  const id = app.status?.sparkApplicationId;
  if (!id) return "";
  if (historyBase === null) return id;
  return historyBase ? el("a", { href: historyBase + route("apps", id, "jobs") }, id)
                     : link(route("apps", id, "jobs"), id);
}

export async function controlPage() {
  await loadHistoryBase();
  const [apps, scheduled] = await Promise.all([
    getJson(`${GROUP}/sparkapplications`), getJson(`${GROUP}/scheduledsparkapplications`)]);
  const st = (a) => a.status ?? {};
  return [
    el("h1", {}, "Spark applications"),
    table([
      { label: "Namespace", value: (a) => a.metadata.namespace, cell: (a) => a.metadata.namespace },
      { label: "Name", value: (a) => a.metadata.name,
        cell: (a) => link(route("control", a.metadata.namespace, a.metadata.name), a.metadata.name) },
      { label: "State", value: (a) => st(a).applicationState?.state ?? "",
        cell: (a) => state(st(a).applicationState?.state ?? "NEW") },
      { label: "Attempts", num: true, value: (a) => st(a).executionAttempts ?? 0,
        cell: (a) => st(a).executionAttempts ?? 0 },
      { label: "Submitted", value: (a) => st(a).lastSubmissionAttemptTime ?? "",
        cell: (a) => fmtTime(st(a).lastSubmissionAttemptTime) },
      { label: "Ended", value: (a) => st(a).terminationTime ?? "", cell: (a) => fmtTime(st(a).terminationTime) },
      { label: "History", value: (a) => st(a).sparkApplicationId ?? "", cell: historyLink },
      { label: "Error", value: (a) => st(a).applicationState?.errorMessage ?? "",
        cell: (a) => st(a).applicationState?.errorMessage ?? "" },
    ], apps.items ?? [], { sortBy: 4, descending: true }),
    el("h2", {}, "Scheduled Spark applications"),
    table([
      { label: "Namespace", value: (s) => s.metadata.namespace, cell: (s) => s.metadata.namespace },
      { label: "Name", value: (s) => s.metadata.name, cell: (s) => s.metadata.name },
      { label: "Schedule", value: (s) => s.spec.schedule, cell: (s) => s.spec.schedule },
      { label: "State", value: (s) => st(s).scheduleState ?? "", cell: (s) => st(s).scheduleState ?? "" },
      { label: "Last run", value: (s) => st(s).lastRunName ?? "",
        cell: (s) => (st(s).lastRunName
          ? link(route("control", s.metadata.namespace, st(s).lastRunName), st(s).lastRunName) : "") },
      { label: "Next run", value: (s) => st(s).nextRun ?? "", cell: (s) => fmtTime(st(s).nextRun) },
    ], scheduled.items ?? [], { sortBy: 1 }),
  ];
}

function field(label, value) {
  return [el("dt", {}, label), el("dd", {}, value ?? "")];
}

// The driver's log of one attempt and stream, read on from where it stopped every second while
// the driver may still write, until the page leaves it.
function driverLog(ns, name, attempts) {
  const base = `apis/sparkplane.io/v1/namespaces/${encodeURIComponent(ns)}/sparkapplications/` +
               `${encodeURIComponent(name)}/log`;
  const stream = el("select", { "aria-label": "Stream" },
    el("option", { value: "stdout" }, "stdout"), el("option", { value: "stderr" }, "stderr"));
  const attempt = el("select", { "aria-label": "Attempt" },
    [...Array(attempts).keys()].reverse().map((i) => el("option", { value: i + 1 }, `attempt ${i + 1}`)));
  const status = el("span", { class: "muted", "aria-live": "polite" });
  const pre = el("pre", { class: "log", tabindex: 0, "aria-label": "Driver log" });
  let generation = 0;

  async function follow() {
    const mine = ++generation;
    let offset = 0;
    pre.textContent = "";
    for (;;) {
      if (mine !== generation || !pre.isConnected && offset > 0) return;
      let r;
      try {
        r = await getText(`${base}?stream=${stream.value}&attempt=${attempt.value}&offset=${offset}`);
      } catch (e) {
        status.textContent = e.status === 404 ? "no log yet" : e.message;
        return;
      }
      if (mine !== generation) return;
      if (r.text) {
        pre.append(r.text);
        if (pre.textContent.length > MAX_LOG_CHARS) pre.textContent = pre.textContent.slice(-MAX_LOG_CHARS);
        offset = Number(r.headers.get("X-Sparkplane-Next-Offset") ?? offset + r.text.length);
        continue;  // more may be there already
      }
      const finished = r.headers.get("X-Sparkplane-Attempt-Finished") === "true";
      status.textContent = finished ? "the driver has ended" : "following…";
      if (finished) return;
      await new Promise((done) => setTimeout(done, FOLLOW_MS));
    }
  }
  stream.addEventListener("change", follow);
  attempt.addEventListener("change", follow);
  follow();
  return el("section", {}, el("h2", {}, "Driver log"),
            el("div", { class: "controls" }, stream, attempt, status), pre);
}

const FINAL = new Set(["COMPLETED", "FAILED", "SUBMISSION_FAILED"]);
const REFRESH_MS = 2000;

function appFields(app) {
  const st = app.status ?? {};
  return [
    field("State", state(st.applicationState?.state ?? "NEW")),
    field("Error", st.applicationState?.errorMessage),
    field("Execution attempts", String(st.executionAttempts ?? 0)),
    field("Submission attempts", String(st.submissionAttempts ?? 0)),
    field("Submission id", st.submissionID),
    field("Last submitted", fmtTime(st.lastSubmissionAttemptTime)),
    field("Ended", fmtTime(st.terminationTime)),
    field("History", historyLink(app)),
  ].flat();
}

function eventsTable(events) {
  return table([
    { label: "Time", value: (e) => e.lastTimestamp ?? e.eventTime ?? "",
      cell: (e) => fmtTime(e.lastTimestamp ?? e.eventTime) },
    { label: "Type", value: (e) => e.type ?? "", cell: (e) => e.type ?? "" },
    { label: "Reason", value: (e) => e.reason ?? "", cell: (e) => e.reason ?? "" },
    { label: "Message", value: (e) => e.message ?? "", cell: (e) => e.message ?? "" },
  ], events.items ?? [], { sortBy: 0 });
}

export async function controlAppPage(ns, name) {
  await loadHistoryBase();
  const path = `${GROUP}/namespaces/${encodeURIComponent(ns)}/sparkapplications/${encodeURIComponent(name)}`;
  const eventsPath = `api/v1/namespaces/${encodeURIComponent(ns)}/events?fieldSelector=` +
                     encodeURIComponent(`involvedObject.name=${name}`);
  const [app, events] = await Promise.all([getJson(path), getJson(eventsPath)]);
  const details = el("dl", { class: "fields", "aria-live": "polite" }, appFields(app));
  const history = el("div", {}, eventsTable(events));
  // Until the application has ended, its state and history are read again every 2 s.
  (async () => {
    let current = app;
    while (!FINAL.has(current.status?.applicationState?.state)) {
      await new Promise((done) => setTimeout(done, REFRESH_MS));
      if (!details.isConnected) return;
      try {
        const [next, nextEvents] = await Promise.all([getJson(path), getJson(eventsPath)]);
        current = next;
        details.replaceChildren(...appFields(next));
        history.replaceChildren(eventsTable(nextEvents));
      } catch {
        return;  // deleted, or the server went away: the page keeps what it showed
      }
    }
  })();
  const attempts = Math.max(1, app.status?.executionAttempts ?? 1);
  return [el("h1", {}, `${ns}/${name}`), details, el("h2", {}, "State history"), history,
          driverLog(ns, name, attempts)];
}
