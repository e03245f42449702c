// sparkplane's web UI: one page that reads Spark's history REST API (/api/v1) beside it.
// Every value reaches the page as text (Node.append / textContent, never innerHTML), and the
// server's Content-Security-Policy allows no inline script: an app named
// <script>alert('XSS')</script> is shown, not run. Routes live in the URL's hash
// (#/apps/<id>/jobs), and the API is found relative to the page, so the UI works behind a
// proxy's path prefix. Each page is a module: page_<name>.js.
import { el, link } from "./dom.js";
import { appPage } from "./page_app.js";
import { applicationsPage } from "./page_applications.js";
import { comparePage } from "./page_compare.js";
import { uiConfig } from "./api.js";
import { controlAppPage, controlPage } from "./page_control.js";

const main = document.getElementById("main");
const crumbs = document.getElementById("crumbs");
const sections = document.getElementById("sections");

function setCrumbs(items) {
  crumbs.replaceChildren(...items.map(([hash, text]) => link(hash, text)));
}

// ---- Router -------------------------------------------------------------------------------

async function page(parts) {
  if (parts[0] === "apps" && parts.length > 1) return appPage(parts.slice(1), setCrumbs);
  if (parts[0] === "compare") return comparePage(parts[1], parts[2]);
  if (parts[0] === "control" && parts.length === 3) return controlAppPage(parts[1], parts[2]);
  if (parts[0] === "control") return controlPage();
  return (await uiConfig()).history === false ? controlPage() : applicationsPage();
}

// A page still loading when the address changes again is dropped when it arrives, so a slow
// page never replaces the one asked for after it.
let rendering = 0;

async function render() {
  const mine = ++rendering;
  const parts = location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  try {
    setCrumbs([]);
    const nodes = await page(parts);
    if (mine !== rendering) return;
    main.replaceChildren(...nodes);
    document.title = `${main.querySelector("h1")?.textContent ?? ""} - sparkplane`;
  } catch (e) {
    if (mine !== rendering) return;
    main.replaceChildren(el("h1", {}, "Cannot show this page"), el("p", { class: "error" }, e.message));
  }
}

// The sections this server has: the history (not on the operator's UI, which links to the
// history server), the control plane under `sparkplane up` and the operator.
async function showSections() {
  const c = await uiConfig();
  const links = [];
  if (c.history !== false) links.push(link("#/", "History"));
  if (c.controlPlane === true) links.push(link("#/control", "Control plane"));
  sections.replaceChildren(...links);
}

window.addEventListener("hashchange", render);
showSections();
render();
