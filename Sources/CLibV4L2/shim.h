// libv4l2 (Debian: libv4l-dev). Swift cannot call the variadic v4l2_open/v4l2_ioctl, nor import the
// VIDIOC_* macros, so each call FFEMCapture needs is wrapped here as a static inline function.
#ifndef FFEM_CLIBV4L2_SHIM_H
#define FFEM_CLIBV4L2_SHIM_H
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <linux/videodev2.h>
#include <libv4l2.h>
#include <stdint.h>
#include <sys/types.h>

// libv4l2 is referenced weakly: a dynamic build links it (format conversion for any camera,
// plugins), a static board build may leave it out and then talks to the kernel's V4L2 interface
// directly — the camera must then offer a format the crop reads natively (YUYV, UYVY, NV12, GREY,
// RGB24, BGR24). Each call below picks libv4l2 when it is linked in, the system call otherwise.
#pragma weak v4l2_open
#pragma weak v4l2_close
#pragma weak v4l2_ioctl
#pragma weak v4l2_mmap
#pragma weak v4l2_munmap
static inline int ffem_libv4l2_open(const char *path, int flags) { return v4l2_open ? v4l2_open(path, flags) : open(path, flags); }
static inline int ffem_libv4l2_close(int fd) { return v4l2_close ? v4l2_close(fd) : close(fd); }
static inline int ffem_libv4l2_ioctl(int fd, unsigned long request, void *arg) {
  return v4l2_ioctl ? v4l2_ioctl(fd, request, arg) : ioctl(fd, request, arg);
}
static inline void *ffem_libv4l2_mmap(void *start, size_t length, int prot, int flags, int fd, int64_t offset) {
  return v4l2_mmap ? v4l2_mmap(start, length, prot, flags, fd, offset) : mmap(start, length, prot, flags, fd, (off_t)offset);
}
static inline int ffem_libv4l2_munmap(void *start, size_t length) { return v4l2_munmap ? v4l2_munmap(start, length) : munmap(start, length); }
/// 1 when libv4l2 is linked in (its format conversion is available).
static inline int ffem_libv4l2_is_linked(void) { return v4l2_ioctl != 0; }

static inline int ffem_v4l2_open(const char *path, int flags) { return ffem_libv4l2_open(path, flags); }
static inline int ffem_v4l2_close(int fd) { return ffem_libv4l2_close(fd); }
static inline int ffem_errno(void) { return errno; }
static inline int ffem_v4l2_querycap(int fd, struct v4l2_capability *cap) { return ffem_libv4l2_ioctl(fd, VIDIOC_QUERYCAP, cap); }
static inline int ffem_v4l2_enum_fmt(int fd, struct v4l2_fmtdesc *desc) { return ffem_libv4l2_ioctl(fd, VIDIOC_ENUM_FMT, desc); }
static inline int ffem_v4l2_enum_framesizes(int fd, struct v4l2_frmsizeenum *size) { return ffem_libv4l2_ioctl(fd, VIDIOC_ENUM_FRAMESIZES, size); }
static inline int ffem_v4l2_g_fmt(int fd, struct v4l2_format *fmt) { return ffem_libv4l2_ioctl(fd, VIDIOC_G_FMT, fmt); }
static inline int ffem_v4l2_s_fmt(int fd, struct v4l2_format *fmt) { return ffem_libv4l2_ioctl(fd, VIDIOC_S_FMT, fmt); }
static inline int ffem_v4l2_s_parm(int fd, struct v4l2_streamparm *parm) { return ffem_libv4l2_ioctl(fd, VIDIOC_S_PARM, parm); }
static inline int ffem_v4l2_reqbufs(int fd, struct v4l2_requestbuffers *req) { return ffem_libv4l2_ioctl(fd, VIDIOC_REQBUFS, req); }
static inline int ffem_v4l2_querybuf(int fd, struct v4l2_buffer *buf) { return ffem_libv4l2_ioctl(fd, VIDIOC_QUERYBUF, buf); }
static inline int ffem_v4l2_qbuf(int fd, struct v4l2_buffer *buf) { return ffem_libv4l2_ioctl(fd, VIDIOC_QBUF, buf); }
static inline int ffem_v4l2_dqbuf(int fd, struct v4l2_buffer *buf) { return ffem_libv4l2_ioctl(fd, VIDIOC_DQBUF, buf); }
static inline int ffem_v4l2_streamon(int fd) { enum v4l2_buf_type t = V4L2_BUF_TYPE_VIDEO_CAPTURE; return ffem_libv4l2_ioctl(fd, VIDIOC_STREAMON, &t); }
static inline int ffem_v4l2_streamoff(int fd) { enum v4l2_buf_type t = V4L2_BUF_TYPE_VIDEO_CAPTURE; return ffem_libv4l2_ioctl(fd, VIDIOC_STREAMOFF, &t); }
static inline void *ffem_v4l2_mmap(size_t length, int fd, int64_t offset) { return ffem_libv4l2_mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset); }
static inline int ffem_v4l2_munmap(void *start, size_t length) { return ffem_libv4l2_munmap(start, length); }

