// Small SVG helpers for the timeline and charts (page_timeline.js): elements made with
// createElementNS and setAttribute, text as textContent (nothing is parsed as markup), nice
// tick steps for time, duration and byte axes, and greedy lane packing of overlapping bars.

const NS = "http://www.w3.org/2000/svg";

export function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// A tooltip: <title> is the first child of the element it names.
export function title(text) {
  return svg("title", {}, text);
}

// Ticks covering [lo, hi] with a step of 1, 2 or 5 times a power of `base` (10 for plain
// numbers); `steps` lists allowed steps instead (time: ms, s, min, h units).
export function ticks(lo, hi, want = 8, steps = null) {
  const range = hi - lo;
  if (!(range > 0)) return { step: 1, values: [lo] };
  const raw = range / want;
  let step;
  if (steps) step = steps.find((s) => s >= raw) ?? steps[steps.length - 1] * Math.ceil(raw / steps[steps.length - 1]);
  else {
    const p = 10 ** Math.floor(Math.log10(raw));
    step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
  }
  const values = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) values.push(v);
  return { step, values };
}

export const TIME_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000,
                           60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000,
                           7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000];

// Byte axes step by powers of two times 1, 2 or 5 of a unit.
export function byteTicks(hi, want = 5) {
  if (!(hi > 0)) return { step: 1, values: [0] };
  const raw = hi / want;
  const unit = 1024 ** Math.max(0, Math.floor(Math.log(raw) / Math.log(1024)));
  const p = 10 ** Math.floor(Math.log10(raw / unit));
  const step = [1, 2, 5, 10].map((m) => m * p * unit).find((s) => s >= raw);
  const values = [];
  for (let v = 0; v <= hi + step * 1e-9; v += step) values.push(v);
  if (values[values.length - 1] < hi) values.push(values[values.length - 1] + step);
  return { step, values };
}

// A clock label for a time tick: HH:MM:SS, with milliseconds when the step is under a second.
export function clock(ms, step) {
  const d = new Date(ms);
  const p = (n, w = 2) => String(n).padStart(w, "0");
  const s = `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  return step < 1000 ? `${s}.${p(d.getMilliseconds(), 3)}` : s;
}

// Greedy lanes: items sorted by start go to the first lane whose last bar ends before they
// start (gap in the same unit). Returns the lane of each item, in the input's order, and the count.
export function packLanes(items, start, end, gap = 0) {
  const order = items.map((it, i) => i).sort((a, b) => start(items[a]) - start(items[b]));
  const laneEnds = [];
  const lane = new Array(items.length);
  for (const i of order) {
    const s = start(items[i]);
    let l = laneEnds.findIndex((e) => e + gap <= s);
    if (l < 0) {
      l = laneEnds.length;
      laneEnds.push(0);
    }
    laneEnds[l] = Math.max(end(items[i]), s);
    lane[i] = l;
  }
  return { lane, count: laneEnds.length };
}
