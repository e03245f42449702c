// Tests for the local runtime's process side with real processes but without Spark: the shim,
// exit codes and logs, stopping a process group, re-attach, lost drivers, idempotent submit.
#include "runtime/local/local_runtime.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "runtime/local/driver_files.h"
#include "runtime/local/driver_shim.h"

namespace sp::local {
namespace {

namespace fs = std::filesystem;
using controller::DriverPhase;

// The unit_tests binary doubles as the driver shim: `unit_tests --run-driver-shim --dir D -- ...`
// (the sparkplane binary's `run-driver` is not available to unit tests).
struct ShimHook {
  ShimHook() {
    auto cmdline = read_small_file("/proc/self/cmdline");
    if (!cmdline) return;
    std::vector<std::string> args;
    size_t start = 0;
    while (start < cmdline->size()) {
      size_t end = cmdline->find('\0', start);
      if (end == std::string::npos) end = cmdline->size();
      args.push_back(cmdline->substr(start, end - start));
      start = end + 1;
    }
    if (args.size() > 1 && args[1] == "--run-driver-shim") {
      ::_exit(run_driver_main(std::vector<std::string>(args.begin() + 2, args.end())));
    }
  }
};
const ShimHook shim_hook;

template <typename Pred>
bool wait_until(Pred pred, std::chrono::milliseconds limit = std::chrono::milliseconds(10000)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

std::string slurp(const std::string& path) { return read_small_file(path).value_or(""); }

// True while a process of group `pgid` is alive. Zombies do not count: orphans are reaped by
// init, which in some containers never happens.
bool group_alive(pid_t pgid) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    auto stat = read_small_file(entry.path().string() + "/stat");
    if (!stat) continue;
    auto close = stat->rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(stat->substr(close + 1));
    std::string state;
    long ppid = 0, group = 0;
    fields >> state >> ppid >> group;
    if (group == pgid && state != "Z") return true;
  }
  return false;
}

class LocalRuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sp-localrt-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
  }
  void TearDown() override {
    for (pid_t pgid : groups_to_kill_) ::kill(-pgid, SIGKILL);
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  LocalRuntimeOptions options() {
    LocalRuntimeOptions o;
    o.state_dir = root_ + "/state";
    o.event_log_dir = root_ + "/events";
    o.working_dir = root_;
    o.poll_interval = std::chrono::milliseconds(50);
    o.kill_grace = std::chrono::milliseconds(2000);
    o.shim_command = {current_executable(), "--run-driver-shim"};
    // The "driver" is the shell script in spec.arguments[0].
    o.command_factory = [](const api::SparkApplication& app, const std::string& id) {
      DriverCommand cmd;
      cmd.argv = {"/bin/sh", "-c", app.spec.arguments.at(0)};
      cmd.env = {{"SP_SUBMISSION", id}};
      return cmd;
    };
    return o;
  }

  api::SparkApplication app(const std::string& script, const std::string& id = "sub-1",
                            const std::string& name = "pi") {
    api::SparkApplication a;
    a.metadata.name = name;
    a.metadata.namespace_ = "default";
    a.spec.type = "Python";
    a.spec.arguments = {script};
    a.status.submission_id = id;
    return a;
  }

  // Waits for the driver to end and returns the final observation.
  controller::DriverObservation wait_ended(LocalRuntime& rt, const api::SparkApplication& a) {
    controller::DriverObservation obs;
    wait_until([&] {
      obs = rt.observe(a);
      return obs.phase != DriverPhase::kRunning && obs.phase != DriverPhase::kPending;
    });
    return obs;
  }

  std::string root_;
  std::vector<pid_t> groups_to_kill_;
};

