// Shim over the wide-character ncurses for Swift.
//
// Swift imports functions and simple constants, but not function-like macros nor macros that expand to
// expressions over other macros or globals. The wrappers below cover the few of those that the backend
// uses. Each is `static inline`, so nothing is linked beyond libncursesw itself.
#ifndef FORESIGHT_CNCURSESW_SHIM_H
#define FORESIGHT_CNCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <langinfo.h>
#include <ncurses.h>

// Attributes (the macros are built from NCURSES_BITS, which Swift does not import).
static inline attr_t foresight_a_normal(void) { return WA_NORMAL; }
static inline attr_t foresight_a_bold(void) { return WA_BOLD; }
static inline attr_t foresight_a_dim(void) { return WA_DIM; }
static inline attr_t foresight_a_reverse(void) { return WA_REVERSE; }
static inline attr_t foresight_a_underline(void) { return WA_UNDERLINE; }

// The standard screen of the current terminal (a C global, which Swift 6 rejects as not concurrency-safe).
static inline WINDOW *foresight_stdscr(void) { return stdscr; }

// Number of colours and colour pairs of the current terminal (C globals).
static inline int foresight_colors(void) { return COLORS; }
static inline int foresight_color_pairs(void) { return COLOR_PAIRS; }

// The column width glibc (and so ncurses) gives a character; <wchar.h> declares wcwidth only under
// _XOPEN_SOURCE, which the system module is not built with.
extern int wcwidth(wchar_t character);
static inline int foresight_wcwidth(wchar_t character) { return wcwidth(character); }

#endif
