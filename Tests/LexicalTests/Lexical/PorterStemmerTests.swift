import Formats
import XCTest

@testable import Lexical

final class PorterStemmerTests: XCTestCase {
    /// Porter's examples from the 1980 paper / Lucene's PorterStemmer comments.
    func testPaperExamples() {
        var s = PorterStemmer()
        let cases = [
            ("caresses", "caress"), ("ponies", "poni"), ("ties", "ti"), ("caress", "caress"), ("cats", "cat"),
            ("feed", "feed"), ("agreed", "agre"), ("disabled", "disabl"), ("matting", "mat"), ("mating", "mate"),
            ("meeting", "meet"), ("milling", "mill"), ("messing", "mess"), ("meetings", "meet"),
            ("happy", "happi"), ("sky", "sky"), ("relational", "relat"), ("conditional", "condit"),
            ("rational", "ration"), ("valenci", "valenc"), ("digitizer", "digit"), ("conformabli", "conform"),
            ("radicalli", "radic"), ("differentli", "differ"), ("vileli", "vile"), ("analogousli", "analog"),
            ("vietnamization", "vietnam"), ("predication", "predic"), ("operator", "oper"),
            ("feudalism", "feudal"), ("decisiveness", "decis"), ("hopefulness", "hope"),
            ("callousness", "callous"), ("formaliti", "formal"), ("sensitiviti", "sensit"),
            ("sensibiliti", "sensibl"), ("triplicate", "triplic"), ("formative", "form"),
            ("formalize", "formal"), ("electriciti", "electr"), ("electrical", "electr"),
            ("hopeful", "hope"), ("goodness", "good"), ("revival", "reviv"), ("allowance", "allow"),
            ("inference", "infer"), ("airliner", "airlin"), ("gyroscopic", "gyroscop"),
            ("adjustable", "adjust"), ("defensible", "defens"), ("irritant", "irrit"),
            ("replacement", "replac"), ("adjustment", "adjust"), ("dependent", "depend"),
            ("adoption", "adopt"), ("homologou", "homolog"), ("communism", "commun"),
            ("activate", "activ"), ("angulariti", "angular"), ("homologous", "homolog"),
            ("effective", "effect"), ("bowdlerize", "bowdler"), ("probate", "probat"), ("rate", "rate"),
            ("cease", "ceas"), ("controll", "control"), ("roll", "roll"),
            ("is", "is"), ("as", "as"), ("a", "a"), ("", ""),
        ]
        for (word, stem) in cases { XCTAssertEqual(s.stem(word), stem, word) }
    }

    /// Every word of the golden vocabulary (SciFact + NFCorpus + Cranfield words, stemmed by NLTK's
    /// Porter in MARTIN_EXTENSIONS mode: see scripts/reference/gen_porter_golden.py) must match.
    func testGoldenVocabulary() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Golden/porter_vocabulary.tsv.gz").path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("no golden file at \(path)") }
        let reader = try LineReader(path: path)
        var stemmer = PorterStemmer()
        var total = 0
        var mismatches: [String] = []
        while let line = try reader.nextLine() {
            let fields = try reader.string(line).split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2 else { XCTFail("bad line \(reader.lineNumber)"); continue }
            total += 1
            let got = stemmer.stem(String(fields[0]))
            if got != fields[1] { mismatches.append("\(fields[0]): expected \(fields[1]) got \(got)") }
        }
        XCTAssertGreaterThan(total, 40_000)
        XCTAssertEqual(mismatches.count, 0, mismatches.prefix(20).joined(separator: "; "))
    }
}
