// An application's Environment tab: runtime, Spark, resource profile, Hadoop, system and
// metrics properties and the classpath, each a section with a filter box over a paged table.
import { api } from "./api.js";
import { appApiPath, el } from "./dom.js";
import { table } from "./table.js";

const PAIR_COLUMNS = (key, value) => [
  { label: key, value: (r) => r[0], cell: (r) => r[0] },
  { label: value, value: (r) => r[1], cell: (r) => r[1] },
];

function resources(map) {
  return Object.values(map ?? {}).map((r) => `${r.resourceName}: ${r.amount}`).join(", ");
}

// A titled section whose table shows the rows containing the filter's text (any column).
function section(id, title, columns, rows) {
  const holder = el("div", {});
  const draw = (text) => {
    const needle = text.trim().toLowerCase();
    const shown = needle
      ? rows.filter((r) => r.some((v) => String(v).toLowerCase().includes(needle)))
      : rows;
    holder.replaceChildren(table(columns, shown, { sortBy: 0 }));
  };
  const filter = el("input", {
    type: "search", placeholder: "Filter", "aria-label": `Filter ${title}`,
    oninput: (e) => draw(e.target.value),
  });
  draw("");
  return el("section", { class: "env-section", id: `env-${id}`, "aria-labelledby": `env-${id}-title` },
    el("h2", { id: `env-${id}-title` }, title, " ", el("span", { class: "muted" }, `(${rows.length})`)),
    el("div", { class: "controls" }, filter),
    holder);
}

export async function environmentPage(appPath) {
  const env = await api(`${appApiPath(appPath)}/environment`);
  const pairs = (list) => (list ?? []).map(([k, v]) => [String(k ?? ""), String(v ?? "")]);
  const runtime = Object.entries(env.runtime ?? {}).map(([k, v]) => [k, String(v ?? "")]);
  const profiles = (env.resourceProfiles ?? []).map((p) =>
    [String(p.id), resources(p.executorResources), resources(p.taskResources)]);
  return el("div", { class: "environment" },
    section("runtime", "Runtime Information", PAIR_COLUMNS("Name", "Value"), runtime),
    section("spark", "Spark Properties", PAIR_COLUMNS("Name", "Value"), pairs(env.sparkProperties)),
    section("profiles", "Resource Profiles", [
      { label: "Resource Profile Id", num: true, value: (r) => Number(r[0]), cell: (r) => r[0] },
      { label: "Executor Resources", value: (r) => r[1], cell: (r) => r[1] },
      { label: "Task Resources", value: (r) => r[2], cell: (r) => r[2] },
    ], profiles),
    section("hadoop", "Hadoop Properties", PAIR_COLUMNS("Name", "Value"), pairs(env.hadoopProperties)),
    section("system", "System Properties", PAIR_COLUMNS("Name", "Value"), pairs(env.systemProperties)),
    section("metrics", "Metrics Properties", PAIR_COLUMNS("Name", "Value"), pairs(env.metricsProperties)),
    section("classpath", "Classpath Entries", PAIR_COLUMNS("Resource", "Source"), pairs(env.classpathEntries)));
}
