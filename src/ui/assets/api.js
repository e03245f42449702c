// The APIs the pages read, found relative to the page (so a proxy's path prefix works): Spark's
// history REST API (api/v1/...) and, under `sparkplane up`, the control plane's
// Kubernetes-style API (apis/sparkoperator.k8s.io/v1beta2/...).

async function get(path, accept) {
  const r = await fetch(path, { headers: { Accept: accept } });
  if (!r.ok) {
    const body = await r.text();
    let message = body;
    try {
      message = JSON.parse(body).message ?? body;  // a Kubernetes Status names the problem
    } catch {
      // not JSON: the text itself
    }
    const err = new Error(`${r.status}: ${String(message).slice(0, 300)}`);
    err.status = r.status;
    throw err;
  }
  return r;
}

// A history API answer: api("applications") reads api/v1/applications.
export async function api(path) {
  return (await get("api/v1/" + path, "application/json")).json();
}

// Any JSON answer by its path from the server's root, without the leading "/".
export async function getJson(path) {
  return (await get(path, "application/json")).json();
}

// A text answer and its headers (driver logs).
export async function getText(path) {
  const r = await get(path, "text/plain");
  return { text: await r.text(), headers: r.headers };
}

// What this server offers (ui-config.json): {controlPlane, history, historyUrl}. Read once.
let config;
export function uiConfig() {
  config ??= getJson("ui-config.json").catch(() => ({ controlPlane: false, history: true }));
  return config;
}
