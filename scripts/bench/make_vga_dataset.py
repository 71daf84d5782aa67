"""Makes a 640x480 JPEG dataset with face-sized boxes from the ORL faces (benchmark input only).

Each ORL face (92x112) is scaled 2x and pasted at a seeded random position on a background tiled
with other ORL images (photographic content, so the JPEGs compress like camera frames, not noise);
its box is moved and scaled with it. Output: DIR/image_list.json + DIR/<id>/<n>.jpg.
Usage: python make_vga_dataset.py ORL_DIR OUT_DIR
"""
import json
import os
import sys

import numpy as np
import tensorflow as tf

orl_dir, out_dir = sys.argv[1], sys.argv[2]
entries = json.load(open(os.path.join(orl_dir, "image_list.json")))
rng = np.random.default_rng(20261204)
keys = list(entries)
faces = {k: tf.io.decode_jpeg(tf.io.read_file(os.path.join(orl_dir, k)), channels=3).numpy() for k in keys}
out = {}
for key, value in entries.items():
    face = tf.cast(tf.image.resize(faces[key], (224, 184), method="bilinear"), tf.uint8).numpy()
    canvas = np.zeros((5 * 112, 7 * 92, 3), dtype=np.uint8)
    for row in range(5):
        for col in range(7):
            canvas[row * 112:(row + 1) * 112, col * 92:(col + 1) * 92] = faces[keys[int(rng.integers(0, len(keys)))]]
    canvas = np.ascontiguousarray(canvas[:480, :640])
    x0, y0 = int(rng.integers(0, 640 - 184)), int(rng.integers(0, 480 - 224))
    canvas[y0:y0 + 224, x0:x0 + 184] = face
    path = key
    os.makedirs(os.path.dirname(os.path.join(out_dir, path)), exist_ok=True)
    tf.io.write_file(os.path.join(out_dir, path), tf.io.encode_jpeg(canvas, quality=90))
    out[path] = {"label": value["label"], "x1": x0 + 2 * value["x1"], "y1": y0 + 2 * value["y1"],
                 "x2": x0 + 2 * value["x2"], "y2": y0 + 2 * value["y2"]}
json.dump(out, open(os.path.join(out_dir, "image_list.json"), "w"), indent=1)
print(f"wrote {len(out)} 640x480 images to {out_dir}")
