import Formats
import Foundation
import TestSupport
import XCTest

@testable import Inference

/// Seeded mutations of a valid safetensors file (issue #13): each is refused with an
/// IndexerError or read with every tensor inside the file; none crashes.
extension SafeTensorsTests {
    func testMutatedFilesAreRefusedOrReadInBounds() throws {
        let header =
            #"{"__metadata__": {"format": "pt"}, "a": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}, "b": {"dtype": "F16", "shape": [3], "data_offsets": [16, 22]}}"#
        let path = file("fuzz.safetensors", header: header, data: floatBytes([1, 2, 3, 4]) + [0, 60, 0, 184, 255, 123])
        var m = Mutations(of: Array(try Data(contentsOf: URL(fileURLWithPath: path))), seed: 12)
        var refused = 0
        for _ in 0..<2000 {
            let (bytes, what) = m.next()
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let f = try SafeTensorsFile(path: path)
                for name in f.names { _ = try f.floats(name) }
            } catch let e as IndexerError {
                refused += 1
                XCTAssertEqual(e.path, path, "\(what): \(e)")
            }
        }
        XCTAssertGreaterThan(refused, 500)
    }
}
