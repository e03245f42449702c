#include "runtime/local/database.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "common/error.h"

namespace sp::local {
namespace {

// SQLite copies bound text before returning (SQLITE_TRANSIENT, spelled without a C cast).
const sqlite3_destructor_type kTransient = reinterpret_cast<sqlite3_destructor_type>(-1);

// Migration i brings user_version i to i + 1. Append only: never edit a released step.
const char* const kMigrations[] = {
    // 0 -> 1: objects, their events, and the global resourceVersion counter.
    R"sql(
CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('resource_version', 0);

CREATE TABLE objects (
  resource TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  uid TEXT NOT NULL UNIQUE,
  resource_version INTEGER NOT NULL,
  generation INTEGER NOT NULL,
  creation_time TEXT NOT NULL,
  deletion_time TEXT,
  body TEXT NOT NULL,
  PRIMARY KEY (resource, namespace, name)
) WITHOUT ROWID;

CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  uid TEXT NOT NULL UNIQUE,
  resource TEXT NOT NULL,
  namespace TEXT NOT NULL,
  object_name TEXT NOT NULL,
  object_uid TEXT NOT NULL,
  type TEXT NOT NULL,
  reason TEXT NOT NULL,
  message TEXT NOT NULL,
  count INTEGER NOT NULL,
  first_time TEXT NOT NULL,
  last_time TEXT NOT NULL,
  last_unix INTEGER NOT NULL,
  resource_version INTEGER NOT NULL
);
CREATE INDEX events_by_object
  ON events (namespace, object_name, resource, object_uid, resource_version);
CREATE INDEX events_by_time ON events (last_unix);
)sql",
};

bool is_corruption(int rc) {
  const int primary = rc & 0xff;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

}  // namespace

// ---- Statement ----

Statement::Statement(Database& db, std::string_view sql) : db_(&db) {
  const int rc =
      sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()), 0, &stmt_, nullptr);
  if (rc != SQLITE_OK) db.fail(rc, "preparing \"" + std::string(sql.substr(0, 60)) + "\"");
}

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

Statement& Statement::bind(int index, std::string_view value) {
  const int rc =
      sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), kTransient);
  if (rc != SQLITE_OK) db_->fail(rc, "binding a parameter");
  return *this;
}

Statement& Statement::bind(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) db_->fail(rc, "binding a parameter");
  return *this;
}

Statement& Statement::bind_null(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) db_->fail(rc, "binding a parameter");
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const char* sql = sqlite3_sql(stmt_);
  db_->fail(rc, "running \"" + std::string(sql ? sql : "").substr(0, 60) + "\"");
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  const int n = sqlite3_column_bytes(stmt_, column);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
}

// ---- Transaction ----

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_ && sqlite3_get_autocommit(db_.handle()) == 0) {
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

// ---- Database ----

Database::Database(const std::filesystem::path& state_dir)
    : dir_(state_dir), path_(state_dir / "sparkplane.db") {
  std::error_code ec;
  if (std::filesystem::create_directories(dir_, ec)) {
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
  }
  if (ec || !std::filesystem::is_directory(dir_)) {
    throw Error("cannot create state directory " + dir_.string() + ": " +
                (ec ? ec.message() : "not a directory"));
  }
  lock_state_dir();
  try {
    open_and_check();
    migrate();
  } catch (...) {
    close();
    throw;
  }
}

Database::~Database() { close(); }

void Database::close() {
  if (db_ != nullptr) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
  }
  if (lock_fd_ >= 0) {
    ::close(lock_fd_);  // releases the flock
    lock_fd_ = -1;
  }
}

