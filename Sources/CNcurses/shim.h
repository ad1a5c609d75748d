#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/curses.h>

// ncurses exposes these as macros or C globals; Swift sees functions.
static inline WINDOW *jc_stdscr(void) { return stdscr; }
static inline int jc_lines(void) { return LINES; }
static inline int jc_cols(void) { return COLS; }
static inline int jc_color_pair(int n) { return COLOR_PAIR(n); }
static inline int jc_key_resize(void) { return KEY_RESIZE; }
#endif
