"""Rebuild the float MobileFaceNet in Keras from the ONNX graph and convert it to a full-int8 TFLite model.

usage: tflite_build.py GRAPH.npz CALIB.f32 OUT.tflite [HELDOUT.f32 REFERENCE.f32]
Runs in a venv with TensorFlow (.build/bench-venv). GRAPH.npz is `engines.py graph` of the ONNX
export (ops Conv, BatchNormalization, PRelu, Add, Flatten). The rebuild is NHWC: each batch norm is
folded into the convolution before it (w' = w * g / sqrt(v + eps), b' = beta - m * g / sqrt(v + eps)),
grouped convolutions with group == channels become DepthwiseConv2D, stride-2 convolutions get the
ONNX export's symmetric zero padding explicitly (TF's "same" would pad bottom/right only), PReLU
keeps one slope per channel. TFLiteConverter quantizes it with the calibration crops as the
representative dataset: int8 weights per channel, int8 activations, builtin int8 ops only, float
input and output. With HELDOUT and REFERENCE (the float ONNX embeddings, N x D float32) it first
checks the Keras rebuild against ONNX (max abs difference) so a rebuild error cannot pass unseen.
"""
import json
import sys

import numpy as np
import tensorflow as tf

SIDE = 112


def build(graph_path):
    archive = np.load(graph_path)
    graph = json.loads(str(archive["graph"]))
    weight = {name: archive[key] for name, key in graph["initializers"].items()}
    nodes = graph["nodes"]
    producer = {}
    inputs = tf.keras.Input(shape=(SIDE, SIDE, 3), batch_size=1, name="input")
    tensors = {graph["input"]: inputs}
    convolutions = {}  # ONNX conv output -> (kernel OIHW, attributes, input name)
    for node in nodes:
        op, ins, out = node["op"], node["inputs"], node["outputs"][0]
        if op == "Conv":
            bias = weight[ins[2]] if len(ins) > 2 else None
            convolutions[out] = (weight[ins[1]], node["attributes"], ins[0], bias)
            producer[out] = node
        elif op == "BatchNormalization":
            kernel, attributes, source, bias = convolutions.pop(ins[0])
            gamma, beta, mean, variance = (weight[n] for n in ins[1:5])
            scale = gamma / np.sqrt(variance + attributes_epsilon(node))
            folded_bias = beta - mean * scale + (0 if bias is None else bias * scale)
            tensors[out] = convolution(tensors[source], kernel * scale[:, None, None, None], folded_bias, attributes, out)
        elif op == "PRelu":
            slope = weight[ins[1]].reshape(1, 1, -1)
            layer = tf.keras.layers.PReLU(shared_axes=[1, 2], name=out.replace(".", "_"))
            tensors[out] = layer(tensors[ins[0]])
            layer.set_weights([slope])
        elif op == "Add":
            tensors[out] = tf.keras.layers.Add(name=out.replace(".", "_"))([tensors[ins[0]], tensors[ins[1]]])
        elif op == "Flatten":
            tensors[out] = tf.keras.layers.Flatten(name="embedding")(tensors[ins[0]])
        else:
            raise SystemExit(f"unsupported op {op}")
    if convolutions:
        raise SystemExit(f"convolutions without batch norm: {list(convolutions)}")
    return tf.keras.Model(inputs, tensors[graph["output"]])


def attributes_epsilon(node):
    return node["attributes"].get("epsilon", 1e-5)


def convolution(x, kernel, bias, attributes, name):
    name = name.replace(".", "_")
    out_channels, in_per_group, kh, kw = kernel.shape
    stride = attributes.get("strides", [1, 1])
    pads = attributes.get("pads", [0, 0, 0, 0])  # top, left, bottom, right
    group = attributes.get("group", 1)
    if any(pads):
        if stride == [1, 1] and pads == [kh // 2, kw // 2, kh // 2, kw // 2]:
            padding = "same"
        else:
            x = tf.keras.layers.ZeroPadding2D(((pads[0], pads[2]), (pads[1], pads[3])), name=name + "_pad")(x)
            padding = "valid"
    else:
        padding = "valid"
    if group == 1:
        layer = tf.keras.layers.Conv2D(out_channels, (kh, kw), strides=stride, padding=padding, name=name)
        y = layer(x)
        layer.set_weights([kernel.transpose(2, 3, 1, 0), bias])
    elif group == out_channels and in_per_group == 1:
        layer = tf.keras.layers.DepthwiseConv2D((kh, kw), strides=stride, padding=padding, name=name)
        y = layer(x)
        layer.set_weights([kernel.transpose(2, 3, 0, 1), bias])
    else:
        raise SystemExit(f"{name}: grouped convolution with group {group} is not depthwise")
    return y


def main(graph_path, calib_path, output, heldout=None, reference=None):
    model = build(graph_path)
    calib = np.fromfile(calib_path, dtype="<f4").reshape(-1, 3, SIDE, SIDE).transpose(0, 2, 3, 1)
    calib = np.ascontiguousarray(calib)
    if heldout:
        crops = np.ascontiguousarray(np.fromfile(heldout, dtype="<f4").reshape(-1, 3, SIDE, SIDE).transpose(0, 2, 3, 1))
        expected = np.fromfile(reference, dtype="<f4").reshape(len(crops), -1)
        got = np.concatenate([model(crops[i:i + 1], training=False).numpy() for i in range(len(crops))])
        difference = float(np.max(np.abs(got - expected)))
        print(f"Keras rebuild vs ONNX float on {len(crops)} crops: max |difference| {difference:.3g}, "
              f"max |onnx| {float(np.max(np.abs(expected))):.3g}")
        if difference > 1e-3 * max(1.0, float(np.max(np.abs(expected)))):
            raise SystemExit("the Keras rebuild does not match the ONNX export")

    def representative():
        for i in range(len(calib)):
            yield [calib[i:i + 1]]

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = representative
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    flat = converter.convert()
    with open(output, "wb") as f:
        f.write(flat)
    print(f"TFLite full int8 (TF {tf.__version__}, {len(calib)} representative crops) -> {output}, {len(flat)} bytes")


if __name__ == "__main__":
    main(*sys.argv[1:])
