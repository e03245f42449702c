// KubeClient without a server: what an unreachable one and a cancelled request look like.
#include "runtime/kube/kube_client.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sp::kube {
namespace {

// A loopback port nothing listens on (bound, then closed).
int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

KubeConfig config_for(const std::string& server) {
  KubeConfig c;
  c.source = "kubeconfig test";
  c.context = "ctx";
  c.user_name = "me";
  c.server = server;
  return c;
}

TEST(KubeClient, UnreachableServerNamesTheUrl) {
  const std::string server = "https://127.0.0.1:" + std::to_string(closed_port());
  KubeClient client(config_for(server));
  try {
    client.get(ResourceRef(resources::kConfigMaps, "ns", "x"));
    FAIL() << "no error";
  } catch (const Unreachable& e) {
    EXPECT_NE(std::string(e.what()).find("cannot reach the Kubernetes API server at " + server +
                                         " (kubeconfig test)"),
              std::string::npos)
        << e.what();
  }
}

TEST(KubeClient, NamesAreRequired) {
  KubeClient client(config_for("https://127.0.0.1:1"));
  EXPECT_THROW(client.get(ResourceRef(resources::kPods, "ns")), Invalid);
  EXPECT_THROW(client.remove(ResourceRef(resources::kPods, "ns")), Invalid);
}

TEST(KubeClient, CancelledRequest) {
  KubeClient client(config_for("https://127.0.0.1:" + std::to_string(closed_port())));
  std::stop_source stop;
  stop.request_stop();
  EXPECT_THROW(client.request("GET", "/version", {}, "application/json", stop.get_token()), Error);
}

}  // namespace
}  // namespace sp::kube
