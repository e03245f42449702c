// One job's page (#/apps/<id>[/<attempt>]/jobs/<jobId>): its summary (status, submitted,
// duration, description) and the table of its stages, each linking to its stage page.
import { api } from "./api.js";
import { appApiPath, el, fmtDuration, fmtTime, span, state } from "./dom.js";
import { stagesTable } from "./page_app.js";

export function summary(items) {
  return el("dl", { class: "summary" }, items.filter(([, v]) => v !== undefined && v !== "")
    .flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
}

export async function jobPage(appPath, [jobId]) {
  const base = appApiPath(appPath);
  const [job, stages] = await Promise.all([
    api(`${base}/jobs/${encodeURIComponent(jobId)}`), api(`${base}/stages`)]);
  const ids = new Set(job.stageIds ?? []);
  const mine = stages.filter((s) => ids.has(s.stageId));
  return el("section", { class: "detail" },
    el("h2", {}, `Job ${job.jobId}`),
    summary([
      ["Status", state(job.status)],
      ["Submitted", fmtTime(job.submissionTime)],
      ["Duration", fmtDuration(span(job.submissionTime, job.completionTime))],
      ["Description", job.description ?? job.name ?? ""],
      ["Tasks", `${job.numCompletedTasks}/${job.numTasks}` +
                (job.numFailedTasks ? ` (${job.numFailedTasks} failed)` : "")],
    ]),
    el("h3", {}, "Stages"),
    stagesTable(appPath, mine));
}
