// DOM and formatting helpers shared by the pages. Values become text nodes (Node.append) and
// attributes (setAttribute), never markup: nothing from a log is parsed as HTML.

export function el(tag, attrs = {}, ...children) {
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

export function link(hash, text) {
  return el("a", { href: hash }, text);
}

export function route(...parts) {
  return "#/" + parts.map(encodeURIComponent).join("/");
}

// Spark writes times as "2015-02-03T16:42:38.277GMT".
export function parseTime(value) {
  if (typeof value === "number") return value > 0 ? new Date(value) : null;
  if (!value) return null;
  const d = new Date(String(value).replace(/GMT$/, "Z"));
  return Number.isNaN(d.getTime()) ? null : d;
}

export function fmtTime(value) {
  const d = parseTime(value);
  if (!d) return "";
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
         `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function fmtDuration(ms) {
  if (ms === undefined || ms === null || ms < 0) return "";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function fmtBytes(n) {
  if (!n) return "0 B";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

export function state(text) {
  return el("span", { class: `state-${text}` }, text);
}

// Milliseconds between two Spark times, or undefined when either is missing.
export function span(from, to) {
  const a = parseTime(from);
  const b = parseTime(to);
  return a && b ? b - a : undefined;
}

// The REST path of an application (or one attempt): ["app-1"] or ["app-1", "2"].
export function appApiPath(appPath) {
  return `applications/${appPath.map(encodeURIComponent).join("/")}`;
}
