"""The equivalent tf.data input pipeline (the original project's framework), for ffem-data bench.

Same work per image as FFEM's pipeline: read file, decode_jpeg, per-image box jitter (±10 % per side),
horizontal flip (p 0.5), crop_and_resize to 112x112 bilinear, brightness/contrast/saturation jitter,
cutout (p 0.5), (p − 128)/128, batches of B, shuffled, prefetched; `threads` parallel calls and
TensorFlow thread pools of that size.
Usage: python tfdata_pipeline.py LIST ROOT BATCH THREADS SECONDS  → prints "images/s: N"
"""
import json
import os
import sys
import time

list_file, root, batch, threads, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf  # noqa: E402

tf.config.threading.set_inter_op_parallelism_threads(threads)
tf.config.threading.set_intra_op_parallelism_threads(threads)
entries = json.load(open(list_file))
paths = [os.path.join(root, k) for k in entries]
labels = [v["label"] for v in entries.values()]
boxes = [[v["x1"], v["y1"], v["x2"], v["y2"]] for v in entries.values()]
SIDE = 112


def load(path, label, box):
    image = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
    shape = tf.cast(tf.shape(image), tf.float32)
    h, w = shape[0], shape[1]
    bw, bh = box[2] - box[0], box[3] - box[1]
    jitter = tf.random.uniform([4], -0.1, 0.1) * tf.stack([bw, bh, bw, bh])
    b = box + jitter
    normalized = tf.stack([b[1] / h, b[0] / w, b[3] / h, b[2] / w])
    crop = tf.image.crop_and_resize(tf.cast(image, tf.float32)[None], normalized[None], [0], [SIDE, SIDE])[0]
    crop = tf.cond(tf.random.uniform([]) < 0.5, lambda: tf.image.flip_left_right(crop), lambda: crop)
    crop = tf.image.adjust_brightness(crop, tf.random.uniform([], -0.2, 0.2) * 255.0)
    crop = tf.image.adjust_contrast(crop, tf.random.uniform([], 0.8, 1.2))
    crop = tf.image.adjust_saturation(crop, tf.random.uniform([], 0.8, 1.2))
    crop = tf.clip_by_value(crop, 0.0, 255.0)
    side = tf.cast(tf.random.uniform([], 0.1, 0.4) * SIDE, tf.int32)
    cy = tf.random.uniform([], 0, SIDE, tf.int32)
    cx = tf.random.uniform([], 0, SIDE, tf.int32)
    ys, xs = tf.range(SIDE)[:, None], tf.range(SIDE)[None, :]
    inside = (tf.abs(ys - cy) <= side // 2) & (tf.abs(xs - cx) <= side // 2) & (tf.random.uniform([]) < 0.5)
    crop = tf.where(inside[:, :, None], 128.0, crop)
    return (crop - 128.0) / 128.0, label


dataset = (tf.data.Dataset.from_tensor_slices((paths, labels, tf.constant(boxes, tf.float32)))
           .shuffle(len(paths), seed=1, reshuffle_each_iteration=True)
           .map(load, num_parallel_calls=threads, deterministic=True)
           .batch(batch, drop_remainder=True)
           .prefetch(4))
options = tf.data.Options()
options.threading.private_threadpool_size = threads
dataset = dataset.with_options(options)
for _ in dataset.take(2):  # warm-up: graph tracing, thread pools
    pass
start, images = time.perf_counter(), 0
while time.perf_counter() - start < seconds:
    for images_batch, _ in dataset:
        images += int(images_batch.shape[0])
elapsed = time.perf_counter() - start
print(f"images: {images} in {elapsed:.2f} s")
print(f"images/s: {images / elapsed:.0f}")
