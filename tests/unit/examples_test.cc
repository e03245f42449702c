// Every manifest in examples/ reads, validates and has no unknown fields.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/manifest.h"

namespace sp {
namespace {

TEST(Examples, EveryManifestIsValid) {
  int count = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(SPARKPLANE_SOURCE_DIR) + "/examples")) {
    if (entry.path().extension() != ".yaml") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    std::vector<api::Manifest> manifests;
    ASSERT_NO_THROW(manifests = api::parse_manifests(text.str(), entry.path().string(), "default"))
        << entry.path();
    ASSERT_FALSE(manifests.empty()) << entry.path();
    for (const auto& m : manifests) EXPECT_TRUE(m.warnings.empty()) << entry.path();
    ++count;
  }
  EXPECT_GE(count, 4);
}

}  // namespace
}  // namespace sp
