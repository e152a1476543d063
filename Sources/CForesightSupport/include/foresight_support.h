#ifndef FORESIGHT_SUPPORT_H
#define FORESIGHT_SUPPORT_H

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Asks the processor to start loading the cache line at `p` (for writing), so that a later access does
/// not stall. Ingest uses it for the customer's profile and timeline while it finishes the event.
static inline void foresight_prefetch_write(const void *p) { __builtin_prefetch(p, 1, 3); }

/// The same for a line that will only be read (hash table slots). A null pointer is ignored.
static inline void foresight_prefetch_read(const void *p) { if (p) __builtin_prefetch(p, 0, 3); }

/// The bytes among the 16 at `p` that a JSON string scanner must stop at: a quote, a backslash, a control
/// character (below 0x20) or a non-ASCII byte (0x80 and above, which starts a UTF-8 sequence to validate).
/// Bit k of the result is set when byte k is one of them. All 16 bytes must be readable.
///
/// Swift has no portable way to turn a vector comparison into a bit mask (x86's `pmovmskb`); with SSE2
/// this is five vector instructions for 16 bytes, where the 8-byte SWAR test takes a dozen for 8.
static inline uint32_t foresight_string_stops16(const void *p) {
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
    __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
    // A signed comparison: bytes 0x80–0xFF are negative, so "below 0x20" also catches every non-ASCII byte.
    __m128i low = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
    return (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), low));
#else
    const uint8_t *s = (const uint8_t *)p;
    uint32_t mask = 0;
    for (int k = 0; k < 16; k++) {
        uint8_t c = s[k];
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) mask |= 1u << k;
    }
    return mask;
#endif
}

#endif
