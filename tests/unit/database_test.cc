// Tests for runtime/local/database.h: pragmas, schema version, lock, corruption, transactions.
#include "runtime/local/database.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include "common/error.h"
#include "store_test_util.h"

namespace sp::local {
namespace {

using testing::TempDir;

std::string error_of(const std::filesystem::path& dir) {
  try {
    Database db(dir);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

int64_t pragma(Database& db, const char* sql) {
  auto st = db.prepare(sql);
  EXPECT_TRUE(st.step()) << sql;
  return st.integer(0);
}

TEST(Database, CreatesPrivateStateDirAndCrashSafeSettings) {
  TempDir tmp;
  Database db(tmp.state());
  struct stat sb {};
  ASSERT_EQ(::stat(tmp.state().c_str(), &sb), 0);
  EXPECT_EQ(sb.st_mode & 0777, 0700u);
  EXPECT_TRUE(std::filesystem::exists(tmp.state() / "sparkplane.db"));
  EXPECT_EQ(db.path(), tmp.state() / "sparkplane.db");
  auto mode = db.prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.step());
  EXPECT_EQ(mode.text(0), "wal");
  EXPECT_EQ(pragma(db, "PRAGMA synchronous"), 2);  // FULL
  EXPECT_EQ(pragma(db, "PRAGMA foreign_keys"), 1);
  EXPECT_GT(pragma(db, "PRAGMA busy_timeout"), 0);
  EXPECT_EQ(db.schema_version(), Database::kSchemaVersion);
}

TEST(Database, ReopeningKeepsDataAndSchemaVersion) {
  TempDir tmp;
  {
    Database db(tmp.state());
    auto st = db.prepare("UPDATE counters SET value = ?1 WHERE name = 'resource_version'");
    st.bind(1, int64_t{41});
    st.run();
  }
  Database db(tmp.state());
  EXPECT_EQ(db.schema_version(), Database::kSchemaVersion);
  EXPECT_EQ(pragma(db, "SELECT value FROM counters WHERE name = 'resource_version'"), 41);
}

TEST(Database, SecondOpenerInTheSameProcessIsRefused) {
  TempDir tmp;
  {
    Database first(tmp.state());
    EXPECT_EQ(error_of(tmp.state()), "another sparkplane is using " + tmp.state().string() +
                                         " (pid " + std::to_string(::getpid()) + ")");
  }
  EXPECT_EQ(error_of(tmp.state()), "");  // the lock goes with the first opener
}

TEST(Database, OpenerInAnotherProcessIsRefusedWithItsPid) {
  TempDir tmp;
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(ready[0]);
    try {
      Database db(tmp.state());
      const char ok = 'y';
      if (::write(ready[1], &ok, 1) != 1) ::_exit(3);
      ::pause();
    } catch (...) {
      ::_exit(2);
    }
    ::_exit(0);
  }
  ::close(ready[1]);
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  ::close(ready[0]);
  EXPECT_EQ(error_of(tmp.state()), "another sparkplane is using " + tmp.state().string() +
                                       " (pid " + std::to_string(child) + ")");
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_EQ(error_of(tmp.state()), "");  // a dead holder's lock is gone with it
}

TEST(Database, GarbageFileIsReportedAsCorrupt) {
  TempDir tmp;
  std::filesystem::create_directories(tmp.state());
  const auto file = tmp.state() / "sparkplane.db";
  {
    std::ofstream out(file, std::ios::binary);
    std::mt19937 rng(7);
    for (int i = 0; i < 16384; ++i) out.put(static_cast<char>(rng() & 0xff));
  }
  EXPECT_EQ(error_of(tmp.state()), "state database " + file.string() +
                                       " is corrupt: file is not a database; move it aside to "
                                       "start afresh");
}

TEST(Database, DamagedPagesAreReportedAsCorrupt) {
  TempDir tmp;
  const auto file = tmp.state() / "sparkplane.db";
  {
    Database db(tmp.state());
    db.exec("CREATE TABLE filler (k INTEGER PRIMARY KEY, v TEXT)");
    Transaction tx(db);
    auto st = db.prepare("INSERT INTO filler (v) VALUES (?1)");
    for (int i = 0; i < 2000; ++i) {
      st.bind(1, std::string(200, static_cast<char>('a' + i % 26)));
      st.run();
      st.reset();
    }
    tx.commit();
  }  // closing checkpoints the WAL into the main file
  ASSERT_GT(std::filesystem::file_size(file), 64u * 1024);
  {
    std::fstream f(file, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(8 * 4096);  // past the schema pages, into the table's b-tree
    std::mt19937 rng(11);
    for (int i = 0; i < 8 * 4096; ++i) f.put(static_cast<char>(rng() & 0xff));
  }
  const std::string err = error_of(tmp.state());
  EXPECT_EQ(err.rfind("state database " + file.string() + " is corrupt: ", 0), 0u) << err;
  EXPECT_NE(err.find("; move it aside to start afresh"), std::string::npos) << err;
}

TEST(Database, NewerSchemaIsRefused) {
  TempDir tmp;
  {
    Database db(tmp.state());
    db.exec("PRAGMA user_version = 99");
  }
  const std::string err = error_of(tmp.state());
  EXPECT_NE(err.find("has schema version 99, newer than this sparkplane knows"), std::string::npos)
      << err;
}

TEST(Database, TransactionRollsBackUnlessCommitted) {
  TempDir tmp;
  Database db(tmp.state());
  db.exec("CREATE TABLE t (v TEXT)");
  try {
    Transaction tx(db);
    db.prepare("INSERT INTO t (v) VALUES ('lost')").run();
    throw std::runtime_error("boom");
  } catch (const std::runtime_error&) {
  }
  {
    Transaction tx(db);
    auto st = db.prepare("INSERT INTO t (v) VALUES (?1)");
    st.bind(1, "it's kept; DROP TABLE t; --");  // parameters are data, never SQL
    st.run();
    tx.commit();
  }
  auto st = db.prepare("SELECT v FROM t");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.text(0), "it's kept; DROP TABLE t; --");
  EXPECT_FALSE(st.step());
}

TEST(Database, SqlErrorsNameTheDatabase) {
  TempDir tmp;
  Database db(tmp.state());
  try {
    db.exec("SELECT * FROM no_such_table");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(db.path().string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("no such table: no_such_table"), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace sp::local
