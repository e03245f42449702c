// An application's Storage tab: the cached RDDs (storage/rdd), each linking to its detail
// (storage/rdd/<id>): data distribution over executors and partitions, when the answer has them.
import { api } from "./api.js";
import { appApiPath, el, fmtBytes, link, route } from "./dom.js";
import { table } from "./table.js";

function rddList(appPath, rdds) {
  if (rdds.length === 0) return el("p", { class: "muted empty" }, "No cached RDDs.");
  return table([
    { label: "ID", num: true, value: (r) => r.id, cell: (r) => r.id },
    { label: "RDD Name", value: (r) => r.name ?? "",
      cell: (r) => link(route("apps", ...appPath, "storage", String(r.id)), r.name ?? `RDD ${r.id}`) },
    { label: "Storage Level", value: (r) => r.storageLevel ?? "", cell: (r) => r.storageLevel ?? "" },
    { label: "Cached Partitions", num: true, value: (r) => r.numCachedPartitions,
      cell: (r) => `${r.numCachedPartitions} / ${r.numPartitions}` },
    { label: "Fraction Cached", num: true,
      value: (r) => (r.numPartitions ? r.numCachedPartitions / r.numPartitions : 0),
      cell: (r) => `${r.numPartitions ? Math.round((100 * r.numCachedPartitions) / r.numPartitions) : 0}%` },
    { label: "Size in Memory", num: true, value: (r) => r.memoryUsed, cell: (r) => fmtBytes(r.memoryUsed) },
    { label: "Size on Disk", num: true, value: (r) => r.diskUsed, cell: (r) => fmtBytes(r.diskUsed) },
  ], rdds, { sortBy: 0 });
}

function rddDetail(rdd) {
  const out = [
    el("h2", {}, rdd.name ?? `RDD ${rdd.id}`),
    el("p", { class: "muted" },
       `${rdd.storageLevel ?? ""} · ${rdd.numCachedPartitions} of ${rdd.numPartitions} partitions cached · ` +
       `${fmtBytes(rdd.memoryUsed)} in memory · ${fmtBytes(rdd.diskUsed)} on disk`),
  ];
  if (rdd.dataDistribution) {
    out.push(el("h2", {}, "Data Distribution"), table([
      { label: "Host", value: (d) => d.address ?? "", cell: (d) => d.address ?? "" },
      { label: "On Heap Memory Usage", num: true, value: (d) => d.onHeapMemoryUsed ?? d.memoryUsed,
        cell: (d) => fmtBytes(d.onHeapMemoryUsed ?? d.memoryUsed) },
      { label: "Off Heap Memory Usage", num: true, value: (d) => d.offHeapMemoryUsed ?? 0,
        cell: (d) => fmtBytes(d.offHeapMemoryUsed ?? 0) },
      { label: "Memory Remaining", num: true, value: (d) => d.memoryRemaining, cell: (d) => fmtBytes(d.memoryRemaining) },
      { label: "Disk Usage", num: true, value: (d) => d.diskUsed, cell: (d) => fmtBytes(d.diskUsed) },
    ], rdd.dataDistribution));
  }
  if (rdd.partitions) {
    out.push(el("h2", {}, "Partitions"), table([
      { label: "Block Name", value: (p) => p.blockName ?? "", cell: (p) => p.blockName ?? "" },
      { label: "Storage Level", value: (p) => p.storageLevel ?? "", cell: (p) => p.storageLevel ?? "" },
      { label: "Size in Memory", num: true, value: (p) => p.memoryUsed, cell: (p) => fmtBytes(p.memoryUsed) },
      { label: "Size on Disk", num: true, value: (p) => p.diskUsed, cell: (p) => fmtBytes(p.diskUsed) },
      { label: "Executors", value: (p) => (p.executors ?? []).join(", "), cell: (p) => (p.executors ?? []).join(", ") },
    ], rdd.partitions));
  }
  return out;
}

// rest: [] for the list, [rddId] for one RDD.
export async function storagePage(appPath, rest = []) {
  if (rest.length > 0) {
    const rdd = await api(`${appApiPath(appPath)}/storage/rdd/${encodeURIComponent(rest[0])}`);
    return el("div", { class: "rdd" }, link(route("apps", ...appPath, "storage"), "All cached RDDs"), rddDetail(rdd));
  }
  return rddList(appPath, await api(`${appApiPath(appPath)}/storage/rdd`));
}
