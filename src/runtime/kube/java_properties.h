// java.util.Properties text as Properties.store writes it, for the driver's spark.properties:
// one escaped key=value line per entry, here in key order so the text is deterministic.
#pragma once

#include <map>
#include <string>

namespace sp::kube {

// "#<comment>\n" (when not empty) then "key=value\n" per entry. Backslash, tab, newline,
// carriage return, form feed, '=', ':', '#' and '!' are escaped as Properties.store escapes them,
// spaces everywhere in a key and at the start of a value; other characters are written as UTF-8
// (as Properties.store(Writer) does).
std::string store_properties(const std::map<std::string, std::string>& props,
                             const std::string& comment);

// The inverse, for the entries store_properties writes (tests and tools).
std::map<std::string, std::string> load_properties(const std::string& text);

}  // namespace sp::kube
