// FFEMData — SampleLoader.swift: one dataset entry → the network's RGB crop, through the shared crop routine.
import CFFEMKernels
import FFEMCore
import FFEMImage

/// Turns entries of a store into crops: decode (with DCT scaling when the face is much larger than
/// the crop), jitter the box, crop with `ffem_crop_rgb` (mirrored when flipped), then photometric jitter
/// and cutout on the crop.
public struct SampleLoader: Sendable {
    public var store: any SampleStore
    public var cropSide: Int
    public var policy: CropPolicy
    public var augmentation: Augmentation

    public init(store: any SampleStore, cropSide: Int = 112, policy: CropPolicy = .identity, augmentation: Augmentation = .none) {
        self.store = store
        self.cropSide = cropSide
        self.policy = policy
        self.augmentation = augmentation
    }

    /// Writes entry `index`'s crop (cropSide² RGB24 bytes) to `output`, drawing augmentation from `random`.
    public func loadCrop(_ index: Int, random: inout SeededRandom, into output: UnsafeMutablePointer<UInt8>) throws(DatasetProblem) {
        let entry = store.entries[index]
        let draw = augmentation.draw(cropSide: cropSide, using: &random)
        let bytes = try store.imageBytes(at: index)
        let w = entry.box.width, h = entry.box.height
        let jittered = FaceBox(x1: entry.box.x1 + Double(draw.boxOffsets.0) * w, y1: entry.box.y1 + Double(draw.boxOffsets.1) * h,
                               x2: entry.box.x2 + Double(draw.boxOffsets.2) * w, y2: entry.box.y2 + Double(draw.boxOffsets.3) * h)
        do {
            // The policy's box, in the pixels of the (DCT-scaled) decode; only the rows and columns
            // it touches (plus a margin for the bilinear neighbours) are decoded.
            let policyBox = try policy.apply(to: jittered)
            let denominator = ImageCodecs.scaleDenominator(boxSide: min(policyBox.width, policyBox.height), cropSide: cropSide)
            let box = policyBox.scaled(by: 1.0 / Double(denominator))
            let margin = SampleLoader.regionMargin
            let region = try ImageCodecs.decodeRegion(bytes, scaleDenominator: denominator,
                                                      x0: Int(box.x1.rounded(.down)) - margin, y0: Int(box.y1.rounded(.down)) - margin,
                                                      x1: Int(box.x2.rounded(.up)) + margin, y1: Int(box.y2.rounded(.up)) + margin)
            let local = FaceBox(x1: box.x1 - Double(region.x), y1: box.y1 - Double(region.y),
                                x2: box.x2 - Double(region.x), y2: box.y2 - Double(region.y))
            try region.image.crop(box: local, size: cropSide, mirrored: draw.mirrored, into: output)
        } catch let error as ImageError {
            throw problem(entry, "cannot decode the image: \(error.description)")
        } catch let error as CropError {
            throw problem(entry, "cannot crop the box: \(error.description)")
        } catch {
            throw problem(entry, "\(error)")
        }
        let pixels = cropSide * cropSide
        if draw.brightnessDelta != 0 || draw.contrastFactor != 1 || draw.saturationFactor != 1 {
            ffem_u8_color_jitter(output, pixels, draw.brightnessDelta, draw.contrastFactor, draw.saturationFactor)
        }
        if let cut = draw.cutout {
            ffem_u8_cutout(output, UInt32(cropSide), Int32(cut.x), Int32(cut.y), Int32(cut.side), Int32(cut.side), 128)
        }
    }

    /// Pixels decoded beyond the box on each side: the bilinear neighbours lie within 1 pixel of the
    /// box, and libjpeg-turbo's fancy upsampling at a region's edge needs context too.
    static let regionMargin = 4

    /// The crop of entry `index` as an image.
    public func loadCropImage(_ index: Int, random: inout SeededRandom) throws(DatasetProblem) -> Image {
        var pixels = [UInt8](repeating: 0, count: cropSide * cropSide * 3)
        try pixels.withUnsafeMutableBufferPointer { (buffer: inout UnsafeMutableBufferPointer<UInt8>) throws(DatasetProblem) in
            try loadCrop(index, random: &random, into: buffer.baseAddress!)
        }
        return Image(width: cropSide, height: cropSide, format: .rgb24, pixels: pixels)
    }

    func problem(_ entry: DatasetEntry, _ reason: String) -> DatasetProblem {
        DatasetProblem(file: store.name, position: entry.position, key: entry.path, reason: reason)
    }
}
