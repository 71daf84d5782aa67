"""Other engines' int8 MobileFaceNet beside FFEM's: quantization, accuracy and latency (issue 6).

Run by scripts/bench-int8.sh in .build/int8-venv (onnx, onnxruntime, openvino, nncf, ai-edge-litert).
Every engine is fed FFEM's own crops, written by `ffem-bench crops` as float32 NCHW (p - 128)/128.

  engines.py quantize-ort  MODEL.onnx CALIB.f32 OUT.onnx     onnxruntime static QDQ, per-channel int8
                                                            weights, uint8 activations, MinMax calibration
  engines.py quantize-ov   MODEL.onnx CALIB.f32 OUT.xml      OpenVINO IR quantized by NNCF (default preset)
  engines.py graph         MODEL.onnx OUT.npz                the float graph as arrays + JSON, for the
                                                            TFLite rebuild (tflite_build.py, TensorFlow venv)
  engines.py accuracy      --heldout H.f32 --paths P.txt --pairs PAIRS --float M.onnx
                           [--ort Q.onnx] [--ov Q.xml] [--tflite Q.tflite] [--ffem-report R.json]
                           [--ffem-eval-json E.json] [--json OUT.json]
  engines.py latency       --ffem-bench BIN --ffq M.ffq [--ort Q.onnx] [--ov Q.xml] [--tflite Q.tflite]
                           [--runs N] [--warmup N] [--json OUT.json]
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import time

import numpy as np

SIDE = 112


def load_crops(path):
    data = np.fromfile(path, dtype="<f4")
    return data.reshape(-1, 3, SIDE, SIDE)


# ---------------------------------------------------------------- quantization

def quantize_ort(model, calib, output):
    from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType,
                                          quantize_static)
    from onnxruntime.quantization.shape_inference import quant_pre_process

    crops = load_crops(calib)

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.index = 0

        def get_next(self):
            if self.index >= len(crops):
                return None
            self.index += 1
            return {"input": crops[self.index - 1:self.index]}

    prepared = output + ".pre.onnx"
    # Shape inference and ORT's graph optimisation (batch norm folded into the convolutions), as
    # onnxruntime's quantization guide recommends before quantize_static.
    quant_pre_process(model, prepared, skip_symbolic_shape=True)
    quantize_static(prepared, output, Reader(), quant_format=QuantFormat.QDQ, per_channel=True,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                    calibrate_method=CalibrationMethod.MinMax)
    os.remove(prepared)
    print(f"onnxruntime QDQ int8 (per-channel weights, uint8 activations, MinMax over {len(crops)} crops) -> {output}")


def quantize_ov(model, calib, output):
    import nncf
    import openvino as ov

    crops = load_crops(calib)
    core = ov.Core()
    network = core.read_model(model)
    network.reshape({"input": [1, 3, SIDE, SIDE]})
    dataset = nncf.Dataset([crops[i:i + 1] for i in range(len(crops))])
    quantized = nncf.quantize(network, dataset, subset_size=len(crops))
    ov.save_model(quantized, output)
    print(f"OpenVINO IR quantized by NNCF {nncf.__version__} (default preset, {len(crops)} crops) -> {output}")


def export_graph(model, output):
    """The ONNX graph as plain arrays and a node list, readable without the onnx package."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(model).graph
    arrays = {f"w{index}": numpy_helper.to_array(t) for index, t in enumerate(graph.initializer)}
    names = {t.name: f"w{index}" for index, t in enumerate(graph.initializer)}
    nodes = []
    for node in graph.node:
        attributes = {}
        for a in node.attribute:
            value = onnx.helper.get_attribute_value(a)
            attributes[a.name] = list(value) if isinstance(value, (list, tuple)) else value
        nodes.append({"op": node.op_type, "inputs": list(node.input), "outputs": list(node.output),
                      "attributes": attributes})
    description = {"input": graph.input[0].name, "output": graph.output[0].name, "initializers": names, "nodes": nodes}
    np.savez(output, graph=np.array(json.dumps(description)), **arrays)
    print(f"{len(nodes)} nodes, {len(arrays)} arrays -> {output}")


# ---------------------------------------------------------------- engines

class OrtEngine:
    name = "onnxruntime"

    def __init__(self, path, threads=1):
        import onnxruntime as ort
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        self.version = ort.__version__

    def run(self, batch):
        (out,) = self.session.run(["embedding"], {"input": batch})
        return out

    def isa(self):
        return "MLAS, chosen at run time by CPUID (not reported by onnxruntime)"


