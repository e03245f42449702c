#include "common/http_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace sp {

void configure_http_server(httplib::Server& server, int threads) {
  // httplib's default adds SO_REUSEPORT, which would let a second sparkplane share the port
  // silently. SO_REUSEADDR alone still allows a quick restart over TIME_WAIT connections.
  server.set_socket_options([](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  server.set_keep_alive_timeout(2);
  // Headers and body go out in separate writes: without TCP_NODELAY a keep-alive client
  // waits for the delayed ACK (40 ms) before it sees the body.
  server.set_tcp_nodelay(true);
  server.new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
}

int bind_http_server(httplib::Server& server, const std::string& host, int port) {
  errno = 0;
  int bound = -1;
  if (port == 0) {
    bound = server.bind_to_any_port(host);
  } else if (server.bind_to_port(host, port)) {
    bound = port;
  }
  if (bound >= 0) return bound;
  const int err = errno;
  const std::string where = host + ":" + std::to_string(port);
  if (err == EADDRINUSE)
    throw Error("cannot listen on " + where +
                ": address already in use (is another sparkplane running? use --listen)");
  if (err == EACCES)
    throw Error("cannot listen on " + where +
                ": permission denied (ports below 1024 need privileges; use --listen)");
  throw Error("cannot listen on " + where + ": " +
              (err != 0 ? std::string(std::strerror(err)) : "cannot bind that address") +
              " (check the host, or use --listen)");
}

std::string regex_literal(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::pair<std::string, int> parse_listen_address(const std::string& address) {
  std::string host = "127.0.0.1";
  std::string port_text = address;
  auto colon = address.rfind(':');
  if (colon != std::string::npos) {
    if (colon > 0) host = address.substr(0, colon);
    port_text = address.substr(colon + 1);
  }
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = -1;
  if (!port_text.empty() && port_text.size() <= 5 &&
      port_text.find_first_not_of("0123456789") == std::string::npos) {
    port = std::stoi(port_text);
  }
  if (port < 0 || port > 65535) {
    throw Invalid("bad listen address \"" + address +
                  "\": expected HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:18080");
  }
  return {host, port};
}

}  // namespace sp
