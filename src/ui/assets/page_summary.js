// An application's Summary tab (#/apps/<id>[/<attempt>]/summary): in plain words why the run
// was slow or failed, each finding with its numbers and a link to what it concerns. The
// analysis is diagnose.js; this page fetches the answers it needs and draws the findings.
import { api } from "./api.js";
import { appApiPath, el, link, route } from "./dom.js";
import { diagnose, stageDuration, stageKey, stagesForSkew, stagesWithFailedTasks } from "./diagnose.js";

const PARALLEL = 8;
const MAX_STAGES = 500;  // stages whose task quantiles are read, the longest first

// f over items, PARALLEL at a time; a failed fetch leaves that item out.
export async function mapLimited(items, f) {
  const out = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      try {
        out[i] = await f(items[i]);
      } catch {
        out[i] = undefined;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
  return out;
}

// The REST answers diagnose() reads, for one application (or attempt).
export async function loadRun(appPath, { failed = true } = {}) {
  const base = appApiPath(appPath);
  const [jobs, stages, executors] = await Promise.all([
    api(`${base}/jobs`), api(`${base}/stages`), api(`${base}/allexecutors`)]);
  const stageApi = (s) => `${base}/stages/${s.stageId}/${s.attemptId}`;
  const forSkew = stagesForSkew(stages)
    .sort((a, b) => (stageDuration(b) ?? 0) - (stageDuration(a) ?? 0)).slice(0, MAX_STAGES);
  const summaries = {};
  (await mapLimited(forSkew, (s) => api(`${stageApi(s)}/taskSummary?quantiles=0.5,1.0`)))
    .forEach((q, i) => { if (q) summaries[stageKey(forSkew[i])] = q; });
  const failedTasks = {};
  if (failed) {
    const withFailures = stagesWithFailedTasks(stages);
    (await mapLimited(withFailures, (s) => api(`${stageApi(s)}/taskList?status=failed&length=1000`)))
      .forEach((t, i) => { if (t) failedTasks[stageKey(withFailures[i])] = t; });
  }
  return { jobs, stages, executors, summaries, failedTasks };
}

function finding(appPath, f, cls) {
  return el("section", { class: `finding ${cls}`, "data-kind": f.kind },
    el("h2", {}, f.title),
    el("ul", {}, f.items.map((item) =>
      el("li", {}, item.text, " ", link(route("apps", ...appPath, ...item.target.map(String)),
                                        item.target[0] === "executors" ? "executors" : "details")))));
}

export async function summaryPage(appPath) {
  const { problems, longest } = diagnose(await loadRun(appPath));
  const nodes = problems.length
    ? problems.map((f) => finding(appPath, f, "problem"))
    : [el("p", { class: "finding ok" }, "Nothing stands out: no failures, lost executors, skew, " +
                                         "spills or heavy GC in this run.")];
  if (longest.items.length) nodes.push(finding(appPath, longest, "info"));
  return el("div", { class: "summary-page" }, nodes);
}
