// FFEMCaptureTests — SyntheticFrames.swift: deterministic test frames in the camera formats.
import FFEMImage

enum SyntheticFrames {
    /// A width×height frame in `format` whose bytes follow a fixed hash of (frame, byte offset),
    /// so neighbouring pixels and chroma samples all differ.
    static func bytes(format: PixelFormat, width: Int, height: Int, frame: Int) -> [UInt8] {
        let count = format.frameBytes(width: width, height: height)
        var state = UInt32(truncatingIfNeeded: frame &* 2654435761 &+ 12345)
        var out = [UInt8](repeating: 0, count: count)
        for i in 0..<count {
            state = state &* 1664525 &+ 1013904223
            out[i] = UInt8(truncatingIfNeeded: state >> 24)
        }
        return out
    }
}
