import Foundation
import TestSupport
import XCTest

@testable import Formats
@testable import Inference

/// Models the encoders do not build are refused up front, naming config.json and the problem.
final class ArchitectureRefusalTests: XCTestCase {
    /// A copy of a golden checkpoint with `edit` applied to its config.json.
    func folder(from family: String, _ edit: (inout [String: Any]) -> Void) throws -> String {
        let dir = try temporaryFolder("inference-tests").path + "/model"
        try FileManager.default.copyItem(atPath: ArchitectureGoldenTests.folder(family, "a"), toPath: dir)
        let path = dir + "/config.json"
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        edit(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        return dir
    }

    func expectRefusal(_ dir: String, containing parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        for load in [{ _ = try CrossEncoder(modelDirectory: dir, maxLength: 64) }, { _ = try BiEncoder(modelDirectory: dir) }] {
            XCTAssertThrowsError(try load(), file: file, line: line) { error in
                let text = "\(error)"
                XCTAssertEqual((error as? IndexerError)?.kind, .model, text, file: file, line: line)
                for part in [dir + "/config.json"] + parts {
                    XCTAssertTrue(text.contains(part), "'\(text)' lacks '\(part)'", file: file, line: line)
                }
            }
        }
    }

    func testDebertaV2IsRefusedByName() throws {
        let dir = try folder(from: "bert") { $0["model_type"] = "deberta-v2" }
        expectRefusal(dir, containing: ["model_type 'deberta-v2' is not supported yet (supported: bert, electra, modernbert, mpnet, roberta, xlm-roberta)"])
    }

    func testUnknownModelTypeIsRefusedWithTheList() throws {
        let dir = try folder(from: "bert") { $0["model_type"] = "t5" }
        expectRefusal(dir, containing: ["model_type 't5' is not supported (supported: bert, electra, modernbert, mpnet, roberta, xlm-roberta)"])
    }

    func testThreeLabelsAreRefused() throws {
        let dir = try folder(from: "roberta") { $0["id2label"] = ["0": "a", "1": "b", "2": "c"] }
        XCTAssertThrowsError(try CrossEncoder(modelDirectory: dir, maxLength: 64)) { error in
            XCTAssertTrue("\(error)".contains(dir + "/config.json"), "\(error)")
            XCTAssertTrue("\(error)".contains("the classifier has 3 labels"), "\(error)")
        }
        // The bi-encoder reads no head, so the label count does not matter to it.
        XCTAssertNoThrow(try BiEncoder(modelDirectory: dir))
    }

    func testUnsupportedActivationIsRefusedByName() throws {
        let dir = try folder(from: "electra") { $0["hidden_act"] = "quick_gelu" }
        expectRefusal(dir, containing: ["hidden_act 'quick_gelu' is not supported (supported: gelu, gelu_new, gelu_pytorch_tanh, relu, silu, swish)"])
        let modern = try folder(from: "modernbert") { $0["hidden_activation"] = "mish" }
        expectRefusal(modern, containing: ["hidden_activation 'mish' is not supported"])
    }

    func testMissingKeyIsNamed() throws {
        let dir = try folder(from: "mpnet") { $0.removeValue(forKey: "hidden_size") }
        expectRefusal(dir, containing: ["'hidden_size' must be a positive integer"])
    }
}
