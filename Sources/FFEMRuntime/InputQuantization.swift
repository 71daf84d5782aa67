// FFEMRuntime — InputQuantization.swift: crop bytes to the network's int8 input (DESIGN.md §4).

/// The network input is (p − 128)/128 in real numbers; in int8 with scale 1/128 and zero point 0 it
/// is exactly p − 128, so the integer path from camera byte to first layer has no rounding.
public enum InputQuantization {
    public static let scale: Float = 1.0 / 128.0
    public static let zeroPoint: Int32 = 0

    /// out[i] = p[i] − 128, as int8.
    public static func quantize(_ pixels: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<Int8>) {
        precondition(out.count >= pixels.count)
        for i in 0..<pixels.count { out[i] = Int8(bitPattern: pixels[i] &- 128) }
    }
}
