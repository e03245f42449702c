// An application's SQL tab: the SQL/DataFrame executions (sql), and one execution
// (sql/<id>?details=true&planDescription=true) with its physical plan drawn as a graph and
// the plan's text.
import { api } from "./api.js";
import { appApiPath, el, fmtDuration, fmtTime, link, route, state } from "./dom.js";
import { planGraph } from "./sql_graph.js";
import { table } from "./table.js";

function jobLinks(appPath, q) {
  const ids = [...(q.runningJobIds ?? []), ...(q.successJobIds ?? []), ...(q.failedJobIds ?? [])]
    .sort((a, b) => a - b);
  const out = [];
  ids.forEach((id, i) => {
    if (i) out.push(", ");
    out.push(link(route("apps", ...appPath, "jobs"), String(id)));
  });
  return el("span", {}, out);
}

function executionList(appPath, queries) {
  if (queries.length === 0) return el("p", { class: "muted empty" }, "No SQL executions.");
  return table([
    { label: "ID", num: true, value: (q) => q.id,
      cell: (q) => link(route("apps", ...appPath, "sql", String(q.id)), String(q.id)) },
    { label: "Description", value: (q) => q.description ?? "",
      cell: (q) => link(route("apps", ...appPath, "sql", String(q.id)), q.description || `Query ${q.id}`) },
    { label: "Submitted", value: (q) => String(q.submissionTime ?? ""), cell: (q) => fmtTime(q.submissionTime) },
    { label: "Duration", num: true, value: (q) => q.duration ?? -1, cell: (q) => fmtDuration(q.duration) },
    { label: "Status", value: (q) => q.status ?? "", cell: (q) => state(q.status ?? "") },
    { label: "Job IDs", value: (q) => (q.successJobIds ?? []).length, cell: (q) => jobLinks(appPath, q) },
  ], queries, { sortBy: 0, descending: true });
}

function execution(appPath, q) {
  const nodes = q.nodes ?? [];
  return el("div", { class: "sql-execution" },
    link(route("apps", ...appPath, "sql"), "All SQL executions"),
    el("h2", {}, `Query ${q.id}: ${q.description ?? ""}`),
    el("dl", { class: "facts" },
       el("dt", {}, "Status"), el("dd", {}, state(q.status ?? "")),
       el("dt", {}, "Submitted"), el("dd", {}, fmtTime(q.submissionTime)),
       el("dt", {}, "Duration"), el("dd", {}, fmtDuration(q.duration)),
       el("dt", {}, "Jobs"), el("dd", {}, jobLinks(appPath, q))),
    nodes.length
      ? el("div", { class: "plan-scroll", tabindex: 0, "aria-label": "Physical plan graph" },
           planGraph(nodes, q.edges ?? []))
      : el("p", { class: "muted" }, "No plan graph."),
    el("details", { class: "plan-text" },
       el("summary", {}, "Plan description"),
       el("pre", {}, q.planDescription ?? "")));
}

// rest: [] for the list, [executionId] for one execution.
export async function sqlPage(appPath, rest = []) {
  if (rest.length > 0) {
    const q = await api(`${appApiPath(appPath)}/sql/${encodeURIComponent(rest[0])}` +
                        "?details=true&planDescription=true");
    return execution(appPath, q);
  }
  return executionList(appPath, await api(`${appApiPath(appPath)}/sql`));
}
