#include "runtime/kube/watch.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.h"

namespace sp::kube {
namespace {

std::vector<std::string> split_in_chunks(const std::string& stream, std::size_t chunk) {
  LineSplitter splitter;
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < stream.size(); i += chunk) {
    splitter.feed(std::string_view(stream).substr(i, chunk), [&](std::string_view line) {
      lines.emplace_back(line);
      return true;
    });
  }
  return lines;
}

TEST(KubeLineSplitter, LinesAcrossEveryChunkSize) {
  const std::string stream =
      "{\"type\":\"ADDED\"}\n{\"type\":\"MODIFIED\",\"object\":{\"a\":\"x y\"}}\r\n\n"
      "{\"type\":\"DELETED\"}\n";
  const std::vector<std::string> want = {"{\"type\":\"ADDED\"}",
                                         "{\"type\":\"MODIFIED\",\"object\":{\"a\":\"x y\"}}",
                                         "{\"type\":\"DELETED\"}"};
  for (std::size_t chunk = 1; chunk <= stream.size(); ++chunk) {
    EXPECT_EQ(split_in_chunks(stream, chunk), want) << "chunk size " << chunk;
  }
}

TEST(KubeLineSplitter, KeepsAnUnfinishedLine) {
  LineSplitter splitter;
  std::vector<std::string> lines;
  auto collect = [&](std::string_view line) {
    lines.emplace_back(line);
    return true;
  };
  splitter.feed("one\ntw", collect);
  EXPECT_EQ(lines, std::vector<std::string>{"one"});
  EXPECT_EQ(splitter.pending(), 2u);
  splitter.feed("o\n", collect);
  EXPECT_EQ(lines, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(splitter.pending(), 0u);
}

TEST(KubeLineSplitter, StopsWhenTheCallbackSaysSo) {
  LineSplitter splitter;
  int calls = 0;
  EXPECT_FALSE(splitter.feed("a\nb\nc\n", [&](std::string_view) { return ++calls < 2; }));
  EXPECT_EQ(calls, 2);
}

TEST(KubeWatchEvent, Parses) {
  auto e = parse_watch_event(
      R"j({"type":"MODIFIED","object":{"kind":"ConfigMap","metadata":{"name":"a","resourceVersion":"7"}}})j");
  EXPECT_EQ(e.type, WatchEventType::Modified);
  EXPECT_EQ(e.object["metadata"]["name"], "a");
  auto b = parse_watch_event(
      R"j({"type":"BOOKMARK","object":{"kind":"ConfigMap","metadata":{"resourceVersion":"12"}}})j");
  EXPECT_EQ(b.type, WatchEventType::Bookmark);
  EXPECT_STREQ(to_string(b.type), "BOOKMARK");
  auto err = parse_watch_event(
      R"j({"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old resource version: 1 (200)"}})j");
  EXPECT_EQ(err.type, WatchEventType::Error);
  EXPECT_THROW(parse_watch_event("not json"), Error);
  EXPECT_THROW(parse_watch_event(R"j({"type":"SYNC","object":{}})j"), Error);
  EXPECT_THROW(parse_watch_event(R"j({"type":"ADDED"})j"), Error);
}

}  // namespace
}  // namespace sp::kube
