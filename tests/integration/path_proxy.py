"""A small reverse proxy for the tests of the UI behind a path prefix: it serves
http://127.0.0.1:<port><prefix>... from an upstream server. strip=True removes the prefix and
sends X-Forwarded-Prefix (an ingress with a rewrite); strip=False passes the path on as is (the
server then needs --ui-base-path)."""
import http.server
import threading
import urllib.error
import urllib.request

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate", "host", "content-length"}


class PathProxy:
    def __init__(self, upstream, prefix, strip):
        self.upstream = upstream.rstrip("/")
        self.prefix = "/" + prefix.strip("/")
        self.strip = strip
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path
                if path != proxy.prefix and not path.startswith(proxy.prefix + "/"):
                    self.send_error(404, "outside the proxy's prefix")
                    return
                if proxy.strip:
                    path = path[len(proxy.prefix):] or "/"
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                if proxy.strip:
                    headers["X-Forwarded-Prefix"] = proxy.prefix
                req = urllib.request.Request(proxy.upstream + path, headers=headers)
                try:
                    with proxy.opener.open(req, timeout=60) as r:
                        self.relay(r.status, r.headers, r.read())
                except urllib.error.HTTPError as e:
                    self.relay(e.code, e.headers, e.read())

            def relay(self, status, headers, body):
                self.send_response(status)
                for k, v in headers.items():
                    if k.lower() not in HOP_BY_HOP:
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        # Redirects are relayed, not followed: the browser follows them through the proxy.
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(NoRedirect)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{self.prefix}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
