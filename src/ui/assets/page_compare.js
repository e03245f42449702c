// Two applications, or two attempts of one, side by side (#/compare/<a>/<b>, each <app> or
// <app>:<attempt>): the totals, then each stage matched by id (or by name when the ids
// differ) with its duration, tasks, skew, shuffle and spill. A cell of B that is worse or
// better than A's by more than 10% carries the class worse/better; other changes "differs".
import { api } from "./api.js";
import { el, fmtBytes, fmtDuration, link, route } from "./dom.js";
import { skewOf, stageDuration, stageKey } from "./diagnose.js";
import { loadRun } from "./page_summary.js";

// "app" or "app:attempt" -> ["app"] or ["app", "attempt"].
export function parseRunRef(ref) {
  const at = ref.lastIndexOf(":");
  return at > 0 ? [ref.slice(0, at), ref.slice(at + 1)] : [ref];
}

// Stage pairs [a, b] (either may be undefined): by id when the names agree, then by name, then
// by id. Only each stage's last attempt counts.
export function matchStages(stagesA, stagesB) {
  const last = (stages) => {
    const m = new Map();
    for (const s of stages) if (!m.has(s.stageId) || m.get(s.stageId).attemptId < s.attemptId) m.set(s.stageId, s);
    return [...m.values()].sort((x, y) => x.stageId - y.stageId);
  };
  const as = last(stagesA);
  const bs = last(stagesB);
  const used = new Set();
  const pairs = as.map((a) => [a, undefined]);
  const pass = (fits) => {
    for (const p of pairs) {
      if (p[1]) continue;
      const b = bs.find((s) => !used.has(s) && fits(p[0], s));
      if (b) {
        p[1] = b;
        used.add(b);
      }
    }
  };
  pass((a, b) => a.stageId === b.stageId && a.name === b.name);
  pass((a, b) => a.name === b.name);
  pass((a, b) => a.stageId === b.stageId);
  for (const b of bs) if (!used.has(b)) pairs.push([undefined, b]);
  return pairs;
}

// The class of B's cell against A's: lower is better for "cost" metrics.
// minAbs: a smaller difference is noise (a few ms of a stage, a skew of 1.1x against 1.0x).
export function diffClass(a, b, cost, minAbs = 0) {
  if (a === undefined || b === undefined || a === b) return null;
  if (!cost) return "differs";
  const tolerance = Math.max(Math.abs(a) * 0.1, Math.abs(b) * 0.1, minAbs);
  if (Math.abs(b - a) <= tolerance) return null;
  return b > a ? "worse" : "better";
}

async function loadSide(ref) {
  const appPath = parseRunRef(ref);
  const app = await api(`applications/${encodeURIComponent(appPath[0])}`);
  const attempt = appPath[1] === undefined ? app.attempts?.[0]
    : app.attempts?.find((t) => String(t.attemptId) === appPath[1]);
  if (!attempt) throw new Error(`${ref}: no such attempt`);
  const run = await loadRun(appPath, { failed: false });
  return { ref, appPath, app, attempt, ...run };
}

const tasksOf = (r) => r.stages.reduce((n, s) => n + (s.numTasks ?? 0), 0);
const failedTasksOf = (r) => r.stages.reduce((n, s) => n + (s.numFailedTasks ?? 0), 0);
const spill = (s) => (s.memoryBytesSpilled ?? 0) + (s.diskBytesSpilled ?? 0);

function pairCells(a, b, fmt, cost, minAbs) {
  return [el("td", { class: "num" }, a === undefined ? "" : fmt(a)),
          el("td", { class: ["num", diffClass(a, b, cost, minAbs)].filter(Boolean).join(" ") },
             b === undefined ? "" : fmt(b))];
}

const header = (labels) => el("thead", {}, el("tr", {}, labels.map((h) => el("th", { scope: "col", class: "plain" }, h))));
const count = (n) => String(n);
const ratio = (r) => (Number.isFinite(r) ? `${r.toFixed(1)}×` : "∞×");

function totalsTable(A, B) {
  const rows = [
    ["Duration", (r) => r.attempt.duration, fmtDuration, true, 1000],
    ["Jobs", (r) => r.jobs.length, count, false],
    ["Failed jobs", (r) => r.jobs.filter((j) => j.status === "FAILED").length, count, true],
    ["Stages", (r) => r.stages.length, count, false],
    ["Tasks", tasksOf, count, false],
    ["Failed tasks", failedTasksOf, count, true],
    ["Shuffle read", (r) => r.stages.reduce((n, s) => n + (s.shuffleReadBytes ?? 0), 0), fmtBytes, false],
    ["Shuffle write", (r) => r.stages.reduce((n, s) => n + (s.shuffleWriteBytes ?? 0), 0), fmtBytes, false],
    ["Spill", (r) => r.stages.reduce((n, s) => n + spill(s), 0), fmtBytes, true],
  ];
  return el("table", { class: "compare totals" },
    header(["", `A: ${A.ref}`, `B: ${B.ref}`]),
    el("tbody", {}, rows.map(([label, get, fmt, cost, minAbs]) =>
      el("tr", {}, el("th", { scope: "row", class: "plain" }, label),
         pairCells(get(A), get(B), fmt, cost, minAbs)))));
}

function stagesTable(A, B) {
  const stageLink = (r, s) => (s ? link(route("apps", ...r.appPath, "stages", s.stageId, s.attemptId), String(s.stageId)) : "");
  const sk = (r, s) => (s ? skewOf(r.summaries[stageKey(s)])?.ratio : undefined);
  const pairs = matchStages(A.stages, B.stages);
  return el("table", { class: "compare stages" },
    header(["Stage A", "Stage B", "Name", "Duration A", "Duration B", "Tasks A", "Tasks B",
            "Skew A", "Skew B", "Shuffle Read A", "Shuffle Read B", "Shuffle Write A",
            "Shuffle Write B", "Spill A", "Spill B"]),
    el("tbody", {}, pairs.map(([a, b]) => {
      const get = (f) => [a ? f(a, A) : undefined, b ? f(b, B) : undefined];
      return el("tr", {},
        el("td", {}, stageLink(A, a)), el("td", {}, stageLink(B, b)),
        el("td", {}, (a ?? b).name ?? ""),
        pairCells(...get((s) => stageDuration(s)), fmtDuration, true, 100),
        pairCells(...get((s) => s.numTasks), count, false),
        pairCells(...get((s, r) => sk(r, s)), ratio, true, 1),
        pairCells(...get((s) => s.shuffleReadBytes), fmtBytes, false),
        pairCells(...get((s) => s.shuffleWriteBytes), fmtBytes, false),
        pairCells(...get(spill), fmtBytes, true));
    })));
}

export async function comparePage(refA, refB) {
  if (!refA || !refB) throw new Error("Compare needs two runs: #/compare/<app>[:<attempt>]/<app>[:<attempt>]");
  const [A, B] = await Promise.all([loadSide(refA), loadSide(refB)]);
  const name = (r) => link(route("apps", ...r.appPath, "jobs"), `${r.app.name ?? r.appPath[0]} (${r.ref})`);
  return [el("h1", {}, `Compare ${refA} and ${refB}`),
          el("p", {}, "A: ", name(A), " — B: ", name(B),
             el("span", { class: "muted" }, ". B's cells are marked where B is worse or better than A by more than 10% (and more than noise).")),
          el("h2", {}, "Totals"), totalsTable(A, B),
          el("h2", {}, "Stages"), el("div", { class: "table" }, stagesTable(A, B))];
}
