// swift-tools-version:6.0
// FFEM — Face Feature Embedding Module.
//
// Module rules (../shared/DESIGN.md §2, docs/ARCHITECTURE.md):
//   Embedded-safe (no Foundation; built for aarch64-none-none-elf by `make embedded-check`):
//     CFFEMKernels, CFFEMIO, FFEMCore, FFEMCLI, FFEMImage, FFEMRuntime, FFEMCapture, ffem-edge
//   Workstation (Foundation allowed): FFEMData, FFEMTrain, FFEMQuant, FFEMEval and their tools.
import PackageDescription

let package = Package(
    name: "FFEM",
    targets: [
        // MARK: C and system libraries
        /// Every hot loop: int8 kernels per ISA, scalar references, requantization, the shared crop. libc only.
        .target(name: "CFFEMKernels", linkerSettings: [.linkedLibrary("m")]),
        /// libc file I/O and libjpeg-turbo behind the setjmp/longjmp error handling Swift cannot express.
        .target(name: "CFFEMIO", dependencies: ["CJPEG"]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg",
                       providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CLibV4L2", pkgConfig: "libv4l2",
                       providers: [.apt(["libv4l-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        /// Open MPI for data-parallel training (workstation side only: FFEMTrain's Distributed/, ffem-train).
        .systemLibrary(name: "CMPI", pkgConfig: "ompi",
                       providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),

        // MARK: Embedded-safe Swift
        /// Shared vocabulary: JSON reader with positions, seeded random numbers, byte I/O helpers.
        .target(name: "FFEMCore", dependencies: ["CFFEMIO"]),
        /// The hand-written argument parser shared by every command line.
        .target(name: "FFEMCLI", dependencies: ["FFEMCore"]),
        /// Decoded images (JPEG, PGM/PPM) and image writers (JPEG, PNG).
        .target(name: "FFEMImage", dependencies: ["FFEMCore", "CFFEMIO", "CFFEMKernels"]),
        /// The int8 runtime: `.ffq` loader, planner, interpreter, preprocessing.
        .target(name: "FFEMRuntime", dependencies: ["FFEMCore", "CFFEMKernels"]),
        /// Frame sources: V4L2 camera, JPEG files, raw recorded streams.
        .target(name: "FFEMCapture", dependencies: ["FFEMCore", "FFEMImage", "CFFEMKernels", "CLibV4L2"]),
        /// The edge command line: camera / recorded frames / images → crops → int8 embeddings (JSON lines); enroll; check.
        .executableTarget(name: "ffem-edge", dependencies: ["FFEMRuntime", "FFEMCapture", "FFEMImage", "FFEMCLI", "FFEMCore"]),

        // MARK: Workstation
        /// Datasets: `image_list.json`, validation, augmentation, batching, the packed dataset file.
        .target(name: "FFEMData", dependencies: ["FFEMCore", "FFEMImage", "CFFEMKernels"]),
        .executableTarget(name: "ffem-data", dependencies: ["FFEMData", "FFEMCLI"]),
        /// Verification and identification metrics over embeddings: pairs files, ROC, fold accuracy, Recall@k, reports.
        .target(name: "FFEMEval", dependencies: ["FFEMCore"]),
        .executableTarget(name: "ffem-quantize", dependencies: ["FFEMQuant", "FFEMTrain", "FFEMRuntime", "FFEMEval", "FFEMData", "FFEMCLI", "COpenBLAS"],
                          swiftSettings: [.swiftLanguageMode(.v5)]),
        /// Post-training quantization: BN folding, calibration, int8 weights and requantization parameters.
        .target(name: "FFEMQuant", dependencies: ["FFEMTrain", "FFEMRuntime", "FFEMData", "FFEMCore", "CFFEMKernels"],
                swiftSettings: [.swiftLanguageMode(.v5)]),
        .executableTarget(name: "ffem-eval", dependencies: ["FFEMTrain", "FFEMRuntime", "FFEMEval", "FFEMData", "FFEMCLI", "COpenBLAS"],
                          swiftSettings: [.swiftLanguageMode(.v5)]),
        /// The float trainer: layers with explicit backward passes, architectures as data, losses, optimisers, checkpoints.
        .target(name: "FFEMTrain", dependencies: ["FFEMCore", "FFEMData", "CFFEMKernels", "COpenBLAS", "CMPI"],
                // Raw-pointer parallel loops over disjoint ranges: checked by tests, not by Sendable.
                swiftSettings: [.swiftLanguageMode(.v5)]),
        .executableTarget(name: "ffem-train", dependencies: ["FFEMTrain", "FFEMData", "FFEMEval", "FFEMCLI", "COpenBLAS"],
                          swiftSettings: [.swiftLanguageMode(.v5)]),

        // MARK: Benchmarks
        /// Machine measurements for ffem-bench (clock, MAC peaks, copy bandwidth). libc only.
        .target(name: "CFFEMBenchSupport"),
        /// `ffem-bench kernels`: every int8 kernel on the MobileFaceNet layer shapes, per ISA; `model`: whole-model latency; `crops`: crops for other engines.
        .executableTarget(name: "ffem-bench", dependencies: ["CFFEMKernels", "CFFEMBenchSupport", "FFEMCLI", "FFEMCore", "FFEMRuntime", "FFEMData", "FFEMImage"]),

        // MARK: Tests
        .testTarget(name: "FFEMCoreTests", dependencies: ["FFEMCore", "FFEMCLI"]),
        .testTarget(name: "FFEMImageTests", dependencies: ["FFEMImage", "FFEMCore", "CFFEMKernels"]),
        /// Fixtures shared by the test suites (synthetic datasets on disk).
        .target(name: "FFEMTestSupport", dependencies: ["FFEMImage", "FFEMCore"], path: "Tests/FFEMTestSupport"),
        .testTarget(name: "FFEMDataTests", dependencies: ["FFEMData", "FFEMImage", "FFEMCore", "FFEMTestSupport"]),
        .testTarget(name: "FFEMEvalTests", dependencies: ["FFEMEval", "FFEMCore"]),
        .testTarget(name: "FFEMTrainTests", dependencies: ["FFEMTrain", "FFEMData", "FFEMCore", "FFEMTestSupport"],
                    swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(name: "FFEMQuantTests", dependencies: ["FFEMQuant", "FFEMTrain", "FFEMRuntime", "FFEMData", "FFEMImage", "FFEMCore", "FFEMTestSupport"], swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(name: "FFEMCaptureTests", dependencies: ["FFEMCapture", "FFEMImage", "FFEMCore"]),
        /// ffem-edge run as a user runs it (raw recordings, box streams, exit statuses, gallery, check), and its no-allocation frame loop.
        .testTarget(name: "EdgeCLITests", dependencies: ["ffem-edge", "FFEMCapture", "FFEMImage", "FFEMRuntime", "CFFEMRuntimeTestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["ffem-data", "ffem-train", "ffem-quantize", "ffem-eval", "ffem-bench", "ffem-edge", "FFEMImage", "FFEMCore"]),
        /// `mpirun -np 2 ffem-train` as a user runs it: 2 ranks × B/2 = 1 rank × B, dead rank, resume with another N.
        .testTarget(name: "DistributedTests", dependencies: ["ffem-train", "FFEMTrain", "FFEMData", "FFEMCore", "FFEMTestSupport"],
                    swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(name: "CFFEMKernelsTests", dependencies: ["CFFEMKernels", "FFEMRuntime", "FFEMCore"]),
        /// Per-thread allocation counting for the runtime's no-allocation test (interposes malloc in the test binary).
        .target(name: "CFFEMRuntimeTestSupport", path: "Tests/CFFEMRuntimeTestSupport"),
        .testTarget(name: "FFEMRuntimeTests",
                    dependencies: ["FFEMRuntime", "FFEMCore", "CFFEMKernels", "CFFEMRuntimeTestSupport"]),
    ]
)