TEST_F(LocalRuntimeTest, ExitCodeLogsAndErrorMessage) {
  LocalRuntime rt(options());
  auto a =
      app("echo to-stdout; echo \"env=$SP_SUBMISSION\"; echo \"dir=$SPARKPLANE_DRIVER_DIR\";"
          "echo '26/11/22 02:52:31 INFO SparkContext: Running Spark version 4.1.1' >&2;"
          "echo '26/11/22 02:52:33 ERROR SparkContext: Error initializing SparkContext.' >&2;"
          "echo 'Exception in thread \"main\" java.lang.IllegalStateException: boom' >&2;"
          "echo '\tat org.apache.spark.Foo.bar(Foo.scala:1)' >&2;"
          "exit 3");
  auto res = rt.submit(a, "sub-1");
  ASSERT_TRUE(res.ok) << res.error;
  EXPECT_EQ(res.pod_name, "pi-driver");
  auto obs = wait_ended(rt, a);
  EXPECT_TRUE(obs.exists);
  EXPECT_EQ(obs.phase, DriverPhase::kFailed);
  ASSERT_TRUE(obs.exit_code);
  EXPECT_EQ(*obs.exit_code, 3);
  EXPECT_EQ(obs.message,
            "driver exited with code 3: Exception in thread \"main\" "
            "java.lang.IllegalStateException: boom");
  EXPECT_TRUE(obs.finished_at);
  EXPECT_EQ(obs.pod_name, "pi-driver");

  auto attempts = rt.attempts("default", "pi");
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].number, 1);
  EXPECT_EQ(attempts[0].submission_id, "sub-1");
  EXPECT_EQ(attempts[0].dir, root_ + "/state/drivers/default/pi/001-sub-1");
  EXPECT_EQ(attempts[0].state.status, ProcessStatus::kExited);
  EXPECT_TRUE(attempts[0].started_at);
  EXPECT_EQ(slurp(attempts[0].stdout_path), "to-stdout\nenv=sub-1\ndir=" + attempts[0].dir + "\n");
  EXPECT_NE(slurp(attempts[0].stderr_path).find("ERROR SparkContext"), std::string::npos);
  EXPECT_EQ(slurp(attempts[0].dir + "/exit"), "3\n");
  auto listed = list_attempts(root_ + "/state", "default", "pi");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].stderr_path, attempts[0].stderr_path);
  EXPECT_EQ(listed[0].state.exit_code, std::optional<int>(3));
  EXPECT_TRUE(list_attempts(root_ + "/state", "default", "other").empty());
  auto cmd = Json::parse(slurp(attempts[0].dir + "/cmd.json"));
  EXPECT_EQ(cmd["submissionId"], "sub-1");
  EXPECT_EQ(cmd["app"], "default/pi");
  EXPECT_EQ(cmd["argv"][0], "/bin/sh");
  EXPECT_TRUE(fs::is_directory(root_ + "/events"));
}

TEST_F(LocalRuntimeTest, SuccessWithSparkIdAndWebUi) {
  LocalRuntime rt(options());
  auto a = app(
      "echo '26/11/22 02:52:31 INFO Utils: Successfully started service "
      "'\"'SparkUI'\"' on port 4041.' >&2;"
      "echo '26/11/22 02:52:32 INFO Executor: Starting executor ID driver on host 10.1.2.3' >&2;"
      "echo '26/11/22 02:52:32 INFO RollingEventLogFilesWriter: Logging events to "
      "file:/srv/spark-events/eventlog_v2_local-1795315951971/events_1_local-1795315951971.zstd' "
      ">&2;"
      "sleep 0.3; exit 0");
  ASSERT_TRUE(rt.submit(a, "sub-1").ok);
  controller::DriverObservation running;
  ASSERT_TRUE(wait_until([&] {
    running = rt.observe(a);
    return !running.spark_application_id.empty() || running.phase == DriverPhase::kSucceeded;
  }));
  auto obs = wait_ended(rt, a);
  EXPECT_EQ(obs.phase, DriverPhase::kSucceeded);
  EXPECT_EQ(obs.exit_code, std::optional<int>(0));
  EXPECT_EQ(obs.message, "");
  EXPECT_EQ(obs.spark_application_id, "local-1795315951971");
  EXPECT_EQ(obs.web_ui_address, "10.1.2.3:4041");
  EXPECT_EQ(obs.web_ui_port, 4041);
}

TEST_F(LocalRuntimeTest, ObserveWithoutSubmissionSaysNotExists) {
  LocalRuntime rt(options());
  EXPECT_FALSE(rt.observe(app("exit 0", "")).exists);
  EXPECT_FALSE(rt.observe(app("exit 0", "never-submitted")).exists);
}

