// Spark's history REST API, found relative to the page (so a proxy's path prefix works).

export async function api(path) {
  const r = await fetch("api/v1/" + path, { headers: { Accept: "application/json" } });
  if (!r.ok) throw new Error(`${r.status}: ${(await r.text()).slice(0, 300)}`);
  return r.json();
}

