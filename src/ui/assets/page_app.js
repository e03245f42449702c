// One application: its tabs (jobs, stages, executors) under #/apps/<id>[/<attempt>]/<tab>.
import { api } from "./api.js";
import { appApiPath, el, fmtBytes, fmtDuration, fmtTime, link, route, span, state } from "./dom.js";
import { jobPage } from "./page_job.js";
import { stagePage } from "./page_stage.js";
import { environmentPage } from "./page_environment.js";
import { sqlPage } from "./page_sql.js";
import { storagePage } from "./page_storage.js";
import { summaryPage } from "./page_summary.js";
import { timelinePage } from "./page_timeline.js";
import { table } from "./table.js";

function appTabs(appPath, current) {
  const tabs = [["jobs", "Jobs"], ["stages", "Stages"], ["storage", "Storage"],
                ["environment", "Environment"], ["executors", "Executors"], ["sql", "SQL"], ["timeline", "Timeline"],
                ["summary", "Summary"]];
  return el("nav", { class: "tabs", "aria-label": "Application" }, tabs.map(([tab, label]) =>
    el("a", { href: route("apps", ...appPath, tab),
              "aria-current": tab === current ? "page" : null }, label)));
}

async function jobsPage(appPath) {
  const jobs = await api(`${appApiPath(appPath)}/jobs`);
  return table([
    { label: "Job Id", num: true, value: (j) => j.jobId,
      cell: (j) => link(route("apps", ...appPath, "jobs", j.jobId), j.jobId) },
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

async function stagesPage(appPath) {
  return stagesTable(appPath, await api(`${appApiPath(appPath)}/stages`));
}

// Also the job page's table of its stages.
export function stagesTable(appPath, stages) {
  return table([
    { label: "Stage Id", num: true, value: (s) => s.stageId * 1000 + s.attemptId,
      cell: (s) => link(route("apps", ...appPath, "stages", s.stageId, s.attemptId),
                        s.attemptId ? `${s.stageId} (retry ${s.attemptId})` : String(s.stageId)) },
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
  const execs = await api(`${appApiPath(appPath)}/allexecutors`);
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

export const APP_PAGES = { jobs: jobsPage, stages: stagesPage, executors: executorsPage,
                           storage: storagePage, environment: environmentPage, sql: sqlPage, timeline: timelinePage,
                           summary: summaryPage };

// Pages under a tab: #/apps/<id>[/<attempt>]/jobs/<jobId>, .../stages/<stageId>/<attempt>.
const DETAIL_PAGES = { jobs: jobPage, stages: stagePage, storage: storagePage, sql: sqlPage };

export async function appPage(parts, setCrumbs) {
  // #/apps/<id>[/<attempt>]/<tab>[/<detail>...]
  const at = parts.findIndex((p, i) => i > 0 && p in APP_PAGES);
  const tab = at < 0 ? "jobs" : parts[at];
  const appPath = at < 0 ? parts : parts.slice(0, at);
  const detail = at < 0 ? [] : parts.slice(at + 1);
  // Both at once: the tab's first request starts the app's replay on a cold server.
  const [apps, content] = await Promise.all([
    api(`applications/${encodeURIComponent(appPath[0])}`),
    detail.length && DETAIL_PAGES[tab] ? DETAIL_PAGES[tab](appPath, detail) : APP_PAGES[tab](appPath)]);
  setCrumbs([[route("apps", ...appPath, "jobs"), `${apps.name} (${appPath.join(" / ")})`]]);
  // Several attempts: the oldest and the newest side by side (attempts come newest first).
  const tries = apps.attempts ?? [];
  const compare = tries.length > 1 && tries.every((t) => t.attemptId)
    ? el("p", {}, link(route("compare", `${appPath[0]}:${tries[tries.length - 1].attemptId}`,
                             `${appPath[0]}:${tries[0].attemptId}`), "Compare attempts")) : null;
  return [el("h1", {}, apps.name ?? appPath[0]), ...(compare ? [compare] : []), appTabs(appPath, tab), content];
}


