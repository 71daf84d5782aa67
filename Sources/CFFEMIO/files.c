// CFFEMIO — files, process and clock helpers over libc.
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "ffem_io.h"

static int fail(char *error, const char *what, const char *path) {
  snprintf(error, FFEM_IO_ERROR_SIZE, "%s '%s': %s", what, path, strerror(errno));
  return -1;
}

int ffem_read_file(const char *path, uint8_t **data, size_t *size, char *error) {
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(error, "cannot open", path);
  struct stat st;
  if (fstat(fd, &st) != 0) { close(fd); return fail(error, "cannot stat", path); }
  if (S_ISDIR(st.st_mode)) { close(fd); errno = EISDIR; return fail(error, "cannot read", path); }
  size_t capacity = st.st_size > 0 ? (size_t)st.st_size : 4096, used = 0;
  uint8_t *buffer = malloc(capacity + 1);
  if (!buffer) { close(fd); return fail(error, "out of memory reading", path); }
  for (;;) {
    if (used == capacity) {
      uint8_t *grown = realloc(buffer, capacity * 2 + 1);
      if (!grown) { free(buffer); close(fd); return fail(error, "out of memory reading", path); }
      buffer = grown; capacity *= 2;
    }
    const ssize_t n = read(fd, buffer + used, capacity - used);
    if (n < 0) { if (errno == EINTR) continue; free(buffer); close(fd); return fail(error, "cannot read", path); }
    if (n == 0) break;
    used += (size_t)n;
  }
  close(fd);
  *data = buffer;
  *size = used;
  return 0;
}

static int write_all(int fd, const uint8_t *data, size_t size) {
  while (size > 0) {
    const ssize_t n = write(fd, data, size);
    if (n < 0) { if (errno == EINTR) continue; return -1; }
    data += n; size -= (size_t)n;
  }
  return 0;
}

int ffem_write_file_atomic(const char *path, const uint8_t *data, size_t size, char *error) {
  char temporary[4096];
  if (snprintf(temporary, sizeof temporary, "%s.tmp-%ld", path, (long)getpid()) >= (int)sizeof temporary) {
    errno = ENAMETOOLONG;
    return fail(error, "cannot write", path);
  }
  const int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fail(error, "cannot create", temporary);
  if (write_all(fd, data, size) != 0 || fsync(fd) != 0) {
    const int saved = errno; close(fd); unlink(temporary); errno = saved;
    return fail(error, "cannot write", temporary);
  }
  if (close(fd) != 0) { const int saved = errno; unlink(temporary); errno = saved; return fail(error, "cannot write", temporary); }
  if (rename(temporary, path) != 0) { const int saved = errno; unlink(temporary); errno = saved; return fail(error, "cannot replace", path); }
  char folder[4096];
  snprintf(folder, sizeof folder, "%s", path);
  char *slash = strrchr(folder, '/');
  if (slash == folder) slash[1] = 0; else if (slash) *slash = 0; else strcpy(folder, ".");
  const int dfd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) { fsync(dfd); close(dfd); }
  return 0;
}

int ffem_path_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

int ffem_make_directories(const char *path, char *error) {
  char buffer[4096];
  if (snprintf(buffer, sizeof buffer, "%s", path) >= (int)sizeof buffer) { errno = ENAMETOOLONG; return fail(error, "cannot create", path); }
  for (char *p = buffer + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    if (mkdir(buffer, 0755) != 0 && errno != EEXIST) return fail(error, "cannot create", buffer);
    *p = '/';
  }
  if (mkdir(buffer, 0755) != 0 && errno != EEXIST) return fail(error, "cannot create", buffer);
  struct stat st;
  if (stat(buffer, &st) != 0 || !S_ISDIR(st.st_mode)) { errno = ENOTDIR; return fail(error, "cannot create", buffer); }
  return 0;
}

void ffem_free(void *pointer) { free(pointer); }

void ffem_write_stderr(const char *text) {
  fflush(stdout);
  fputs(text, stderr);
  fputc('\n', stderr);
}

void ffem_write_stderr_raw(const char *text) {
  fputs(text, stderr);
  fflush(stderr);
}

void ffem_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

void ffem_exit(int status) {
  fflush(stdout);
  exit(status);
}

const char *ffem_getenv(const char *name) { return getenv(name); }
int ffem_isatty(int fd) { return isatty(fd); }

uint64_t ffem_monotonic_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}
