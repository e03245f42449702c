// Seed inputs for the fuzz targets, written at run time (no binary files in the repository):
// each target calls write_seeds() from LLVMFuzzerInitialize, which stores them in the directory
// named by $SPARKPLANE_FUZZ_SEEDS (the corpus libFuzzer then loads), when that is set.
#pragma once

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace sp::fuzz {

inline void write_seeds(const std::vector<std::string>& seeds) {
  const char* dir = std::getenv("SPARKPLANE_FUZZ_SEEDS");
  if (dir == nullptr || *dir == '\0') return;
  int i = 0;
  for (const auto& s : seeds) {
    std::ofstream f(std::string(dir) + "/seed-" + std::to_string(i++), std::ios::binary);
    f.write(s.data(), static_cast<std::streamsize>(s.size()));
  }
}

}  // namespace sp::fuzz
