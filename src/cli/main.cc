#include <cstdio>

int main() {
  std::puts("sparkplane");
  return 0;
}