class OvEngine:
    name = "openvino"

    def __init__(self, path, threads=1, precision=None):
        """precision None: OpenVINO's default inference precision for what is not int8 (bf16 on CPUs
        with AVX-512 BF16, such as this Zen 5); "f32" forces f32 there."""
        import openvino as ov
        import openvino.properties as props
        import openvino.properties.hint as hints
        core = ov.Core()
        config = {
            hints.performance_mode: hints.PerformanceMode.LATENCY,
            props.inference_num_threads: threads,
            hints.enable_hyper_threading: False,
        }
        if precision:
            config[hints.inference_precision] = getattr(ov.Type, precision)
        self.compiled = core.compile_model(path, "CPU", config)
        self.request = self.compiled.create_infer_request()
        self.output = self.compiled.outputs[0]
        self.version = ov.__version__
        self.core = core

    def run(self, batch):
        out = []
        for i in range(batch.shape[0]):
            out.append(np.array(self.request.infer({0: batch[i:i + 1]})[self.output]))
        return np.concatenate(out)

    def isa(self):
        graph = self.compiled.get_runtime_model()
        kinds = {}
        for op in graph.get_ordered_ops():
            info = op.get_rt_info()
            layer = info["layerType"].astype(str)
            if layer in ("Const", "Input", "Output"):
                continue
            key = f'{layer} {info["primitiveType"].astype(str)}'
            kinds[key] = kinds.get(key, 0) + 1
        return "oneDNN: " + ", ".join(f"{k} x{v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]))


class TfliteEngine:
    name = "litert"

    def __init__(self, path, threads=1):
        from ai_edge_litert.interpreter import Interpreter
        import ai_edge_litert
        self.interpreter = Interpreter(model_path=path, num_threads=threads)
        self.interpreter.allocate_tensors()
        self.input = self.interpreter.get_input_details()[0]
        self.output = self.interpreter.get_output_details()[0]
        self.version = getattr(ai_edge_litert, "__version__", "?")

    def run_one(self, nhwc):
        self.interpreter.set_tensor(self.input["index"], nhwc)
        self.interpreter.invoke()
        return self.interpreter.get_tensor(self.output["index"])

    def run(self, batch):
        nhwc = np.ascontiguousarray(batch.transpose(0, 2, 3, 1))
        out = [np.array(self.run_one(nhwc[i:i + 1])).reshape(1, -1) for i in range(nhwc.shape[0])]
        return np.concatenate(out).astype(np.float32)

    def isa(self):
        ops = {}
        for op in self.interpreter._get_ops_details():
            ops[op["op_name"]] = ops.get(op["op_name"], 0) + 1
        return "XNNPACK (default delegate) + builtin kernels; ops " + ", ".join(f"{k} x{v}" for k, v in sorted(ops.items()))


# ---------------------------------------------------------------- verification (docs/EVALUATION.md)

def best_threshold(scores, same):
    """FFEMEval's BestThreshold: cuts between distinct scores, high to low; ties -> lower median cut."""
    distinct = np.unique(scores)[::-1]
    genuine = np.array([np.sum(same & (scores == s)) for s in distinct])
    impostor = np.array([np.sum(~same & (scores == s)) for s in distinct])
    accepted_genuine = np.concatenate([[0], np.cumsum(genuine)])
    accepted_impostor = np.concatenate([[0], np.cumsum(impostor)])
    correct = accepted_genuine + (impostor.sum() - accepted_impostor)
    cuts = np.flatnonzero(correct == correct.max())
    k = int(cuts[(len(cuts) - 1) // 2])
    m = len(distinct)
    if k == 0:
        return float(np.nextafter(distinct[0], np.inf))
    if k == m:
        return float(distinct[m - 1])
    upper, lower = distinct[k - 1], distinct[k]
    midpoint = lower + (upper - lower) / 2
    return float(midpoint if lower < midpoint <= upper else upper)


def fold_accuracy(pairs, embeddings, index):
    normalized = embeddings.astype(np.float64)
    normalized /= np.linalg.norm(normalized, axis=1, keepdims=True)
    scores = np.array([normalized[index[a]] @ normalized[index[b]] for a, b, _, _ in pairs])
    same = np.array([s for _, _, s, _ in pairs], dtype=bool)
    folds = np.array([f for _, _, _, f in pairs])
    accuracies = []
    for fold in sorted(set(folds)):
        train, test = folds != fold, folds == fold
        t = best_threshold(scores[train], same[train])
        accuracies.append(np.mean((scores[test] >= t) == same[test]))
    return float(np.mean(accuracies)), float(np.std(accuracies))


def cosines(a, b):
    a = a.astype(np.float64) / np.linalg.norm(a, axis=1, keepdims=True)
    b = b.astype(np.float64) / np.linalg.norm(b, axis=1, keepdims=True)
    return np.sum(a * b, axis=1)


def accuracy(args):
    crops = load_crops(args.heldout)
    paths = [line.strip() for line in open(args.paths) if line.strip() and not line.startswith("#")]
    assert len(paths) == len(crops), "paths and crops differ in number"
    index = {p: i for i, p in enumerate(paths)}
    pairs = []
    for line in open(args.pairs):
        fields = line.split()
        if len(fields) == 4 and not line.startswith("#"):
            pairs.append((fields[0], fields[1], fields[2] == "1", int(fields[3])))
    reference = OrtEngine(args.float).run(crops)
    rows = []
    mean, std = fold_accuracy(pairs, reference, index)
    rows.append({"engine": "float ONNX (onnxruntime fp32)", "cosine_mean": 1.0, "cosine_min": 1.0,
                 "accuracy": mean, "accuracy_std": std})
    for label, path, engine in (("onnxruntime int8 (QDQ, per-channel)", args.ort, OrtEngine),
                                ("OpenVINO int8 (NNCF; bf16 where not int8, its default here)", args.ov, OvEngine),
                                ("OpenVINO int8 (NNCF; f32 where not int8)", args.ov,
                                 lambda path: OvEngine(path, precision="f32")),
                                ("LiteRT int8 (XNNPACK)", args.tflite, TfliteEngine)):
        if not path:
            continue
        embeddings = engine(path).run(crops)
        c = cosines(reference, embeddings)
        mean, std = fold_accuracy(pairs, embeddings, index)
        rows.append({"engine": label, "cosine_mean": float(c.mean()), "cosine_min": float(c.min()),
                     "accuracy": mean, "accuracy_std": std})
    if args.ffem_report:
        report = json.load(open(args.ffem_report))
        for key, label in (("float_verification", "FFEM float (ffem-quantize report)"),
                           ("int8_verification", "FFEM int8 (ffem-quantize report)")):
            verification = report[key]["accuracy"]
            is_int8 = key.startswith("int8")
            rows.append({"engine": label, "cosine_mean": report["cosine_mean"] if is_int8 else 1.0,
                         "cosine_min": report["cosine_min"] if is_int8 else 1.0,
                         "accuracy": verification["mean"], "accuracy_std": verification["std"]})
    if args.ffem_eval_json:
        verification = json.load(open(args.ffem_eval_json))
        folds = find_key(verification, "accuracy")
        rows.append({"engine": "FFEM int8 (ffem-eval)", "cosine_mean": None, "cosine_min": None,
                     "accuracy": folds["mean"], "accuracy_std": folds["std"]})
    float_accuracy = rows[0]["accuracy"]
    print(f"held-out: {len(crops)} images, {len(pairs)} pairs; cosine vs the float model; 10-fold accuracy "
          "(threshold of each fold chosen on the other nine)")
    print("| engine | mean cosine | min cosine | 10-fold accuracy | vs float ONNX (pp) |")
    print("|---|--:|--:|--:|--:|")
    for row in rows:
        cm = "-" if row["cosine_mean"] is None else f'{row["cosine_mean"]:.4f}'
        cn = "-" if row["cosine_min"] is None else f'{row["cosine_min"]:.4f}'
        print(f'| {row["engine"]} | {cm} | {cn} | {100 * row["accuracy"]:.2f} ± {100 * row["accuracy_std"]:.2f} % '
              f'| {100 * (row["accuracy"] - float_accuracy):+.2f} |')
    if args.json:
        json.dump(rows, open(args.json, "w"), indent=1)


def find_key(value, key):
    """The first dictionary under `value` holding `key` with `mean` and `std` (ffem-eval's JSON)."""
    if isinstance(value, dict):
        if key in value and isinstance(value[key], dict) and "mean" in value[key]:
            return value[key]
        for child in value.values():
            found = find_key(child, key)
            if found:
                return found
    return None


# ---------------------------------------------------------------- latency

def time_engine(run, runs, warmup):
    for _ in range(warmup):
        run()
    samples = np.empty(runs)
    for i in range(runs):
        start = time.perf_counter_ns()
        run()
        samples[i] = (time.perf_counter_ns() - start) / 1e6
    return float(np.median(samples)), float(samples.min()), float(np.percentile(samples, 90))


def latency(args):
    rng = np.random.default_rng(1)
    nchw = ((rng.integers(0, 256, size=(1, 3, SIDE, SIDE)) - 128) / 128).astype(np.float32)
    nhwc = np.ascontiguousarray(nchw.transpose(0, 2, 3, 1))
    results = []
    print(f"load before: {os.getloadavg()}")
    command = [args.ffem_bench, "model", "--model", args.ffq, "--threads", "1", "--runs", str(args.runs),
               "--warmup", str(args.warmup)]
    text = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    print(text.rstrip())
    last = dict(field.split("=", 1) for field in text.strip().splitlines()[-1].split())
    min_ms = float(text.split(" min ")[1].split(",")[0])
    p90 = float(text.split(" p90 ")[1].split(",")[0])
    results.append({"engine": "FFEM int8", "median_ms": float(last["median_ms"]), "min_ms": min_ms, "p90_ms": p90,
                    "isa": f'{last["isa"]} (ffem kernel table)'})
    if args.ort:
        engine = OrtEngine(args.ort)
        feed = {"input": nchw}
        timing = time_engine(lambda: engine.session.run(["embedding"], feed), args.runs, args.warmup)
        results.append({"engine": f"onnxruntime {engine.version} int8 QDQ", "median_ms": timing[0], "min_ms": timing[1],
                        "p90_ms": timing[2], "isa": engine.isa()})
    if args.ov:
        engine = OvEngine(args.ov)
        timing = time_engine(lambda: engine.request.infer({0: nchw}), args.runs, args.warmup)
        results.append({"engine": f"OpenVINO {engine.version.split('-')[0]} int8 (NNCF)", "median_ms": timing[0],
                        "min_ms": timing[1], "p90_ms": timing[2], "isa": engine.isa()})
        engine = OvEngine(args.ov, precision="f32")
        timing = time_engine(lambda: engine.request.infer({0: nchw}), args.runs, args.warmup)
        results.append({"engine": f"OpenVINO {engine.version.split('-')[0]} int8 (NNCF), f32 where not int8",
                        "median_ms": timing[0], "min_ms": timing[1], "p90_ms": timing[2], "isa": engine.isa()})
    if args.tflite:
        engine = TfliteEngine(args.tflite)
        timing = time_engine(lambda: engine.run_one(nhwc), args.runs, args.warmup)
        results.append({"engine": f"LiteRT {engine.version} int8 (XNNPACK)", "median_ms": timing[0], "min_ms": timing[1],
                        "p90_ms": timing[2], "isa": engine.isa()})
    print(f"load after: {os.getloadavg()}")
    ffem = results[0]["median_ms"]
    print(f"batch 1, 1 thread, {args.runs} timed runs after {args.warmup} warm-up each; {platform.processor() or platform.machine()}")
    print("| engine | median ms | min ms | p90 ms | FFEM / engine | kernels / ISA |")
    print("|---|--:|--:|--:|--:|---|")
    for row in results:
        print(f'| {row["engine"]} | {row["median_ms"]:.3f} | {row["min_ms"]:.3f} | {row["p90_ms"]:.3f} | '
              f'{ffem / row["median_ms"]:.2f} | {row["isa"]} |')
    if args.json:
        json.dump(results, open(args.json, "w"), indent=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("quantize-ort", "quantize-ov"):
        p = sub.add_parser(name)
        p.add_argument("model")
        p.add_argument("calib")
        p.add_argument("output")
    p = sub.add_parser("graph")
    p.add_argument("model")
    p.add_argument("output")
    p = sub.add_parser("accuracy")
    for option in ("heldout", "paths", "pairs", "float"):
        p.add_argument("--" + option, required=True)
    for option in ("ort", "ov", "tflite", "ffem-report", "ffem-eval-json", "json"):
        p.add_argument("--" + option)
    p = sub.add_parser("latency")
    p.add_argument("--ffem-bench", required=True)
    p.add_argument("--ffq", required=True)
    for option in ("ort", "ov", "tflite", "json"):
        p.add_argument("--" + option)
    p.add_argument("--runs", type=int, default=300)
    p.add_argument("--warmup", type=int, default=50)
    args = parser.parse_args()
    if args.command == "quantize-ort":
        quantize_ort(args.model, args.calib, args.output)
    elif args.command == "quantize-ov":
        quantize_ov(args.model, args.calib, args.output)
    elif args.command == "graph":
        export_graph(args.model, args.output)
    elif args.command == "accuracy":
        accuracy(args)
    else:
        latency(args)


if __name__ == "__main__":
    sys.exit(main())
