// The libc hooks an Embedded Swift program needs on a glibc system, linked into ffem-edge by
// scripts/edge/build-edge.sh (not part of any SwiftPM target: the host build uses the full Swift
// runtime, which has its own).
#define _GNU_SOURCE 1 /* strtod_l, strtof_l, newlocale */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

// Double("1.5") / Float("1.5") in Embedded Swift call these (declared in the stdlib's
// SwiftShims/RuntimeShims.h): parse in the "C" locale whatever the process locale is, and return
// the end of the parsed text, or NULL when nothing was parsed. Without them the link fails; with an
// implicit declaration the result would be garbage.
static locale_t ffem_c_locale(void) {
  static locale_t locale; // created once; a race only leaks one locale object
  if (locale == (locale_t)0) locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
  return locale;
}

const char *_swift_stdlib_strtod_clocale(const char *text, double *result) {
  char *end;
  *result = strtod_l(text, &end, ffem_c_locale());
  return end == text ? NULL : end;
}

const char *_swift_stdlib_strtof_clocale(const char *text, float *result) {
  char *end;
  *result = strtof_l(text, &end, ffem_c_locale());
  return end == text ? NULL : end;
}

// Embedded Swift's print() writes through putchar(). glibc buffers stdout fully when it is a pipe
// or a file, and a Swift trap (brk/ud2, no unwinding) would lose the lines printed before it, so
// stdout is made line-buffered before main runs.
__attribute__((constructor)) static void ffem_line_buffered_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }
