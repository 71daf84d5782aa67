// FFEMRuntime — ModelLimits.swift: the bounds a valid model keeps, and why.

/// Limits the validator enforces. They keep every size product inside 32 bits (armv7 `Int`) and
/// every int32 accumulator of the kernels exact, so that no valid model can overflow or make the
/// runtime allocate absurd amounts.
public enum ModelLimits {
    /// Largest height or width of any tensor.
    public static let maximumSide = 4096
    /// Largest channel count of any tensor.
    public static let maximumChannels = 16384
    /// Largest element count (bytes) of one activation tensor: 64 MiB.
    public static let maximumTensorElements = 1 << 26
    /// Most ops in one model.
    public static let maximumOperations = 4096
    /// Most recommended thresholds in the header.
    public static let maximumThresholds = 64
    /// The 3×3 convolution kernels keep |acc| ≤ |bias| + 9·1024·128·127 exact for input channels ≤ 1024.
    public static let maximumConvolution3x3InputChannels = 1024
    /// Largest reduction depth K of a GEMM (1×1 input channels, fully-connected inputs) or GDC taps:
    /// with |bias| ≤ 2^29 the packed bias stays below |bias| + 255·127·K and every partial sum
    /// below |bias| + 2·255·127·K < 2^31 (the x86 VNNI tiles read x ^ 0x80 as uint8).
    public static let maximumReductionDepth = 16384
    /// Largest |bias| (see `maximumReductionDepth`).
    public static let maximumBiasMagnitude: Int32 = 1 << 29
    /// gavgpool sums pixels · 255 in int32.
    public static let maximumPoolPixels = Int(Int32.max) / 255
}
