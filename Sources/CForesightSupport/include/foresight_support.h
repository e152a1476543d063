#ifndef FORESIGHT_SUPPORT_H
#define FORESIGHT_SUPPORT_H

/// Asks the processor to start loading the cache line at `p` (for writing), so that a later access does
/// not stall. Ingest uses it for the customer's profile and timeline while it finishes the event.
static inline void foresight_prefetch_write(const void *p) { __builtin_prefetch(p, 1, 3); }

#endif
