import Foundation
import XCTest

@testable import Inference

/// The AVX-512 GELU and softmax kernels must give bitwise the Swift reference's results (so
/// that every golden file and the cross-ISA promises hold whichever path runs).
final class ElementwiseKernelTests: XCTestCase {
    /// Values from a fixed generator, with the edges of every polynomial piece mixed in.
    private func values(_ count: Int, seed: UInt64, scale: Float) -> [Float] {
        var state = seed
        let edges: [Float] = [0, -0.0, 0.9, -0.9, 2.2, -2.2, 3.92, -3.92, 88.7, -87.3, -100, 100, .infinity, -.infinity]
        return (0..<count).map { i in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            if i % 17 == 5 { return edges[Int(state >> 60) % edges.count] }
            return (Float(state >> 40) / Float(1 << 24) - 0.5) * scale
        }
    }

    private func bits(_ v: [Float]) -> [UInt32] { v.map(\.bitPattern) }

    func testBiasGeluIsBitwiseTheReferenceForEveryLength() throws {
        try XCTSkipUnless(ElementwiseKernels.avx512, "no AVX-512 here: only the Swift reference runs")
        for n in [1, 7, 8, 9, 15, 16, 17, 31, 64, 100, 384, 1536] {
            let x = values(n, seed: UInt64(n), scale: 12)
            let bias = values(n, seed: UInt64(n) + 99, scale: 2)
            XCTAssertEqual(
                bits(biasGeluRow(x, bias: bias, reference: false)), bits(biasGeluRow(x, bias: bias, reference: true)), "n = \(n)")
        }
    }

    func testSoftmaxIsBitwiseTheReferenceForEveryLength() throws {
        try XCTSkipUnless(ElementwiseKernels.avx512, "no AVX-512 here: only the Swift reference runs")
        for n in [1, 2, 7, 8, 9, 15, 16, 17, 23, 24, 25, 33, 128, 255, 256, 512] {
            for scale: Float in [1, 30] {
                var x = values(n, seed: UInt64(n) * 7, scale: scale).map { $0.isFinite ? $0 : -1e4 }
                if n > 3 { x[2] = -.infinity }  // a masked position
                XCTAssertEqual(bits(softmax(x)), bits(softmaxReference(x)), "n = \(n), scale \(scale)")
            }
        }
    }
}