// MARK: helpers for FFEMCapture and ffem-edge (Embedded Swift imports no Glibc)

#include <signal.h>
#include <time.h>
#include <string.h>

/// errno's text (strerror).
static inline const char *ffem_strerror(int code) { return strerror(code); }

/// v4l2_ioctl retried while it fails with EINTR (a signal arrived during the call).
#define FFEM_V4L2_RETRY(call) do { int r_; do { r_ = (call); } while (r_ == -1 && errno == EINTR); return r_; } while (0)

/// S_FMT of a single-planar capture format; `*out` receives what the driver (or libv4l2) chose.
static inline int ffem_v4l2_set_format(int fd, uint32_t fourcc, uint32_t width, uint32_t height, struct v4l2_pix_format *out) {
  struct v4l2_format fmt;
  memset(&fmt, 0, sizeof fmt);
  fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  fmt.fmt.pix.width = width;
  fmt.fmt.pix.height = height;
  fmt.fmt.pix.pixelformat = fourcc;
  fmt.fmt.pix.field = V4L2_FIELD_NONE;
  int r;
  do { r = ffem_libv4l2_ioctl(fd, VIDIOC_S_FMT, &fmt); } while (r == -1 && errno == EINTR);
  if (r == 0) *out = fmt.fmt.pix;
  return r;
}

/// The `index`-th capture format (ENUM_FMT); returns -1 with errno EINVAL past the last one.
/// `*emulated` is 1 when libv4l2 converts to it from a native format.
static inline int ffem_v4l2_format_at(int fd, uint32_t index, uint32_t *fourcc, int *emulated) {
  struct v4l2_fmtdesc d;
  memset(&d, 0, sizeof d);
  d.index = index;
  d.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  int r;
  do { r = ffem_libv4l2_ioctl(fd, VIDIOC_ENUM_FMT, &d); } while (r == -1 && errno == EINTR);
  if (r == 0) { *fourcc = d.pixelformat; *emulated = (d.flags & V4L2_FMT_FLAG_EMULATED) ? 1 : 0; }
  return r;
}

/// The `index`-th frame size of `fourcc` (ENUM_FRAMESIZES). Discrete sizes give min = max;
/// stepwise/continuous ranges give their bounds (`*discrete` = 0).
static inline int ffem_v4l2_size_at(int fd, uint32_t fourcc, uint32_t index, uint32_t *min_w, uint32_t *min_h,
                                    uint32_t *max_w, uint32_t *max_h, int *discrete) {
  struct v4l2_frmsizeenum s;
  memset(&s, 0, sizeof s);
  s.index = index;
  s.pixel_format = fourcc;
  int r;
  do { r = ffem_libv4l2_ioctl(fd, VIDIOC_ENUM_FRAMESIZES, &s); } while (r == -1 && errno == EINTR);
  if (r != 0) return r;
  if (s.type == V4L2_FRMSIZE_TYPE_DISCRETE) {
    *min_w = *max_w = s.discrete.width; *min_h = *max_h = s.discrete.height; *discrete = 1;
  } else {
    *min_w = s.stepwise.min_width; *min_h = s.stepwise.min_height;
    *max_w = s.stepwise.max_width; *max_h = s.stepwise.max_height; *discrete = 0;
  }
  return 0;
}

/// QUERYCAP: driver and card names (NUL-terminated, 32 bytes each) and the device capabilities.
static inline int ffem_v4l2_capabilities(int fd, char driver[32], char card[32], uint32_t *caps) {
  struct v4l2_capability c;
  memset(&c, 0, sizeof c);
  int r;
  do { r = ffem_libv4l2_ioctl(fd, VIDIOC_QUERYCAP, &c); } while (r == -1 && errno == EINTR);
  if (r != 0) return r;
  memcpy(driver, c.driver, 31); driver[31] = 0;
  memcpy(card, c.card, 31); card[31] = 0;
  *caps = (c.capabilities & V4L2_CAP_DEVICE_CAPS) ? c.device_caps : c.capabilities;
  return 0;
}
static inline uint32_t ffem_v4l2_cap_video_capture(void) { return V4L2_CAP_VIDEO_CAPTURE; }
static inline uint32_t ffem_v4l2_cap_streaming(void) { return V4L2_CAP_STREAMING; }

