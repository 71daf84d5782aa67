// CFFEMIO — libc file I/O and libjpeg-turbo, for the Swift modules (Embedded-safe: no Glibc import).
//
// libjpeg reports errors by longjmp, which Swift cannot express, so every libjpeg call lives here.
// All functions return 0 on success or -1 with a human-readable reason in `error` (NUL-terminated).
#ifndef FFEM_IO_H
#define FFEM_IO_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FFEM_IO_ERROR_SIZE 256

// MARK: files

/// Reads the whole file into a malloc'ed buffer (`*data`, freed with ffem_free()).
int ffem_read_file(const char *path, uint8_t **data, size_t *size, char *error);
/// Writes `size` bytes atomically: a temporary file beside `path`, fsync, rename, fsync of the folder.
/// Either the old file or the complete new one exists afterwards, never a partial one.
int ffem_write_file_atomic(const char *path, const uint8_t *data, size_t size, char *error);
/// 1 if `path` exists (any kind), else 0.
int ffem_path_exists(const char *path);
/// Creates `path` and its missing parents (mode 0755); success if it already exists as a folder.
int ffem_make_directories(const char *path, char *error);
void ffem_free(void *pointer);

/// Standard error output of one line (the Embedded `print` writes to stdout only).
void ffem_write_stderr(const char *text);
/// Standard error output of text as it is (no newline added).
void ffem_write_stderr_raw(const char *text);
/// Makes stdout line-buffered, so progress and results reach a log file or pipe as they happen.
void ffem_line_buffer_stdout(void);
/// Process exit with a status (flushes stdio).
void ffem_exit(int status) __attribute__((noreturn));
/// Environment variable or NULL.
const char *ffem_getenv(const char *name);
/// 1 when the file descriptor is a terminal.
int ffem_isatty(int fd);
/// Monotonic clock in nanoseconds.
uint64_t ffem_monotonic_ns(void);

// MARK: JPEG (libjpeg-turbo)

typedef struct ffem_jpeg_info {
  uint32_t width;       ///< decoded width at the requested scale
  uint32_t height;      ///< decoded height at the requested scale
  uint32_t components;  ///< 1 (greyscale) or 3 (RGB)
} ffem_jpeg_info;

/// Output size of decoding `data` with DCT scaling 1/scale_denominator (1, 2, 4 or 8).
/// Reads only the header. Rejects CMYK/YCCK and other component counts.
int ffem_jpeg_output_info(const uint8_t *data, size_t size, uint32_t scale_denominator, ffem_jpeg_info *info,
                          char *error);
/// Decodes into `out` (capacity bytes ≥ width·height·components of ffem_jpeg_output_info), rows
/// packed. Any libjpeg warning — a truncated file, a corrupt entropy segment — is an error: a damaged
/// image is refused, never silently padded with grey.
int ffem_jpeg_decode(const uint8_t *data, size_t size, uint32_t scale_denominator, uint8_t *out, size_t capacity,
                     ffem_jpeg_info *info, char *error);
/// A decoded region of a JPEG: `width`×`height` pixels whose top-left pixel is (x, y) of the whole
/// scaled image (`full_width`×`full_height`).
typedef struct ffem_jpeg_region {
  uint32_t x, y, width, height, components, full_width, full_height;
} ffem_jpeg_region;

/// Decodes only the part of the (scaled) image that covers columns [x0, x1) and rows [y0, y1),
/// clamped to the image: rows above are skipped (entropy-decoded only), columns are cropped to the
/// iMCU grid by libjpeg-turbo (so the region may start left of x0 and be wider), decoding stops after
/// the last row. Pixels are those of a full decode. Damage below the region is not seen: validate
/// datasets with a full decode first. The pixels are returned in `*pixels` (malloc'ed, packed rows of
/// region->width·components bytes; free with ffem_free()).
int ffem_jpeg_decode_region(const uint8_t *data, size_t size, uint32_t scale_denominator, int64_t x0, int64_t y0,
                            int64_t x1, int64_t y1, uint8_t **pixels, ffem_jpeg_region *region, char *error);
/// Encodes packed grey (components 1) or RGB (3) pixels; `*jpeg` is freed with ffem_free().
int ffem_jpeg_encode(const uint8_t *pixels, uint32_t width, uint32_t height, uint32_t components, int quality,
                     uint8_t **jpeg, size_t *jpeg_size, char *error);

#ifdef __cplusplus
}
#endif
#endif
