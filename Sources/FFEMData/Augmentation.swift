// FFEMData — Augmentation.swift: random training-time transforms, drawn per image from a seeded stream.

/// Augmentations of the training pipeline. Every value is drawn anew for each image (the original
/// drew some once per pipeline, which gives every image the same "random" transform).
public struct Augmentation: Sendable, Equatable {
    /// Probability of a horizontal flip.
    public var flipProbability: Float = 0.5
    /// Each box side moves by up to ±boxJitter × (box width or height), uniformly.
    public var boxJitter: Float = 0.1
    /// Brightness shift δ ∈ [−brightness, brightness] in units of full scale (255).
    public var brightness: Float = 0.2
    /// Contrast factor ∈ [1 − contrast, 1 + contrast].
    public var contrast: Float = 0.2
    /// Saturation factor ∈ [1 − saturation, 1 + saturation].
    public var saturation: Float = 0.2
    /// Probability of one cutout square, whose side is uniform in [0.1, cutoutMaxFraction] × crop side.
    public var cutoutProbability: Float = 0.5
    public var cutoutMaxFraction: Float = 0.4

    public init() {}

    /// No augmentation: the plain crop (evaluation, calibration).
    public static let none: Augmentation = {
        var a = Augmentation()
        a.flipProbability = 0
        a.boxJitter = 0
        a.brightness = 0
        a.contrast = 0
        a.saturation = 0
        a.cutoutProbability = 0
        return a
    }()

    public var isIdentity: Bool { self == .none }
}

/// The transform drawn for one image.
public struct AugmentationDraw: Sendable, Equatable {
    public var mirrored = false
    /// Side offsets as fractions of the box width/height: left, top, right, bottom.
    public var boxOffsets: (Float, Float, Float, Float) = (0, 0, 0, 0)
    public var brightnessDelta: Float = 0
    public var contrastFactor: Float = 1
    public var saturationFactor: Float = 1
    /// Cutout square (x, y, side) in crop pixels, or nil.
    public var cutout: (x: Int, y: Int, side: Int)? = nil

    public static func == (a: AugmentationDraw, b: AugmentationDraw) -> Bool {
        a.mirrored == b.mirrored && a.boxOffsets == b.boxOffsets && a.brightnessDelta == b.brightnessDelta
            && a.contrastFactor == b.contrastFactor && a.saturationFactor == b.saturationFactor
            && a.cutout?.x == b.cutout?.x && a.cutout?.y == b.cutout?.y && a.cutout?.side == b.cutout?.side
    }
}

import FFEMCore

extension Augmentation {
    /// Draws one image's transform. The order of draws is fixed, so a given stream always gives the same transform.
    public func draw(cropSide: Int, using random: inout SeededRandom) -> AugmentationDraw {
        var d = AugmentationDraw()
        d.mirrored = random.nextUnitFloat() < flipProbability
        let j = boxJitter
        d.boxOffsets = (random.nextFloat(in: -j, j), random.nextFloat(in: -j, j), random.nextFloat(in: -j, j), random.nextFloat(in: -j, j))
        d.brightnessDelta = random.nextFloat(in: -brightness, brightness)
        d.contrastFactor = random.nextFloat(in: 1 - contrast, 1 + contrast)
        d.saturationFactor = random.nextFloat(in: 1 - saturation, 1 + saturation)
        let hasCutout = random.nextUnitFloat() < cutoutProbability
        let sideFraction = random.nextFloat(in: 0.1, max(0.1, cutoutMaxFraction))
        let cx = random.nextUnitFloat()
        let cy = random.nextUnitFloat()
        if hasCutout {
            let side = max(1, Int(sideFraction * Float(cropSide)))
            d.cutout = (Int(cx * Float(cropSide)) - side / 2, Int(cy * Float(cropSide)) - side / 2, side)
        }
        return d
    }
}