TEST_F(LocalRuntimeTest, SubmitIsIdempotentPerSubmissionId) {
  LocalRuntime rt(options());
  std::string counter = root_ + "/runs";
  auto a = app("echo run >> " + counter + "; exit 0");
  ASSERT_TRUE(rt.submit(a, "sub-1").ok);
  ASSERT_TRUE(rt.submit(a, "sub-1").ok);
  wait_ended(rt, a);
  ASSERT_TRUE(rt.submit(a, "sub-1").ok);  // also after it ended
  EXPECT_EQ(rt.attempts("default", "pi").size(), 1u);
  EXPECT_EQ(slurp(counter), "run\n");

  auto b = app("echo run >> " + counter + "; exit 0", "sub-2");
  ASSERT_TRUE(rt.submit(b, "sub-2").ok);
  wait_ended(rt, b);
  auto attempts = rt.attempts("default", "pi");
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[1].number, 2);
  EXPECT_EQ(fs::path(attempts[1].dir).filename(), "002-sub-2");
  EXPECT_EQ(slurp(counter), "run\nrun\n");
  // A fresh instance over the same state dir also recognises the submission.
  LocalRuntime again(options());
  ASSERT_TRUE(again.submit(b, "sub-2").ok);
  EXPECT_EQ(again.attempts("default", "pi").size(), 2u);
}

TEST_F(LocalRuntimeTest, SubscribersHearAboutExits) {
  LocalRuntime rt(options());
  auto a = app("sleep 0.2; exit 0", "sub-1", "notify-me");
  a.metadata.namespace_ = "ns1";
  std::mutex mu;
  std::vector<std::string> keys;
  std::vector<DriverPhase> phases;  // what observe() says when notified
  rt.subscribe([&](const std::string& key) {
    auto phase = rt.observe(a).phase;
    std::lock_guard lock(mu);
    keys.push_back(key);
    phases.push_back(phase);
  });
  ASSERT_TRUE(rt.submit(a, "sub-1").ok);
  ASSERT_TRUE(wait_until([&] {
    std::lock_guard lock(mu);
    return std::find(phases.begin(), phases.end(), DriverPhase::kSucceeded) != phases.end();
  }));
  std::lock_guard lock(mu);
  for (const auto& key : keys) EXPECT_EQ(key, "ns1/notify-me");
}

TEST_F(LocalRuntimeTest, DeleteKillsTheProcessGroupIncludingGrandchildren) {
  LocalRuntime rt(options());
  std::string gc_file = root_ + "/grandchild.pid";
  auto a = app("sleep 1000 & echo $! > " + gc_file + ".tmp; mv " + gc_file + ".tmp " + gc_file +
               "; wait");
  ASSERT_TRUE(rt.submit(a, "sub-1").ok);
  ASSERT_TRUE(wait_until([&] { return fs::exists(gc_file); }));
  pid_t grandchild = std::stoi(slurp(gc_file));
  ASSERT_TRUE(process_start_time(grandchild));
  EXPECT_TRUE(group_alive(::getpgid(grandchild)));
  auto obs = rt.observe(a);
  EXPECT_EQ(obs.phase, DriverPhase::kRunning);
  auto shim = parse_pid_record(slurp(rt.attempts("default", "pi")[0].dir + "/pid"));
  ASSERT_TRUE(shim);
  groups_to_kill_.push_back(shim->pid);

  EXPECT_TRUE(rt.delete_resources(a));
  EXPECT_FALSE(process_alive(shim->pid, shim->start_time));
  EXPECT_TRUE(wait_until([&] { return !process_start_time(grandchild); }));
  EXPECT_FALSE(group_alive(shim->pid));
  obs = rt.observe(a);
  EXPECT_EQ(obs.phase, DriverPhase::kFailed);
  EXPECT_EQ(obs.exit_code, std::optional<int>(128 + SIGTERM));
  // Logs are kept.
  EXPECT_TRUE(fs::exists(rt.attempts("default", "pi")[0].stdout_path));
  EXPECT_TRUE(rt.delete_resources(a));  // nothing left: still fine
}

