#include "history/sql_listener.h"

namespace sp::history {

void SqlListener::on_event(const Event& event) { (void)event; }

void SqlListener::flush() {}

std::size_t SqlListener::memory_bytes() const { return 0; }

}  // namespace sp::history
