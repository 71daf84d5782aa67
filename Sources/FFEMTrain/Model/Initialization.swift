// FFEMTrain — Initialization.swift: seeded weight initialisation.
import FFEMCore

public enum Initialization {
    /// He/Kaiming normal (He et al. 2015): N(0, 2/fan_in), for layers followed by (P)ReLU.
    public static func heNormal(count: Int, fanIn: Int, random: inout SeededRandom) -> [Float] {
        let std = (2.0 / Float(max(fanIn, 1))).squareRoot()
        return (0..<count).map { _ in std * standardNormal(&random) }
    }

    /// Glorot/Xavier uniform: U(−a, a), a = √(6/(fan_in + fan_out)).
    public static func glorotUniform(count: Int, fanIn: Int, fanOut: Int, random: inout SeededRandom) -> [Float] {
        let a = (6.0 / Float(fanIn + fanOut)).squareRoot()
        return (0..<count).map { _ in random.nextFloat(in: -a, a) }
    }

    /// One N(0, 1) sample (Box–Muller).
    public static func standardNormal(_ random: inout SeededRandom) -> Float {
        let u1 = max(random.nextUnitFloat(), 1e-7), u2 = random.nextUnitFloat()
        return (-2 * Float.log(u1)).squareRoot() * Float.cos(2 * Float.pi * u2)
    }
}

extension Float {
    static func log(_ x: Float) -> Float { Float(Foundation.log(Double(x))) }
    static func cos(_ x: Float) -> Float { Float(Foundation.cos(Double(x))) }
}

import Foundation