TEST_F(LocalRuntimeTest, DeleteEscalatesToSigkill) {
  auto o = options();
  o.kill_grace = std::chrono::milliseconds(300);
  LocalRuntime rt(o);
  std::string ready = root_ + "/ready";
  auto a = app("trap '' TERM; touch " + ready + "; while :; do sleep 0.05; done");
  ASSERT_TRUE(rt.submit(a, "sub-1").ok);
  ASSERT_TRUE(wait_until([&] { return fs::exists(ready); }));
  auto shim = parse_pid_record(slurp(rt.attempts("default", "pi")[0].dir + "/pid"));
  ASSERT_TRUE(shim);
  groups_to_kill_.push_back(shim->pid);
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(rt.delete_resources(a));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
  EXPECT_TRUE(wait_until([&] { return !group_alive(shim->pid); }));  // the whole group is gone
  auto obs = rt.observe(a);
  EXPECT_EQ(obs.phase, DriverPhase::kFailed);
  EXPECT_EQ(obs.exit_code, std::optional<int>(128 + SIGKILL));
}

TEST_F(LocalRuntimeTest, FreshInstanceReattachesToRunningDriver) {
  std::string go = root_ + "/go";
  auto a = app("while [ ! -e " + go + " ]; do sleep 0.05; done; echo done; exit 4");
  pid_t shim_pid = 0;
  {
    LocalRuntime first(options());
    ASSERT_TRUE(first.submit(a, "sub-1").ok);
    EXPECT_EQ(first.observe(a).phase, DriverPhase::kRunning);
    shim_pid = parse_pid_record(slurp(first.attempts("default", "pi")[0].dir + "/pid"))->pid;
    groups_to_kill_.push_back(shim_pid);
  }  // destroyed: must not kill the driver
  LocalRuntime second(options());
  EXPECT_EQ(second.observe(a).phase, DriverPhase::kRunning);
  std::atomic<int> notified{0};
  second.subscribe([&](const std::string& key) {
    if (key == "default/pi") ++notified;
  });
  std::ofstream(go) << "\n";
  ASSERT_TRUE(wait_until([&] { return notified > 0; }));
  auto obs = second.observe(a);
  EXPECT_EQ(obs.phase, DriverPhase::kFailed);
  EXPECT_EQ(obs.exit_code, std::optional<int>(4));
  EXPECT_EQ(obs.message, "driver exited with code 4");
  EXPECT_EQ(slurp(second.attempts("default", "pi")[0].stdout_path), "done\n");
  // The shim was a child of this test process: reap it.
  wait_until([&] { return reap_if_zombie(shim_pid, 0) || !read_proc_stat(shim_pid); });
}

TEST_F(LocalRuntimeTest, FreshInstanceCanDeleteAReattachedDriver) {
  auto a = app("sleep 1000");
  {
    LocalRuntime first(options());
    ASSERT_TRUE(first.submit(a, "sub-1").ok);
    groups_to_kill_.push_back(
        parse_pid_record(slurp(first.attempts("default", "pi")[0].dir + "/pid"))->pid);
  }
  LocalRuntime second(options());
  EXPECT_EQ(second.observe(a).phase, DriverPhase::kRunning);
  EXPECT_TRUE(second.delete_resources(a));
  EXPECT_EQ(second.observe(a).phase, DriverPhase::kFailed);
}

