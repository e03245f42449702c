// LocalStore: listing with prefixes, stat and etags, ranged reads, and the rejection of keys
// that would leave the root (.., absolute, NUL, symlinks pointing outside).
#include "storage/local_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <thread>

#include "common/error.h"
#include "temp_dir.h"

namespace sp::storage {
namespace {

namespace fs = std::filesystem;

TEST(LocalStore, ListsOneLevelWithPrefixesSorted) {
  test::TempDir dir;
  dir.write("b.log", "bb");
  dir.write("a.log", "a");
  dir.write("eventlog_v2_x/events_1_x", "123");
  dir.write("eventlog_v2_x/sub/deeper", "z");
  LocalStore store(dir.path());
  auto root = store.list("");
  ASSERT_EQ(root.size(), 3u);
  EXPECT_EQ(root[0].key, "a.log");
  EXPECT_EQ(root[0].size, 1u);
  EXPECT_FALSE(root[0].is_prefix);
  EXPECT_EQ(root[1].key, "b.log");
  EXPECT_EQ(root[2].key, "eventlog_v2_x/");
  EXPECT_TRUE(root[2].is_prefix);
  EXPECT_EQ(root[2].name(), "eventlog_v2_x");

  for (std::string_view prefix : {"eventlog_v2_x/", "eventlog_v2_x"}) {
    auto sub = store.list(prefix);
    ASSERT_EQ(sub.size(), 2u);
    EXPECT_EQ(sub[0].key, "eventlog_v2_x/events_1_x");
    EXPECT_EQ(sub[0].name(), "events_1_x");
    EXPECT_EQ(sub[0].size, 3u);
    EXPECT_EQ(sub[1].key, "eventlog_v2_x/sub/");
  }
  EXPECT_TRUE(store.list("missing/").empty());
  EXPECT_TRUE(store.list("a.log").empty());  // an object is not a prefix
}

TEST(LocalStore, StatGivesSizeMtimeAndAnEtagThatChanges) {
  test::TempDir dir;
  dir.write("f", "hello");
  LocalStore store(dir.path());
  auto a = store.stat("f");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->size, 5u);
  EXPECT_GT(a->mtime_ms, 1600000000000);
  EXPECT_FALSE(a->etag.empty());
  EXPECT_EQ(store.stat("f")->etag, a->etag);
  dir.write("f", "!", /*append=*/true);
  auto b = store.stat("f");
  EXPECT_EQ(b->size, 6u);
  EXPECT_NE(b->etag, a->etag);
  EXPECT_FALSE(store.stat("missing"));
  dir.write("d/x", "");
  EXPECT_FALSE(store.stat("d"));  // a directory is not an object
}

TEST(LocalStore, RangedReadsAreShortAtTheEnd) {
  test::TempDir dir;
  dir.write("f", "0123456789");
  LocalStore store(dir.path());
  EXPECT_EQ(store.read_string("f", 0, 4), "0123");
  EXPECT_EQ(store.read_string("f", 8, 4), "89");
  EXPECT_EQ(store.read_string("f", 10, 4), "");
  EXPECT_EQ(store.read_string("f", 1000, 4), "");
  EXPECT_THROW(store.read_string("missing", 0, 4), NotFound);
  dir.write("d/x", "");
  EXPECT_THROW(store.read_string("d", 0, 4), NotFound);
}

TEST(LocalStore, MapsWholeFilesThatOutliveTheirDeletion) {
  test::TempDir dir;
  dir.write("f", "0123456789");
  dir.write("empty", "");
  LocalStore store(dir.path());
  auto mapped = store.map("f");
  ASSERT_NE(mapped, nullptr);
  fs::remove(dir.path() / "f");
  EXPECT_EQ(mapped->bytes(), "0123456789");
  EXPECT_EQ(store.map("empty"), nullptr);  // read() it instead
  EXPECT_THROW(store.map("f"), NotFound);
  EXPECT_THROW(store.map("../f"), Invalid);
  dir.write("d/x", "");
  EXPECT_THROW(store.map("d"), NotFound);
}

TEST(LocalStore, RejectsKeysThatLeaveTheRoot) {
  test::TempDir dir;
  dir.write("root/f", "x");
  dir.write("secret", "s");
  LocalStore store(dir.path() / "root");
  for (const std::string& key :
       std::vector<std::string>{"../secret", "/etc/passwd", "a/../../secret", "./f", "a//f", "",
                                std::string("f\0x", 3)}) {
    EXPECT_THROW(store.read_string(key, 0, 10), Invalid) << key;
    EXPECT_THROW(store.stat(key), Invalid) << key;
    EXPECT_THROW(store.map(key), Invalid) << key;
  }
  EXPECT_THROW(store.list("../"), Invalid);
  EXPECT_THROW(store.list("/"), Invalid);
  try {
    store.read_string("../secret", 0, 1);
  } catch (const Invalid& e) {
    EXPECT_NE(std::string(e.what()).find("invalid object key '../secret'"), std::string::npos);
  }
}

TEST(LocalStore, SymlinksMayNotEscapeTheRoot) {
  test::TempDir dir;
  dir.write("root/inside", "in");
  dir.write("secret", "s");
  dir.write("outdir/file", "o");
  fs::create_symlink(dir.path() / "secret", dir.path() / "root/out-link");
  fs::create_symlink(dir.path() / "outdir", dir.path() / "root/out-dir");
  fs::create_symlink("inside", dir.path() / "root/in-link");
  LocalStore store(dir.path() / "root");
  EXPECT_THROW(store.read_string("out-link", 0, 10), Invalid);
  EXPECT_THROW(store.stat("out-link"), Invalid);
  EXPECT_THROW(store.read_string("out-dir/file", 0, 10), Invalid);
  EXPECT_THROW(store.list("out-dir/"), Invalid);
  EXPECT_EQ(store.read_string("in-link", 0, 10), "in");
  auto keys = store.list("");
  ASSERT_EQ(keys.size(), 2u);  // the escaping links are not listed
  EXPECT_EQ(keys[0].key, "in-link");
  EXPECT_EQ(keys[1].key, "inside");
}

TEST(LocalStore, RootMustBeADirectory) {
  test::TempDir dir;
  dir.write("f", "x");
  EXPECT_THROW(LocalStore(dir.path() / "missing"), NotFound);
  EXPECT_THROW(LocalStore(dir.path() / "f"), Invalid);
  LocalStore store(dir.path());
  EXPECT_EQ(store.describe("f"), (fs::canonical(dir.path()) / "f").string());
}

}  // namespace
}  // namespace sp::storage
