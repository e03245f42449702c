// The application list: one row per attempt, as Spark's history page; search, status, user and
// date filters, sorting and paging.
import { api } from "./api.js";
import { el, fmtDuration, fmtTime, link, parseTime, route, state } from "./dom.js";
import { table } from "./table.js";

export async function applicationsPage() {
  const apps = await api("applications");
  // One row per attempt, as Spark's history page shows them.
  const rows = apps.flatMap((a) => a.attempts.map((t) => ({ app: a, attempt: t })));
  const search = el("input", { type: "search", placeholder: "Search id, name or user",
                               "aria-label": "Search applications" });
  const status = el("select", { "aria-label": "Status" },
    el("option", { value: "" }, "All"), el("option", { value: "completed" }, "Completed"),
    el("option", { value: "running" }, "Running"));
  const users = [...new Set(rows.map((r) => r.attempt.sparkUser ?? ""))].filter(Boolean).sort();
  const user = el("select", { "aria-label": "User" },
    el("option", { value: "" }, "All users"), users.map((u) => el("option", { value: u }, u)));
  const since = el("input", { type: "date", "aria-label": "Started on or after" });
  const holder = el("div");
  // Runs ticked for comparison ("app" or "app:attempt"), kept across sorting and paging.
  const ticked = [];
  const runRef = (r) => (r.attempt.attemptId ? `${r.app.id}:${r.attempt.attemptId}` : r.app.id);
  const compare = el("button", { type: "button", disabled: true,
                                 onclick: () => { location.hash = route("compare", ...ticked); } },
                     "Compare");
  const tick = (r) => el("input", {
    type: "checkbox", class: "pick", checked: ticked.includes(runRef(r)),
    "aria-label": `Select ${runRef(r)} to compare`,
    onchange: (e) => {
      const ref = runRef(r);
      if (e.target.checked) ticked.push(ref);
      else ticked.splice(ticked.indexOf(ref), 1);
      compare.disabled = ticked.length !== 2;
    } });

  function draw() {
    const q = search.value.trim().toLowerCase();
    const from = since.value ? new Date(since.value + "T00:00:00") : null;
    const shown = rows.filter(({ app, attempt }) => {
      if (status.value === "completed" && !attempt.completed) return false;
      if (status.value === "running" && attempt.completed) return false;
      if (user.value && attempt.sparkUser !== user.value) return false;
      if (from && (parseTime(attempt.startTimeEpoch ?? attempt.startTime) ?? 0) < from) return false;
      if (!q) return true;
      return [app.id, app.name, attempt.sparkUser].some((v) => String(v ?? "").toLowerCase().includes(q));
    });
    holder.replaceChildren(table([
      { label: "App ID", value: (r) => r.app.id,
        cell: (r) => [tick(r), link(route("apps", r.app.id, ...(r.attempt.attemptId ? [r.attempt.attemptId] : []), "jobs"), r.app.id)] },
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
  for (const input of [search, status, user, since]) input.addEventListener("input", draw);
  draw();
  return [el("h1", {}, "Applications"),
          el("div", { class: "controls" }, search, status, user,
             el("label", {}, "Started since ", since), compare),
          holder];
}