void Database::lock_state_dir() {
  const std::string lock_path = (dir_ / "lock").string();
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0) {
    throw Error("cannot open lock file " + lock_path + ": " + std::strerror(errno));
  }
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    std::string pid;
    char buf[32] = {};
    const ssize_t n = ::pread(lock_fd_, buf, sizeof(buf) - 1, 0);
    for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i) pid.push_back(buf[i]);
    ::close(lock_fd_);
    lock_fd_ = -1;
    if (err == EWOULDBLOCK) {
      throw Error("another sparkplane is using " + dir_.string() + " (pid " +
                  (pid.empty() ? "unknown" : pid) + ")");
    }
    throw Error("cannot lock " + lock_path + ": " + std::strerror(err));
  }
  const std::string me = std::to_string(::getpid()) + "\n";
  if (::ftruncate(lock_fd_, 0) != 0 ||
      ::pwrite(lock_fd_, me.data(), me.size(), 0) != static_cast<ssize_t>(me.size())) {
    // The lock holds without the pid; only the message for a second opener is poorer.
  }
}

void Database::open_and_check() {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  const int rc = sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string detail = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    throw Error("cannot open state database " + path_.string() + ": " + detail);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, 5000);

  // A damaged file fails here (SQLITE_NOTADB / SQLITE_CORRUPT, mapped by fail()) or reports
  // problems as rows; a new, empty file answers "ok".
  std::vector<std::string> problems;
  {
    Statement check(*this, "PRAGMA quick_check");
    while (check.step()) {
      std::string row = check.text(0);
      // Rows may come as one text with a "*** in database main ***" heading and one problem
      // a line: keep the problems.
      for (size_t start = 0; start < row.size();) {
        size_t end = row.find('\n', start);
        if (end == std::string::npos) end = row.size();
        std::string line = row.substr(start, end - start);
        if (!line.empty() && line.rfind("*** in database", 0) != 0) problems.push_back(line);
        start = end + 1;
      }
    }
  }
  if (!(problems.size() == 1 && problems[0] == "ok")) {
    std::string detail = problems.empty() ? "quick_check returned nothing" : problems[0];
    if (problems.size() > 1) {
      detail += " (and " + std::to_string(problems.size() - 1) + " more problems)";
    }
    throw Error("state database " + path_.string() + " is corrupt: " + detail +
                "; move it aside to start afresh");
  }

  {
    Statement wal(*this, "PRAGMA journal_mode=WAL");
    const std::string mode = wal.step() ? wal.text(0) : "";
    if (mode != "wal") {
      throw Error("state database " + path_.string() +
                  ": cannot use write-ahead logging (journal mode is \"" + mode +
                  "\"); put the state directory on a local filesystem");
    }
  }
  exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
}

void Database::migrate() {
  constexpr int kSteps = static_cast<int>(std::size(kMigrations));
  static_assert(kSteps == kSchemaVersion, "one migration per schema version");
  const int version = schema_version();
  if (version > kSchemaVersion) {
    throw Error("state database " + path_.string() + " has schema version " +
                std::to_string(version) + ", newer than this sparkplane knows (" +
                std::to_string(kSchemaVersion) + "); use a newer sparkplane");
  }
  for (int v = version; v < kSchemaVersion; ++v) {
    Transaction tx(*this);
    exec(kMigrations[v]);
    // PRAGMA takes no parameters; the value is our own integer.
    exec("PRAGMA user_version = " + std::to_string(v + 1));
    tx.commit();
  }
}

void Database::exec(std::string_view sql) {
  const std::string s(sql);
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (err != nullptr) sqlite3_free(err);
  if (rc != SQLITE_OK) fail(rc, "running \"" + s.substr(0, 60) + "\"");
}

int Database::schema_version() {
  Statement st(*this, "PRAGMA user_version");
  return st.step() ? static_cast<int>(st.integer(0)) : 0;
}

int Database::changes() { return sqlite3_changes(db_); }

void Database::fail(int rc, std::string_view doing) {
  const std::string detail = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  if (is_corruption(rc)) {
    throw Error("state database " + path_.string() + " is corrupt: " + detail +
                "; move it aside to start afresh");
  }
  throw Error("state database " + path_.string() + ": " + std::string(doing) + ": " + detail);
}

}  // namespace sp::local