/// S_PARM: asks for `denominator` frames per second; `*got_num`/`*got_den` receive the frame
/// interval the driver chose (0/0 when the driver cannot set it).
static inline int ffem_v4l2_set_frame_rate(int fd, uint32_t denominator, uint32_t *got_num, uint32_t *got_den) {
  struct v4l2_streamparm p;
  memset(&p, 0, sizeof p);
  p.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  p.parm.capture.timeperframe.numerator = 1;
  p.parm.capture.timeperframe.denominator = denominator;
  int r;
  do { r = ffem_libv4l2_ioctl(fd, VIDIOC_S_PARM, &p); } while (r == -1 && errno == EINTR);
  if (r == 0 && (p.parm.capture.capability & V4L2_CAP_TIMEPERFRAME)) {
    *got_num = p.parm.capture.timeperframe.numerator; *got_den = p.parm.capture.timeperframe.denominator;
  } else { *got_num = 0; *got_den = 0; }
  return r;
}

/// REQBUFS of `*count` MMAP buffers (0 frees them); `*count` receives what the driver granted.
static inline int ffem_v4l2_request_mmap_buffers(int fd, uint32_t *count) {
  struct v4l2_requestbuffers q;
  memset(&q, 0, sizeof q);
  q.count = *count; q.type = V4L2_BUF_TYPE_VIDEO_CAPTURE; q.memory = V4L2_MEMORY_MMAP;
  int r;
  do { r = ffem_libv4l2_ioctl(fd, VIDIOC_REQBUFS, &q); } while (r == -1 && errno == EINTR);
  if (r == 0) *count = q.count;
  return r;
}

/// QUERYBUF + v4l2_mmap of buffer `index`; `*start` is NULL on failure.
static inline int ffem_v4l2_map_buffer(int fd, uint32_t index, void **start, size_t *length) {
  struct v4l2_buffer b;
  memset(&b, 0, sizeof b);
  b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE; b.memory = V4L2_MEMORY_MMAP; b.index = index;
  int r;
  do { r = ffem_libv4l2_ioctl(fd, VIDIOC_QUERYBUF, &b); } while (r == -1 && errno == EINTR);
  *start = NULL;
  if (r != 0) return r;
  void *p = ffem_libv4l2_mmap(NULL, b.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, b.m.offset);
  if (p == MAP_FAILED) return -1;
  *start = p; *length = b.length;
  return 0;
}

/// QBUF of MMAP buffer `index` (hands it back to the driver).
static inline int ffem_v4l2_queue(int fd, uint32_t index) {
  struct v4l2_buffer b;
  memset(&b, 0, sizeof b);
  b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE; b.memory = V4L2_MEMORY_MMAP; b.index = index;
  FFEM_V4L2_RETRY(ffem_libv4l2_ioctl(fd, VIDIOC_QBUF, &b));
}

/// DQBUF of a filled MMAP buffer: its index, bytes used, driver sequence number, the kernel
/// timestamp in ns and whether the driver flagged the data as damaged (V4L2_BUF_FLAG_ERROR).
/// Fails with EAGAIN when no buffer is ready (non-blocking descriptor).
static inline int ffem_v4l2_dequeue(int fd, uint32_t *index, uint32_t *bytes_used, uint32_t *sequence,
                                    uint64_t *timestamp_ns, int *damaged) {
  struct v4l2_buffer b;
  memset(&b, 0, sizeof b);
  b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE; b.memory = V4L2_MEMORY_MMAP;
  int r;
  do { r = ffem_libv4l2_ioctl(fd, VIDIOC_DQBUF, &b); } while (r == -1 && errno == EINTR);
  if (r != 0) return r;
  *index = b.index; *bytes_used = b.bytesused; *sequence = b.sequence;
  *timestamp_ns = (uint64_t)b.timestamp.tv_sec * 1000000000ull + (uint64_t)b.timestamp.tv_usec * 1000ull;
  *damaged = (b.flags & V4L2_BUF_FLAG_ERROR) ? 1 : 0;
  return 0;
}

/// poll() for readability: 1 ready, 0 timeout, -1 error (errno; EINTR when a signal arrived).
/// `*hangup` is 1 when the device reported POLLERR/POLLHUP (typically: it was unplugged).
static inline int ffem_poll_readable(int fd, int timeout_ms, int *hangup) {
  struct pollfd p = { .fd = fd, .events = POLLIN, .revents = 0 };
  int r = poll(&p, 1, timeout_ms);
  *hangup = (r > 0 && (p.revents & (POLLERR | POLLHUP | POLLNVAL))) ? 1 : 0;
  return r;
}

