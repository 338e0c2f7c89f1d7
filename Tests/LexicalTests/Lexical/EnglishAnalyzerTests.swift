import XCTest

@testable import Lexical

/// Expected terms follow Lucene's `TestEnglishAnalyzer` (books, possessives, stopwords) and
/// Porter's rules applied by hand to the tokenizer output of each case.
final class EnglishAnalyzerTests: XCTestCase {
    let analyzer = EnglishAnalyzer()

    private func check(_ text: String, _ expected: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(analyzer.analyze(text), expected, text, file: file, line: line)
    }

    func testLuceneEnglishAnalyzerCases() {
        check("books", ["book"])
        check("book", ["book"])
        check("the", [])
        check("steven's", ["steven"])
        check("steven\u{2019}s", ["steven"])
        check("steven\u{FF07}s", ["steven"])
    }

    func testStopwordsAllDropped() {
        XCTAssertEqual(EnglishAnalyzer.englishStopWords.count, 33)
        check(EnglishAnalyzer.englishStopWords.sorted().joined(separator: " "), [])
        check("The Cat IS on THE mat", ["cat", "mat"])
    }

    func testPossessivesBeforeLowercase() {
        check("JOHN'S dog's O'Reilly's", ["john", "dog", "o'reilli"])
        check("James' cats' it's", ["jame", "cat"])  // "'" after s stays a separator; "it's" -> "it" -> stopword
    }

    func testNumbersHyphensUnicode() {
        check("IL-6 levels rose 3.5-fold in 2012", ["il", "6", "level", "rose", "3.5", "fold", "2012"])
        check("Relational HOPEFULNESS", ["relat", "hope"])
        check("ΑΒΓ Straße İstanbul", ["αβγ", "straße", "istanbul"])
        check("caresses ponies ties meetings", ["caress", "poni", "ti", "meet"])
    }

    func testUTF8TermsEqualStringTerms() {
        let text = "Ünïcödé 日本語 😀 tumours ΑΒΓ 𩬅 e\u{301}tat Straße's 3.5"
        var utf8: [[UInt8]] = []
        analyzer.forEachTermUTF8(text) { utf8.append($0) }
        XCTAssertEqual(utf8, analyzer.analyze(text).map { Array($0.utf8) })
        XCTAssertEqual(utf8.count, 11)
    }

    func testKeepStopwordsAndNoStemming() {
        let plain = EnglishAnalyzer(stopWords: [], stem: false)
        XCTAssertEqual(plain.analyze("The books of Steven's"), ["the", "books", "of", "steven"])
    }
}