TEST_F(LocalRuntimeTest, LostProcessIsReported) {
  LocalRuntime rt(options());
  std::string ready = root_ + "/ready";
  auto a = app("touch " + ready + "; sleep 1000");
  ASSERT_TRUE(rt.submit(a, "sub-1").ok);
  ASSERT_TRUE(wait_until([&] { return fs::exists(ready); }));
  auto shim = parse_pid_record(slurp(rt.attempts("default", "pi")[0].dir + "/pid"));
  ASSERT_TRUE(shim);
  groups_to_kill_.push_back(shim->pid);
  ::kill(shim->pid, SIGKILL);  // the shim dies without writing its exit file
  controller::DriverObservation obs;
  ASSERT_TRUE(wait_until([&] {
    obs = rt.observe(a);
    return obs.phase != DriverPhase::kRunning;
  }));
  EXPECT_TRUE(obs.exists);
  EXPECT_EQ(obs.phase, DriverPhase::kFailed);
  EXPECT_FALSE(obs.exit_code);
  EXPECT_EQ(obs.message, "driver process lost (sparkplane was restarted and the process is gone)");
  EXPECT_EQ(rt.attempts("default", "pi")[0].state.status, ProcessStatus::kLost);

  // What the lost shim started is still running; deleting the app stops it.
  auto members = driver_group_members(shim->pid, rt.attempts("default", "pi")[0].dir);
  EXPECT_FALSE(members.empty());  // sh, and sleep unless sh exec'd it
  EXPECT_TRUE(rt.delete_resources(a));
  EXPECT_TRUE(driver_group_members(shim->pid, rt.attempts("default", "pi")[0].dir).empty());
  EXPECT_TRUE(wait_until([&] { return !group_alive(shim->pid); }));
}

TEST_F(LocalRuntimeTest, MissingCommandExits127) {
  auto o = options();
  o.command_factory = [](const api::SparkApplication&, const std::string&) {
    DriverCommand cmd;
    cmd.argv = {"/nonexistent/spark-submit", "x"};
    return cmd;
  };
  LocalRuntime rt(o);
  auto a = app("unused");
  ASSERT_TRUE(rt.submit(a, "sub-1").ok);
  auto obs = wait_ended(rt, a);
  EXPECT_EQ(obs.exit_code, std::optional<int>(127));
  EXPECT_NE(obs.message.find("cannot run /nonexistent/spark-submit"), std::string::npos)
      << obs.message;
}

TEST_F(LocalRuntimeTest, SubmitChecksTheMainFile) {
  LocalRuntime rt(options());
  auto a = app("exit 0");
  a.spec.main_application_file = "jobs/missing.py";
  auto res = rt.submit(a, "sub-1");
  EXPECT_FALSE(res.ok);
  EXPECT_EQ(res.error, "spec.mainApplicationFile: file not found: " + root_ + "/jobs/missing.py");
  EXPECT_TRUE(rt.attempts("default", "pi").empty());
  fs::create_directories(root_ + "/jobs");
  std::ofstream(root_ + "/jobs/missing.py") << "print(1)\n";
  EXPECT_TRUE(rt.submit(a, "sub-1").ok);
  wait_ended(rt, a);
}

