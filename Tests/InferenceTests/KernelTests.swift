import Foundation
import XCTest

@testable import Inference

/// The vector kernels against Glibc in double precision.
final class KernelTests: XCTestCase {
    func testErfWithin2e7OfGlibcOverADenseRange() {
        // Every float step of 1e-4 over [-12, 12] (240,001 points), plus region boundaries.
        var xs: [Float] = (0...240_000).map { Float(-12 + Double($0) * 1e-4) }
        for edge: Float in [0.9, 2.2, 3.92, 0, 1e-30, 1e-8] {
            xs += [edge, edge.nextUp, edge.nextDown, -edge, -edge.nextUp, -edge.nextDown]
        }
        xs += [Float.greatestFiniteMagnitude, -Float.greatestFiniteMagnitude, .infinity, -.infinity]
        let got = erfVectorised(xs)
        var worst = 0.0, at: Float = 0
        for (x, y) in zip(xs, got) {
            let e = abs(Double(y) - erf(Double(x)))
            if e > worst { worst = e; at = x }
        }
        print("erf: max abs error \(worst) at \(at)")
        XCTAssertLessThanOrEqual(worst, 2e-7, "at x = \(at)")
        XCTAssertEqual(erfVectorised([0])[0], 0)
        XCTAssertTrue(erfVectorised([.nan])[0].isNaN)
    }

    func testExpWithinTwoUlpOfGlibc() {
        let negative: [Float] = (0...200_000).map { i -> Float in Float(-87 + Double(i) * 87.0 / 200_000) }
        let positive: [Float] = (0...20_000).map { i -> Float in Float(Double(i) * 88.0 / 20_000) }
        let xs = negative + positive
        let got = expVectorised(xs)
        var worst = 0.0
        for (x, y) in zip(xs, got) {
            let want = exp(Double(x))
            worst = max(worst, abs(Double(y) - want) / Double(Float(want).ulp))
        }
        print("exp: max error \(worst) ulp")
        XCTAssertLessThanOrEqual(worst, 2)
        XCTAssertEqual(expVectorised([-100, 0, 100]), [0, 1, .infinity])
    }

    func testSoftmaxMatchesDoublePrecision() {
        for n in [1, 5, 8, 13, 64, 257] {
            let xs = (0..<n).map { Float(sin(Double($0) * 1.7) * 9) }
            let got = softmax(xs)
            let m = xs.map(Double.init).max()!
            let e = xs.map { exp(Double($0) - m) }
            let s = e.reduce(0, +)
            for (g, w) in zip(got, e.map { $0 / s }) { XCTAssertEqual(Double(g), w, accuracy: 1e-6 * max(w, 1e-3)) }
            XCTAssertEqual(got.reduce(0, +), 1, accuracy: 1e-5)
        }
    }

    func testGeluMatchesExactFormula() {
        let xs: [Float] = (0...20_000).map { Float(-10 + Double($0) * 1e-3) }
        var v = xs
        let bias = [Float](repeating: 0, count: xs.count)
        v.withUnsafeMutableBufferPointer { p in
            bias.withUnsafeBufferPointer { b in biasGelu(p.baseAddress!, rows: 1, n: xs.count, bias: b.baseAddress!) }
        }
        for (x, g) in zip(xs, v) {
            let want = Double(x) * 0.5 * (1 + erf(Double(x) / 2.0.squareRoot()))
            XCTAssertEqual(Double(g), want, accuracy: 1e-6 * max(1, abs(want)), "x = \(x)")
        }
    }
}