static inline int ffem_o_rdwr_nonblock(void) { return O_RDWR | O_NONBLOCK; }
static inline int ffem_errno_eagain(void) { return EAGAIN; }
static inline int ffem_errno_eintr(void) { return EINTR; }
static inline int ffem_errno_enodev(void) { return ENODEV; }
static inline int ffem_errno_einval(void) { return EINVAL; }
static inline int ffem_errno_eio(void) { return EIO; }
static inline int ffem_errno_enoent(void) { return ENOENT; }

/// Sleeps `ms` milliseconds (interrupted early by a signal).
static inline void ffem_sleep_ms(int ms) {
  struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
  nanosleep(&t, NULL);
}

// MARK: plain file descriptors (raw recordings, box streams, output)

/// open() for reading; -1 with errno on failure. "-" is standard input.
static inline int ffem_fd_open_read(const char *path) {
  if (path[0] == '-' && path[1] == 0) return 0;
  int r; do { r = open(path, O_RDONLY | O_CLOEXEC); } while (r == -1 && errno == EINTR); return r;
}
/// open() for writing, created or truncated (mode 0644); "-" is standard output.
static inline int ffem_fd_open_write(const char *path) {
  if (path[0] == '-' && path[1] == 0) return 1;
  int r; do { r = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644); } while (r == -1 && errno == EINTR); return r;
}
/// open() for appending, created when missing (mode 0644).
static inline int ffem_fd_open_append(const char *path) {
  int r; do { r = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644); } while (r == -1 && errno == EINTR); return r;
}
static inline int ffem_fd_close(int fd) { return fd > 2 ? close(fd) : 0; }
/// read(): bytes read (0 at end of file) or -1 with errno. EINTR is returned, not retried, so a
/// caller blocked on a pipe can notice a stop request (then retry when there is none).
static inline ssize_t ffem_fd_read(int fd, void *buffer, size_t count) { return read(fd, buffer, count); }
/// Reads until `count` bytes, the end of the file, or an interruption by a signal (EINTR, with
/// `*interrupted` set to 1): bytes read, or -1 on another error.
static inline ssize_t ffem_fd_read_full(int fd, void *buffer, size_t count, int *interrupted) {
  size_t done = 0;
  *interrupted = 0;
  while (done < count) {
    ssize_t r = read(fd, (char *)buffer + done, count - done);
    if (r < 0) { if (errno == EINTR) { *interrupted = 1; break; } return -1; }
    if (r == 0) break;
    done += (size_t)r;
  }
  return (ssize_t)done;
}
/// Writes all `count` bytes (retrying short writes and EINTR): 0, or -1 with errno.
static inline int ffem_fd_write_all(int fd, const void *buffer, size_t count) {
  size_t done = 0;
  while (done < count) {
    ssize_t r = write(fd, (const char *)buffer + done, count - done);
    if (r < 0) { if (errno == EINTR) continue; return -1; }
    done += (size_t)r;
  }
  return 0;
}
/// File size in bytes via lseek, or -1 (pipes).
static inline int64_t ffem_fd_size(int fd) {
  off_t end = lseek(fd, 0, SEEK_END);
  if (end < 0) return -1;
  if (lseek(fd, 0, SEEK_SET) < 0) return -1;
  return (int64_t)end;
}

// MARK: stop requests (SIGINT, SIGTERM)
// The flag is file-static, so ffem_stop_install and ffem_stop_requested must be called from one
// Swift source file (FFEMCapture/StopRequest.swift), which owns the one copy.

static volatile sig_atomic_t ffem_stop_flag_ = 0;
static inline void ffem_stop_handler_(int signal_number) { (void)signal_number; ffem_stop_flag_ = 1; }
/// Installs the handler for SIGINT and SIGTERM (no SA_RESTART: a blocking poll/read returns EINTR,
/// so the loop notices the request at once), unblocks both, and ignores SIGPIPE (a closed output
/// pipe is then a write error, not death).
static inline void ffem_stop_install(void) {
  struct sigaction a;
  memset(&a, 0, sizeof a);
  a.sa_handler = ffem_stop_handler_;
  sigemptyset(&a.sa_mask);
  sigaction(SIGINT, &a, NULL);
  sigaction(SIGTERM, &a, NULL);
  signal(SIGPIPE, SIG_IGN);
  // A parent may have started us with these signals blocked (the mask is inherited): unblock them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  sigprocmask(SIG_UNBLOCK, &stop, NULL);
}
static inline int ffem_stop_requested(void) { return ffem_stop_flag_ != 0; }
static inline void ffem_stop_request(void) { ffem_stop_flag_ = 1; }
#endif
