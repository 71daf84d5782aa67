"""Compare ffem-train's float embeddings with onnxruntime on an exported model.

usage: compare.py MODEL.onnx NAME
Reads MODEL.onnx.inputs.f32 (N x H x W x C NHWC float32 little-endian) and MODEL.onnx.outputs.f32
(N x D, our inference-mode embeddings), runs onnx.checker.check_model and onnxruntime (CPU) on the
inputs transposed to NCHW, and passes when every element satisfies
    |ours - ort| <= 1e-4 * max(1, |ort|).
Prints one line; exit status 0 on pass, 1 on failure.
"""
import sys

import numpy as np
import onnx
import onnxruntime as ort

RELATIVE_TOLERANCE = 1e-4


def main(path, name):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    graph_input = model.graph.input[0]
    dims = [d.dim_value for d in graph_input.type.tensor_type.shape.dim[1:]]  # C, H, W
    channels, height, width = dims
    inputs = np.fromfile(path + ".inputs.f32", dtype="<f4").reshape(-1, height, width, channels)
    ours = np.fromfile(path + ".outputs.f32", dtype="<f4").reshape(inputs.shape[0], -1)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    (theirs,) = session.run(["embedding"], {"input": np.ascontiguousarray(inputs.transpose(0, 3, 1, 2))})
    if theirs.shape != ours.shape:
        print(f"{name}: FAIL shape ours {ours.shape} onnxruntime {theirs.shape}")
        return 1
    difference = np.abs(ours.astype(np.float64) - theirs.astype(np.float64))
    bound = RELATIVE_TOLERANCE * np.maximum(1.0, np.abs(theirs.astype(np.float64)))
    worst = float(np.max(difference / bound))
    passed = bool(np.all(difference <= bound)) and bool(np.all(np.isfinite(ours)))
    print(f"{name}: {'ok' if passed else 'FAIL'} embeddings {ours.shape[0]}x{ours.shape[1]}, "
          f"max |ours-ort| {np.max(difference):.3g}, max |ort| {np.max(np.abs(theirs)):.3g}, "
          f"worst error/bound {worst:.3g} (bound 1e-4*max(1,|ort|)), onnx checker ok")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
