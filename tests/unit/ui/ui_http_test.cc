// The UI's embedded files and its base path.
#include "ui/ui_http.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "ui/ui_assets.h"

namespace sp::ui {
namespace {

TEST(UiAssets, ThePageAndItsModulesAreBuiltIn) {
  for (const char* name : {"index.html", "app.js", "dom.js", "style.css", "favicon.svg"}) {
    const Asset* a = find_asset(name);
    ASSERT_NE(a, nullptr) << name;
    EXPECT_FALSE(a->body.empty()) << name;
    EXPECT_EQ(a->etag.front(), '"') << name;
  }
  EXPECT_EQ(find_asset("app.js")->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(find_asset("nope.js"), nullptr);
  EXPECT_EQ(find_asset("../CMakeLists.txt"), nullptr);
  // No page builds markup from strings.
  for (std::size_t i = 0; i < kAssetCount; ++i) {
    EXPECT_EQ(kAssets[i].body.find(".innerHTML"), std::string_view::npos) << kAssets[i].path;
    EXPECT_EQ(kAssets[i].body.find(".insertAdjacentHTML"), std::string_view::npos)
        << kAssets[i].path;
    EXPECT_EQ(kAssets[i].body.find(".outerHTML"), std::string_view::npos) << kAssets[i].path;
    EXPECT_EQ(kAssets[i].body.find("document.write"), std::string_view::npos) << kAssets[i].path;
  }
}

TEST(UiAssets, ThePageAsksForEveryModuleAtOnce) {
  const std::string_view page = find_asset("index.html")->body;
  for (std::size_t i = 0; i < kAssetCount; ++i) {
    const std::string_view path = kAssets[i].path;
    if (!path.ends_with(".js") || path == "app.js") continue;
    const std::string link =
        "<link rel=\"modulepreload\" href=\"static/" + std::string(path) + "\">";
    EXPECT_NE(page.find(link), std::string_view::npos) << link;
  }
}

TEST(UiBasePath, IsNormalizedOrRefused) {
  EXPECT_EQ(normalize_base_path(""), "");
  EXPECT_EQ(normalize_base_path("/"), "");
  EXPECT_EQ(normalize_base_path("spark-history"), "/spark-history");
  EXPECT_EQ(normalize_base_path("/a//b/"), "/a/b");
  for (const char* bad : {"/a/../b", "/./a", "/a b", "/a(.*)", "/a?x", "/a%2F"}) {
    EXPECT_THROW(normalize_base_path(bad), Invalid) << bad;
  }
}

TEST(UiHistoryUrl, OnlyWebAddressesAndPathsAreLinked) {
  for (const char* good : {"", "https://history.example.com/", "http://h:18080", "/history/"}) {
    EXPECT_EQ(check_history_url(good), good);
  }
  for (const char* bad : {"javascript:alert(1)", "data:text/html,x", "//evil.example.com",
                          "history", "https://h/a b", "https://h/\"x", "https://h/<x>"}) {
    EXPECT_THROW(check_history_url(bad), Invalid) << bad;
  }
}

}  // namespace
}  // namespace sp::ui
