import Foundation
import TestSupport
import XCTest

@testable import Inference

/// int8 and bf16 `Linear` against an fp64 reference with error bounds that a wrong kernel
/// breaks, and bitwise agreement between rows alone and in a batch, and between ISA paths.
final class QuantisedLinearTests: XCTestCase {
    struct Case { let layer: Linear; let x: [Float]; let rows: Int }

    /// A random BERT-shaped layer and `rows` input rows with a few large outlier values.
    static func randomCase(out: Int = 1152, inp: Int = 384, rows: Int = 13, seed: UInt64 = 3) -> Case {
        var rng = SplitMix(seed: seed)
        let w = FloatBuffer((0..<(out * inp)).map { _ in (rng.float() - 0.5) * 0.2 })
        let b = FloatBuffer((0..<out).map { _ in rng.float() - 0.5 })
        var x = (0..<(rows * inp)).map { _ in (rng.float() - 0.5) * 4 }
        for r in 0..<rows { x[r * inp + rng.below(inp)] = 30 * (rng.float() + 0.5) }
        return Case(layer: Linear(weight: w, bias: b, inFeatures: inp, outFeatures: out), x: x, rows: rows)
    }

    static func apply(_ l: Linear, _ x: [Float], rows: Int, bias: Bool = true) -> [Float] {
        var y = [Float](repeating: .nan, count: rows * l.outFeatures)
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { l.apply(xp.baseAddress!, rows: rows, into: $0.baseAddress!, addBias: bias) } }
        return y
    }

    /// (|error| / bound) at worst over all outputs, with `bound(Σ|x||w|, Σ|w|, Σ|x|, row max, column max)`.
    static func worstRatio(_ c: Case, _ got: [Float], bound: (Double, Double, Double, Double, Double) -> Double) -> Double {
        let l = c.layer, k = l.inFeatures, n = l.outFeatures
        var worst = 0.0
        for r in 0..<c.rows {
            let xr = (0..<k).map { Double(c.x[r * k + $0]) }
            let xmax = xr.map(abs).max()!
            for o in 0..<n {
                var dot = Double(l.bias.pointer[o]), axw = 0.0, aw = 0.0, ax = 0.0, wmax = 0.0
                for j in 0..<k {
                    let w = Double(l.weight.pointer[o * k + j])
                    dot += xr[j] * w; axw += abs(xr[j] * w); aw += abs(w); ax += abs(xr[j]); wmax = max(wmax, abs(w))
                }
                worst = max(worst, abs(Double(got[r * n + o]) - dot) / bound(axw, aw, ax, xmax, wmax))
            }
        }
        return worst
    }

    func testInt8WithinTheQuantisationBound() {
        let c = Self.randomCase()
        let int8 = c.layer.prepared(for: .int8)
        XCTAssertEqual(int8.precision, .int8)
        let got = Self.apply(int8, c.x, rows: c.rows)
        // Rounding x to steps of sa (the row's 5th largest |x| / 127) and w to steps of sw:
        // |err| ≤ Σ(|x|·sw/2 + |w|·sa/2 + sa·sw/4), plus fp32 slack. sa ≤ xmax/127.
        let worst = Self.worstRatio(c, got) { axw, aw, ax, xmax, wmax in
            let sa = xmax / 127, sw = wmax / 127
            return ax * sw / 2 + aw * sa / 2 + Double(384) * sa * sw / 4 + 1e-5 * axw + 1e-6
        }
        print("int8 (\(Precision.int8.kernelPath)): worst error / bound \(worst)")
        XCTAssertLessThanOrEqual(worst, 1)
        let fp32 = Self.apply(c.layer, c.x, rows: c.rows)
        let rms = sqrt(zip(got, fp32).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +) / Double(got.count))
        let scale = sqrt(fp32.map { Double($0) * Double($0) }.reduce(0, +) / Double(got.count))
        XCTAssertLessThan(rms / scale, 0.01, "relative RMS error of int8")
    }

    func testBF16WithinTheRoundingBound() {
        let c = Self.randomCase(seed: 5)
        let bf16 = c.layer.prepared(for: .bf16)
        let got = Self.apply(bf16, c.x, rows: c.rows)
        // Both operands rounded to 8 significant bits (relative 2^-9 each), then fp32 sums of
        // 384 terms (relative 384·2^-24 < 3e-5 of Σ|x||w|).
        let worst = Self.worstRatio(c, got) { axw, _, _, _, _ in axw * (pow(2, -8) + pow(2, -18) + 3e-5) + 1e-6 }
        print("bf16 (\(Precision.bf16.kernelPath)): worst error / bound \(worst)")
        XCTAssertLessThanOrEqual(worst, 1)
        XCTAssertNotEqual(got, Self.apply(c.layer, c.x, rows: c.rows), "bf16 must not silently be fp32")
    }

    func testRowsAloneEqualRowsInABatchBitwise() {
        let c = Self.randomCase(rows: 17, seed: 9)
        for p in [Precision.int8, .bf16] {
            let l = c.layer.prepared(for: p)
            let batch = Self.apply(l, c.x, rows: c.rows, bias: false)
            for r in [0, 5, 6, 11, 16] {
                let alone = Self.apply(l, Array(c.x[(r * 384)..<((r + 1) * 384)]), rows: 1, bias: false)
                XCTAssertEqual(alone.map(\.bitPattern), Array(batch[(r * 1152)..<((r + 1) * 1152)]).map(\.bitPattern), "\(p) row \(r)")
            }
        }
    }

    func testInt8IsBitwiseTheSameOnEveryISAPath() {
        defer { forceKernelISA(nil) }
        for (inp, seed) in [(388, UInt64(11)), (384, 12)] {
            var c = Self.randomCase(out: 272, inp: inp, rows: 9, seed: seed)
            var x = c.x  // ties at the outlier threshold too
            x[3 * inp + 7] = 50; x[3 * inp + 9] = -50; x[3 * inp + 100] = 50
            c = Case(layer: c.layer, x: x, rows: c.rows)
            forceKernelISA("portable")
            let portable = Self.apply(c.layer.prepared(for: .int8), c.x, rows: c.rows)
            for isa in ["avx2", "avx512"] {
                forceKernelISA(isa)
                print("int8 path for \(isa): \(Precision.int8.kernelPath)")
                let got = Self.apply(c.layer.prepared(for: .int8), c.x, rows: c.rows)
                XCTAssertEqual(got.map(\.bitPattern), portable.map(\.bitPattern), "\(isa), k \(inp)")
            }
        }
    }

    func testShapesTheKernelsCannotTakeStayFP32() {
        let c = Self.randomCase(out: 1, inp: 384, rows: 2)
        let l = c.layer.prepared(for: .int8)
        XCTAssertEqual(Self.apply(l, c.x, rows: 2), Self.apply(c.layer, c.x, rows: 2))
    }

    func testPrecisionNamesAndFingerprints() throws {
        XCTAssertEqual(Precision(name: "int8"), .int8)
        XCTAssertNil(Precision(name: "int4"))
        let tiny = TestPaths.golden + "/cross-f32"
        let prints = try Precision.allCases.map { try BiEncoder(modelDirectory: tiny, threads: 1, precision: $0).fingerprint }
        XCTAssertEqual(Set(prints).count, 3, "each precision its own fingerprint")
        XCTAssertEqual(prints[0], try BiEncoder(modelDirectory: tiny, threads: 1).fingerprint, "fp32 keeps the earlier fingerprint")
        let cross = try Precision.allCases.map { try CrossEncoder(modelDirectory: tiny, precision: $0).fingerprint }
        XCTAssertEqual(Set(cross).count, 3)
    }
}
