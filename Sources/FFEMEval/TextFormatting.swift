// FFEMEval — TextFormatting.swift: numbers and text for people and for SVG.

/// `value` rounded to 4 decimals, for people (JSON keeps full precision).
func decimal(_ value: Double, places: Int = 4) -> String {
    guard value.isFinite && abs(value) < 1e12 else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = String(Int(scaled) - whole * Int(scale))
    let sign = value < 0 && scaled > 0 ? "-" : ""
    return places == 0 ? "\(sign)\(whole)" : "\(sign)\(whole)." + String(repeating: "0", count: places - fraction.count) + fraction
}

/// `10⁻³`-style label for 10^exponent (`1` for exponent 0).
func powerOfTenLabel(_ exponent: Int) -> String {
    guard exponent != 0 else { return "1" }
    let superscripts: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    let digits = String(abs(exponent)).map { superscripts[Int(String($0))!] }
    return "10" + (exponent < 0 ? "⁻" : "") + String(digits)
}

/// SVG coordinates with two decimals.
func pixels(_ value: Double) -> String { decimal(value, places: 2) }

/// Text with `& < > " '` escaped for XML content and attribute values.
func xmlEscaped(_ text: String) -> String {
    var out = ""
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default: out.append(character)
        }
    }
    return out
}
