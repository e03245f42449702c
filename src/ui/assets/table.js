// A sortable table paged in the browser (for lists the REST API gives whole): click or press
// Enter on a header to sort by it, again to reverse.
import { el } from "./dom.js";

export const PAGE_SIZE = 50;


// A column header sorted by a click, or Enter or Space when focused. ariaSort: "ascending",
// "descending" or "none"; attrs: more attributes of the th.
export function sortableHeader(label, ariaSort, sort, attrs = {}) {
  return el("th", {
    scope: "col", tabindex: 0, "aria-sort": ariaSort, ...attrs,
    onclick: sort,
    onkeydown: (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        sort();
      }
    },
  }, label);
}

// columns: [{ label, value(row) for sorting, cell(row) -> node or text, num }]
export function table(columns, rows, { sortBy = 0, descending = false, caption } = {}) {
  let sortCol = sortBy;
  let desc = descending;
  let page = 0;
  const wrap = el("div", { class: "table" });

  function draw() {
    const col = columns[sortCol];
    const sorted = [...rows].sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      const c = x < y ? -1 : x > y ? 1 : 0;
      return desc ? -c : c;
    });
    const pages = Math.max(1, Math.ceil(sorted.length / PAGE_SIZE));
    page = Math.min(page, pages - 1);
    const shown = sorted.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
    const head = el("tr", {}, columns.map((c, i) => {
      const sort = () => {
        if (sortCol === i) desc = !desc;
        else [sortCol, desc] = [i, false];
        draw();
      };
      return sortableHeader(c.label, i === sortCol ? (desc ? "descending" : "ascending") : "none", sort);
    }));
    const body = shown.map((r) =>
      el("tr", {}, columns.map((c) => el("td", { class: c.num ? "num" : null }, c.cell(r)))));
    const pager = el("div", { class: "pager" },
      el("button", { disabled: page === 0, onclick: () => { page--; draw(); } }, "Previous"),
      el("span", { class: "muted" },
         `${sorted.length === 0 ? 0 : page * PAGE_SIZE + 1}–${page * PAGE_SIZE + shown.length}` +
         ` of ${sorted.length}`),
      el("button", { disabled: page >= pages - 1, onclick: () => { page++; draw(); } }, "Next"));
    wrap.replaceChildren(
      el("table", {}, caption ? el("caption", { class: "muted" }, caption) : null,
         el("thead", {}, head), el("tbody", {}, body)),
      pager);
  }
  draw();
  return wrap;
}

