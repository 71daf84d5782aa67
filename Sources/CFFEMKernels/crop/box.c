// CFFEMKernels — boxes in Q16 fixed point and the crop policy.
#include <math.h>
#include "ffem_image.h"

static int q16_from_pixels(double v, int64_t *out) {
  if (!isfinite(v) || v > FFEM_BOX_MAX_COORDINATE || v < -FFEM_BOX_MAX_COORDINATE) return FFEM_CROP_BAD_COORDINATE;
  *out = (int64_t)llround(v * 65536.0);
  return FFEM_CROP_OK;
}

int ffem_box_q16_from_pixels(double x1, double y1, double x2, double y2, ffem_box_q16 *out) {
  ffem_box_q16 box;
  if (q16_from_pixels(x1, &box.x1) || q16_from_pixels(y1, &box.y1) || q16_from_pixels(x2, &box.x2) ||
      q16_from_pixels(y2, &box.y2))
    return FFEM_CROP_BAD_COORDINATE;
  *out = box;
  return FFEM_CROP_OK;
}

static int64_t floor_div2(int64_t v) { return v >= 0 ? v / 2 : -((-v + 1) / 2); }

int ffem_crop_policy_apply(const ffem_crop_policy *policy, ffem_box_q16 box, ffem_box_q16 *out) {
  if (box.x2 <= box.x1 || box.y2 <= box.y1) return FFEM_CROP_EMPTY_BOX;
  if (policy->scale_q16 <= 0) return FFEM_CROP_BAD_COORDINATE;
  int64_t w = ((box.x2 - box.x1) * policy->scale_q16 + 32768) >> 16;
  int64_t h = ((box.y2 - box.y1) * policy->scale_q16 + 32768) >> 16;
  if (policy->make_square) w = h = (w > h ? w : h);
  if (w <= 0 || h <= 0) return FFEM_CROP_EMPTY_BOX;
  const int64_t x1 = floor_div2(box.x1 + box.x2 - w);
  const int64_t y1 = floor_div2(box.y1 + box.y2 - h);
  const int64_t limit = (int64_t)(FFEM_BOX_MAX_COORDINATE * 65536.0);
  if (x1 < -limit || y1 < -limit || x1 + w > limit || y1 + h > limit) return FFEM_CROP_BAD_COORDINATE;
  out->x1 = x1;
  out->y1 = y1;
  out->x2 = x1 + w;
  out->y2 = y1 + h;
  return FFEM_CROP_OK;
}
