// /sql and /sql/<id> (SqlResource): executions with plan nodes, metrics and edges.
#include "history/api_internal.h"

namespace sp::history::api {

void sql_list(JsonWriter& w, const AppState& s, const QueryParams& q) {
  (void)s;
  (void)q;
  w.begin_array();
  w.end_array();
}

void one_sql(JsonWriter& w, const AppState& s, int64_t execution_id, const QueryParams& q) {
  (void)w;
  (void)s;
  (void)q;
  not_found("unknown query execution id: " + std::to_string(execution_id));
}

}  // namespace sp::history::api
