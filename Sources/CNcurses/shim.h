#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// ncurses exposes these as macros or C globals; Swift sees functions.
static inline WINDOW *jc_stdscr(void) { return stdscr; }
static inline WINDOW *jc_curscr(void) { return curscr; }
static inline int jc_lines(void) { return LINES; }
static inline int jc_cols(void) { return COLS; }
static inline int jc_color_pair(int n) { return COLOR_PAIR(n); }
static inline int jc_key_resize(void) { return KEY_RESIZE; }
static inline int jc_colors(void) { return COLORS; }
static inline int jc_color_pairs(void) { return COLOR_PAIRS; }
static inline int jc_err(void) { return ERR; }
static inline int jc_ok(void) { return OK; }

// Attributes (NCURSES_BITS macros).
static inline attr_t jc_a_normal(void) { return A_NORMAL; }
static inline attr_t jc_a_bold(void) { return A_BOLD; }
static inline attr_t jc_a_dim(void) { return A_DIM; }
static inline attr_t jc_a_reverse(void) { return A_REVERSE; }
static inline attr_t jc_a_underline(void) { return A_UNDERLINE; }

// Key codes returned by wget_wch with KEY_CODE_YES.
static inline int jc_key_code_yes(void) { return KEY_CODE_YES; }
static inline int jc_key_f(int n) { return KEY_F(n); }
static inline int jc_key_up(void) { return KEY_UP; }
static inline int jc_key_down(void) { return KEY_DOWN; }
static inline int jc_key_left(void) { return KEY_LEFT; }
static inline int jc_key_right(void) { return KEY_RIGHT; }
static inline int jc_key_home(void) { return KEY_HOME; }
static inline int jc_key_end(void) { return KEY_END; }
static inline int jc_key_ppage(void) { return KEY_PPAGE; }
static inline int jc_key_npage(void) { return KEY_NPAGE; }
static inline int jc_key_backspace(void) { return KEY_BACKSPACE; }
static inline int jc_key_dc(void) { return KEY_DC; }
static inline int jc_key_ic(void) { return KEY_IC; }
static inline int jc_key_btab(void) { return KEY_BTAB; }
static inline int jc_key_enter(void) { return KEY_ENTER; }

// A screen on the process's standard streams (stdin/stdout are C globals).
static inline SCREEN *jc_newterm(void) { return newterm(NULL, stdout, stdin); }

// The character set of the current locale ("UTF-8" when Unicode output is safe).
static inline const char *jc_codeset(void) { return nl_langinfo(CODESET); }

// Draws one cell: up to CCHARW_MAX-1 wide characters (a base and combining marks), attributes and a colour pair.
static inline int jc_put_cell(int y, int x, const wchar_t *wch, attr_t attrs, int pair) {
    cchar_t cc;
    if (setcchar(&cc, wch, attrs, (short)pair, NULL) == ERR) return ERR;
    return mvwadd_wch(stdscr, y, x, &cc);
}

// Whether the terminal has an alternate screen (smcup); without one the last frame stays visible after endwin.
static inline int jc_has_alternate_screen(void) {
    char *s = tigetstr("smcup");
    return s != NULL && s != (char *)-1;
}

// Reads one key; returns OK (a character), KEY_CODE_YES (a function key code) or ERR (timeout/interrupted).
static inline int jc_get_wch(wint_t *out) { return wget_wch(stdscr, out); }
#endif
