import Foundation
import XCTest

@testable import Formats
@testable import Inference

/// Every encoder family against transformers on the same token ids
/// (scripts/reference/make_architecture_golden.py): classifier scores within 1e-4 and
/// mean-pooled last hidden states with cosine ≥ 0.99999, for two f32 configurations
/// (one label; two labels, scored logit[1] − logit[0]) and an f16 checkpoint.
final class ArchitectureGoldenTests: XCTestCase {
    static let families = ["bert", "roberta", "xlm-roberta", "electra", "mpnet", "modernbert"]
    static let checkpoints = ["a", "b", "a-f16"]

    struct Sequences {
        var ids: [[Int32]], typeIds: [[Int32]]
        var maxLength: Int { ids.map(\.count).max() ?? 0 }
    }

    static func sequences(_ family: String) throws -> Sequences {
        let rows = try TestPaths.jsonLines(TestPaths.golden + "/\(family)/sequences.jsonl")
        func ints(_ r: [String: Any], _ k: String) -> [Int32] { (r[k] as! [NSNumber]).map { Int32(truncating: $0) } }
        return Sequences(ids: rows.map { ints($0, "ids") }, typeIds: rows.map { ints($0, "type_ids") })
    }

    static func folder(_ family: String, _ checkpoint: String) -> String { TestPaths.golden + "/\(family)/\(checkpoint)" }

    func checkFamily(_ family: String) throws {
        let seqs = try Self.sequences(family)
        XCTAssertGreaterThanOrEqual(seqs.ids.count, 300)
        XCTAssertGreaterThanOrEqual(seqs.ids.filter { $0.count == seqs.maxLength }.count, 20, "sequences cut at the maximum length")
        for checkpoint in Self.checkpoints {
            let dir = Self.folder(family, checkpoint)
            let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/expected.json"))) as! [String: Any]
            let want = (expected["score"] as! [NSNumber]).map(\.floatValue)
            let model = try CrossEncoder(modelDirectory: dir, maxLength: seqs.maxLength, threads: 2)
            let got = try model.score(tokenIds: seqs.ids, typeIds: seqs.typeIds)
            var maxDiff: Float = 0
            for (i, (g, w)) in zip(got, want).enumerated() {
                maxDiff = max(maxDiff, abs(g - w))
                XCTAssertEqual(g, w, accuracy: 1e-4, "\(family)/\(checkpoint) sequence \(i) (\(seqs.ids[i].count) tokens)")
            }
            XCTAssertEqual(got.count, want.count)
            print("\(family)/\(checkpoint): \(want.count) sequences, \(expected["labels"]!) label(s), max |score diff| \(maxDiff)")
            if checkpoint != "a-f16" { try checkPooled(family, checkpoint, seqs) }
        }
    }

    func checkPooled(_ family: String, _ checkpoint: String, _ seqs: Sequences) throws {
        let dir = Self.folder(family, checkpoint)
        let (shape, want) = try NPY.read(path: dir + "/pooled.npy")
        let encoder = try BiEncoder(modelDirectory: dir, maxLength: seqs.maxLength, threads: 2)
        let d = encoder.dimension
        XCTAssertEqual(shape, [seqs.ids.count, d])
        // The bi-encoder's id entry uses zero type ids; the reference used the recorded ones.
        let got = try encoder.embed(tokenized: zip(seqs.ids, seqs.typeIds).map { TokenizedTextView(ids: $0, typeIds: $1) })
        var minCos = 1.0
        for i in 0..<seqs.ids.count {
            let c = cosine(got[(i * d)..<((i + 1) * d)], want[(i * d)..<((i + 1) * d)])
            minCos = min(minCos, c)
            XCTAssertGreaterThanOrEqual(c, 0.99999, "\(family)/\(checkpoint) pooled sequence \(i)")
        }
        print("\(family)/\(checkpoint): mean-pooled hidden states, min cosine \(String(format: "%.9f", minCos))")
    }

    func testBert() throws { try checkFamily("bert") }
    func testRoberta() throws { try checkFamily("roberta") }
    func testXLMRoberta() throws { try checkFamily("xlm-roberta") }
    func testElectra() throws { try checkFamily("electra") }
    func testMPNet() throws { try checkFamily("mpnet") }
    func testModernBert() throws { try checkFamily("modernbert") }

    /// A text's score and vector are bitwise the same alone or in any batch, for 1 or 2 threads.
    func testEveryFamilyIsDeterministicAcrossBatchesAndThreads() throws {
        for family in Self.families {
            let seqs = try Self.sequences(family)
            let pick = Array(stride(from: 0, to: seqs.ids.count, by: 23))
            let dir = Self.folder(family, "b")
            let one = try CrossEncoder(modelDirectory: dir, maxLength: seqs.maxLength, threads: 1)
            let two = try CrossEncoder(modelDirectory: dir, maxLength: seqs.maxLength, threads: 2)
            let alone = try pick.map { try one.score(tokenIds: [seqs.ids[$0]], typeIds: [seqs.typeIds[$0]])[0] }
            let batch = pick.reversed() + Array(0..<40)
            let together = try two.score(tokenIds: batch.map { seqs.ids[$0] }, typeIds: batch.map { seqs.typeIds[$0] })
            XCTAssertEqual(Array(together.prefix(pick.count).reversed()).map(\.bitPattern), alone.map(\.bitPattern), family)
            let bi1 = try BiEncoder(modelDirectory: dir, maxLength: seqs.maxLength, threads: 1)
            let bi2 = try BiEncoder(modelDirectory: dir, maxLength: seqs.maxLength, threads: 2)
            let d = bi1.dimension
            let lone = try pick.flatMap { try bi1.embed(tokenIds: [seqs.ids[$0]]) }
            let many = try bi2.embed(tokenIds: batch.map { seqs.ids[$0] })
            let firstRows = Array(many.prefix(pick.count * d))
            let reordered = (0..<pick.count).reversed().flatMap { firstRows[($0 * d)..<(($0 + 1) * d)] }
            XCTAssertEqual(reordered.map(\.bitPattern), lone.map(\.bitPattern), family + " bi-encoder")
        }
    }
}
