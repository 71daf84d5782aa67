// A small on-disk dataset made by the tests themselves: synthetic face-sized JPEGs and an image_list.json.
import FFEMCore
import FFEMImage
import Foundation

public struct DatasetFixture {
    public let root: String
    public var listPath: String { root + "/image_list.json" }

    /// `identities` × `perIdentity` JPEG images of `width`×`height`, boxes inside them; every identity
    /// has its own pattern so images differ.
    public static func make(identities: Int = 3, perIdentity: Int = 4, width: Int = 92, height: Int = 112) throws -> DatasetFixture {
        let root = NSTemporaryDirectory() + "ffem-data-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var lines: [String] = []
        for identity in 0..<identities {
            try FileManager.default.createDirectory(atPath: root + "/p\(identity)", withIntermediateDirectories: true)
            for k in 0..<perIdentity {
                var pixels = [UInt8](repeating: 0, count: width * height * 3)
                for y in 0..<height {
                    for x in 0..<width {
                        for c in 0..<3 { pixels[(y * width + x) * 3 + c] = UInt8((x * (identity + 1) + y * (k + 1) + c * 50) % 200 + 20) }
                    }
                }
                let jpeg = try ImageCodecs.encodeJPEG(Image(width: width, height: height, format: .rgb24, pixels: pixels), quality: 90)
                let path = "p\(identity)/\(k).jpg"
                try FileIO.writeAtomically(jpeg, to: root + "/" + path)
                lines.append("  \"\(path)\": {\"label\": \(identity), \"x1\": \(5 + k), \"y1\": 8.5, \"x2\": \(80 - k), \"y2\": 104}")
            }
        }
        try FileIO.writeAtomically("{\n" + lines.joined(separator: ",\n") + "\n}\n", to: root + "/image_list.json")
        return DatasetFixture(root: root)
    }

    public func replaceList(_ text: String) throws { try FileIO.writeAtomically(text, to: listPath) }

    public func remove() { try? FileManager.default.removeItem(atPath: root) }
}
