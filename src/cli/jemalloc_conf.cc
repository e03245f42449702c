// jemalloc's options, read by jemalloc itself when the program starts (unused under the
// sanitizers or SPARKPLANE_JEMALLOC=OFF, which bring another allocator; MALLOC_CONF in the
// environment still overrides them). A background thread returns freed pages to the system
// once they have been unused for 5 s, also while the process is idle: without it, jemalloc
// only purges when the program allocates, so a long-running operator or history server kept
// the peak of a burst resident after the burst. One arena instead of four per core: the
// operator holding 3,000 apps kept 2.8 MB less resident (32.4 vs 35.2 MB) and a 1 GB replay took
// as long (3.6 s); turning the per-thread caches off saved 6.7 MB but slowed replay by 28%.
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "background_thread:true,dirty_decay_ms:5000,narenas:1";
}
