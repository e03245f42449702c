// The embedded state database: <state_dir>/sparkplane.db in SQLite, opened crash-safe (WAL,
// synchronous=FULL), checked, migrated, and guarded by an exclusive lock on <state_dir>/lock.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace sp::local {

class Database;

// One prepared statement. Parameters are bound by position (1-based), never spliced into SQL.
//   auto st = db.prepare("SELECT body FROM objects WHERE name = ?");
//   st.bind(1, name);
//   while (st.step()) use(st.text(0));
class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind_null(int index);

  // Advances to the next row: true if there is one, false when done. Throws sp::Error.
  bool step();
  // Steps to completion (for statements that return no rows).
  void run();
  // Back to the start, bindings cleared, to run again.
  void reset();

  bool is_null(int column) const;
  int64_t integer(int column) const;
  std::string text(int column) const;

 private:
  Database* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// A write transaction (BEGIN IMMEDIATE). Rolls back on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

// One connection. Not thread-safe by itself: callers serialize (SqliteStore holds a mutex).
class Database {
 public:
  static constexpr int kSchemaVersion = 1;

  // Creates state_dir (mode 0700) if needed, takes the lock, opens and checks the database and
  // brings its schema up to date. Throws sp::Error with one line saying what is wrong:
  //   another sparkplane is using <dir> (pid N)
  //   state database <path> is corrupt: <detail>; move it aside to start afresh
  explicit Database(const std::filesystem::path& state_dir);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const std::filesystem::path& path() const { return path_; }
  const std::filesystem::path& state_dir() const { return dir_; }

  Statement prepare(std::string_view sql) { return Statement(*this, sql); }
  // Runs one or more statements without parameters (schema, pragmas).
  void exec(std::string_view sql);
  // PRAGMA user_version of the open file.
  int schema_version();
  // Rows changed by the last INSERT/UPDATE/DELETE.
  int changes();

  // Throws sp::Error for an SQLite result code, naming the database and what was being done.
  [[noreturn]] void fail(int rc, std::string_view doing);
  sqlite3* handle() { return db_; }

 private:
  void lock_state_dir();
  void open_and_check();
  void migrate();
  void close();

  std::filesystem::path dir_;
  std::filesystem::path path_;
  int lock_fd_ = -1;
  sqlite3* db_ = nullptr;
};

}  // namespace sp::local
