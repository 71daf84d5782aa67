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

static inline int ffem_v4l2_open(const char *path, int flags) { return v4l2_open(path, flags); }
static inline int ffem_v4l2_close(int fd) { return v4l2_close(fd); }
static inline int ffem_errno(void) { return errno; }
static inline int ffem_v4l2_querycap(int fd, struct v4l2_capability *cap) { return v4l2_ioctl(fd, VIDIOC_QUERYCAP, cap); }
static inline int ffem_v4l2_enum_fmt(int fd, struct v4l2_fmtdesc *desc) { return v4l2_ioctl(fd, VIDIOC_ENUM_FMT, desc); }
static inline int ffem_v4l2_enum_framesizes(int fd, struct v4l2_frmsizeenum *size) { return v4l2_ioctl(fd, VIDIOC_ENUM_FRAMESIZES, size); }
static inline int ffem_v4l2_g_fmt(int fd, struct v4l2_format *fmt) { return v4l2_ioctl(fd, VIDIOC_G_FMT, fmt); }
static inline int ffem_v4l2_s_fmt(int fd, struct v4l2_format *fmt) { return v4l2_ioctl(fd, VIDIOC_S_FMT, fmt); }
static inline int ffem_v4l2_s_parm(int fd, struct v4l2_streamparm *parm) { return v4l2_ioctl(fd, VIDIOC_S_PARM, parm); }
static inline int ffem_v4l2_reqbufs(int fd, struct v4l2_requestbuffers *req) { return v4l2_ioctl(fd, VIDIOC_REQBUFS, req); }
static inline int ffem_v4l2_querybuf(int fd, struct v4l2_buffer *buf) { return v4l2_ioctl(fd, VIDIOC_QUERYBUF, buf); }
static inline int ffem_v4l2_qbuf(int fd, struct v4l2_buffer *buf) { return v4l2_ioctl(fd, VIDIOC_QBUF, buf); }
static inline int ffem_v4l2_dqbuf(int fd, struct v4l2_buffer *buf) { return v4l2_ioctl(fd, VIDIOC_DQBUF, buf); }
static inline int ffem_v4l2_streamon(int fd) { enum v4l2_buf_type t = V4L2_BUF_TYPE_VIDEO_CAPTURE; return v4l2_ioctl(fd, VIDIOC_STREAMON, &t); }
static inline int ffem_v4l2_streamoff(int fd) { enum v4l2_buf_type t = V4L2_BUF_TYPE_VIDEO_CAPTURE; return v4l2_ioctl(fd, VIDIOC_STREAMOFF, &t); }
static inline void *ffem_v4l2_mmap(size_t length, int fd, int64_t offset) { return v4l2_mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset); }
static inline int ffem_v4l2_munmap(void *start, size_t length) { return v4l2_munmap(start, length); }
#endif