TEST_F(LocalRuntimeTest, SubmitReportsMissingJavaAndSpark) {
  auto o = options();
  o.command_factory = nullptr;
  std::map<std::string, std::string> vars = {{"PATH", "/nonexistent"},
                                             {"HOME", "/nonexistent/home"}};
  o.env = [&vars](const std::string& k) -> std::optional<std::string> {
    auto it = vars.find(k);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  LocalRuntime rt(o);
  auto a = app("exit 0");
  auto res = rt.submit(a, "sub-1");
  EXPECT_FALSE(res.ok);
  EXPECT_EQ(res.error,
            "Java 17+ not found: install openjdk-17-jre-headless or set JAVA_HOME (run make deps)");
  if (fs::exists("/usr/bin/java")) {
    vars["PATH"] = "/usr/bin";
    res = rt.submit(a, "sub-1");
    EXPECT_FALSE(res.ok);
    EXPECT_EQ(res.error, "Spark not found: set SPARK_HOME or run make deps");
  }
  EXPECT_TRUE(rt.attempts("default", "pi").empty());
}

TEST_F(LocalRuntimeTest, UnstartableShimIsAnError) {
  auto o = options();
  o.shim_command = {"/nonexistent/sparkplane", "run-driver"};
  LocalRuntime rt(o);
  auto res = rt.submit(app("exit 0"), "sub-1");
  EXPECT_FALSE(res.ok);
  EXPECT_NE(res.error.find("/nonexistent/sparkplane"), std::string::npos) << res.error;
}

TEST_F(LocalRuntimeTest, RejectsPathLikeNames) {
  LocalRuntime rt(options());
  auto a = app("exit 0", "sub-1", "..");
  EXPECT_FALSE(rt.submit(a, "sub-1").ok);
  EXPECT_FALSE(rt.submit(app("exit 0"), "../x").ok);
}

TEST(LocalRuntimeShim, UsageErrors) {
  EXPECT_EQ(run_driver_main({}), 2);
  EXPECT_EQ(run_driver_main({"--dir", "/tmp"}), 2);
  EXPECT_EQ(run_driver_main({"--bogus"}), 2);
}

TEST(LocalRuntimeShim, Records) {
  EXPECT_EQ(format_pid_record({123, 456}), "123 456\n");
  auto r = parse_pid_record("123 456\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->pid, 123);
  EXPECT_EQ(r->start_time, 456u);
  EXPECT_FALSE(parse_pid_record("garbage"));
  EXPECT_FALSE(parse_pid_record(""));
  EXPECT_EQ(parse_exit_record("137\n"), std::optional<int>(137));
  EXPECT_FALSE(parse_exit_record(""));
}

TEST(LocalRuntimeShim, ProcessStartTimeOfSelf) {
  auto st = process_start_time(::getpid());
  ASSERT_TRUE(st);
  EXPECT_TRUE(process_alive(::getpid(), *st));
  EXPECT_FALSE(process_alive(::getpid(), *st + 1));
}

TEST(LocalRuntimeLogScan, SparkLines) {
  DriverLogScanner s;
  s.scan_line("26/11/22 02:52:31 INFO Utils: Successfully started service 'SparkUI' on port 4040.");
  EXPECT_EQ(s.web_ui_address(), "localhost:4040");
  s.scan_line("26/11/22 02:52:32 INFO Executor: Starting executor ID driver on host 192.0.2.2");
  EXPECT_EQ(s.web_ui_address(), "192.0.2.2:4040");
  s.scan_line(
      "26/11/22 02:52:32 INFO RollingEventLogFilesWriter: Logging events to "
      "file:/srv/spark-events/eventlog_v2_local-1795315951971/events_1_local-1795315951971.zstd");
  EXPECT_EQ(s.app_id(), "local-1795315951971");
  s.scan_line("INFO SparkUI: Bound SparkUI to 0.0.0.0, and started at http://host.example:4042");
  EXPECT_EQ(s.web_ui_address(), "host.example:4042");
  EXPECT_EQ(s.web_ui_port(), 4042);
  EXPECT_EQ(s.last_error(), "");
  s.scan_line("Traceback (most recent call last):");
  s.scan_line("ZeroDivisionError: division by zero");
  s.scan_line("26/11/22 02:52:36 INFO SparkUI: Stopped Spark web UI at http://192.0.2.2:4040");
  EXPECT_EQ(s.last_error(), "ZeroDivisionError: division by zero");
}

TEST(LocalRuntimeLogScan, EventLogPaths) {
  EXPECT_EQ(app_id_from_event_log_path("file:/srv/spark-events/local-123.inprogress"), "local-123");
  EXPECT_EQ(app_id_from_event_log_path("file:/srv/spark-events/local-123.zstd.inprogress"),
            "local-123");
  EXPECT_EQ(app_id_from_event_log_path("s3a://b/ev/eventlog_v2_local-9/events_1_local-9"),
            "local-9");
  EXPECT_EQ(app_id_from_event_log_path("file:/srv/spark-events/eventlog_v2_local-9"), "local-9");
}

TEST(LocalRuntimeLogScan, IncrementalFileReads) {
  char tmpl[] = "/tmp/sp-scan-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  std::string path = std::string(tmpl) + "/stderr.log";
  DriverLogScanner s;
  s.update(path);  // missing file: nothing
  {
    std::ofstream out(path);
    out << "x ERROR first\npartial ERR";
  }
  s.update(path);
  EXPECT_EQ(s.last_error(), "x ERROR first");
  {
    std::ofstream out(path, std::ios::app);
    out << "OR second\nno newline ERROR third";
  }
  s.update(path);
  EXPECT_EQ(s.last_error(), "partial ERROR second");
  s.update(path, /*complete=*/true);
  EXPECT_EQ(s.last_error(), "no newline ERROR third");
  fs::remove_all(tmpl);
}

}  // namespace
}  // namespace sp::local
