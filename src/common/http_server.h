// What every sparkplane HTTP server shares (cpp-httplib underneath): the socket options, a
// bounded thread pool, parsing of --listen addresses, and binding with one-line errors.
#pragma once

#include <string>
#include <utility>

namespace httplib {
class Server;
}

namespace sp {

// SO_REUSEADDR without SO_REUSEPORT (a second server on the port fails instead of sharing it),
// TCP_NODELAY, short keep-alive, `threads` workers.
void configure_http_server(httplib::Server& server, int threads);

// Binds host:port (port 0 picks a free one) and returns the bound port. Throws sp::Error
// "cannot listen on 127.0.0.1:18080: address already in use (is another sparkplane running?
// use --listen)" and the like.
int bind_http_server(httplib::Server& server, const std::string& host, int port);

// `text` with every regex metacharacter escaped, to put a literal path (a base path) into a
// route pattern: httplib's patterns are regular expressions.
std::string regex_literal(const std::string& text);

// "host:port" -> {host, port}; ":18080" or "18080" means 127.0.0.1. Throws sp::Invalid.
std::pair<std::string, int> parse_listen_address(const std::string& address);

}  // namespace sp
