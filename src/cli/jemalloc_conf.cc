// jemalloc's options, read by jemalloc itself when the program starts (unused under the
// sanitizers or SPARKPLANE_JEMALLOC=OFF, which bring another allocator; MALLOC_CONF in the
// environment still overrides them). A background thread returns freed pages to the system
// once they have been unused for 5 s, also while the process is idle: without it, jemalloc
// only purges when the program allocates, so a long-running operator or history server kept
// the peak of a burst resident after the burst.
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "background_thread:true,dirty_decay_ms:5000";
}
