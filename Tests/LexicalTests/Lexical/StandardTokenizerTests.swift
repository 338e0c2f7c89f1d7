import XCTest

@testable import Lexical

/// Expected tokens are Lucene's own, copied from `TestStandardAnalyzer.java` (Lucene 9/10) unless
/// a comment says they follow from a named UAX#29 / grammar rule.
final class StandardTokenizerTests: XCTestCase {
    private func check(_ text: String, _ expected: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(StandardTokenizer.tokenize(text), expected, text, file: file, line: line)
    }

    func testLuceneDelimitersApostrophesNumbers() {
        check("B2B", ["B2B"])
        check("2B", ["2B"])
        check("some-dashed-phrase", ["some", "dashed", "phrase"])
        check("dogs,chase,cats", ["dogs", "chase", "cats"])
        check("ac/dc", ["ac", "dc"])
        check("O'Reilly", ["O'Reilly"])
        check("you're", ["you're"])
        check("she's", ["she's"])
        check("O'Reilly's", ["O'Reilly's"])
        check("21.35", ["21.35"])
        check("R2D2 C3PO", ["R2D2", "C3PO"])
        check("216.239.63.104", ["216.239.63.104"])
        check("David has 5000 bones", ["David", "has", "5000", "bones"])
        check("foo      bar .  FOO <> BAR", ["foo", "bar", "FOO", "BAR"])
        check("\"QUOTED\" word", ["QUOTED", "word"])
        check("", [])
        check(".", [])
        check(" ", [])
    }

    func testLuceneMidCharacters() {
        check("A:B", ["A:B"])
        check("A::B", ["A", "B"])
        check("1.2", ["1.2"])
        check("A.B", ["A.B"])
        check("1..2", ["1", "2"])
        check("A..B", ["A", "B"])
        check("1,2", ["1,2"])
        check("1,,2", ["1", "2"])
        check("A.:B", ["A", "B"])
        check("A:.B", ["A", "B"])
        check("1,.2", ["1", "2"])
        check("1.,2", ["1", "2"])
        check("A:B_A:B", ["A:B_A:B"])
        check("A:B_A::B", ["A:B_A", "B"])
        check("1.2_1.2", ["1.2_1.2"])
        check("A.B_A.B", ["A.B_A.B"])
        check("1.2_1..2", ["1.2_1", "2"])
        check("A.B_A..B", ["A.B_A", "B"])
        check("1,2_1,2", ["1,2_1,2"])
        check("1,2_1,,2", ["1,2_1", "2"])
        check("C_A.:B", ["C_A", "B"])
        check("C_A:.B", ["C_A", "B"])
        check("3_1,.2", ["3_1", "2"])
        check("3_1.,2", ["3_1", "2"])
    }

    func testLuceneScripts() {
        check(
            "Γράφεται σε συνεργασία από εθελοντές με το λογισμικό wiki, κάτι που σημαίνει ότι άρθρα μπορεί να προστεθούν ή να αλλάξουν από τον καθένα.",
            [
                "Γράφεται", "σε", "συνεργασία", "από", "εθελοντές", "με", "το", "λογισμικό", "wiki", "κάτι", "που",
                "σημαίνει", "ότι", "άρθρα", "μπορεί", "να", "προστεθούν", "ή", "να", "αλλάξουν", "από", "τον", "καθένα",
            ])
        check(
            "ویکی پدیای انگلیسی در تاریخ ۲۵ دی ۱۳۷۹ به صورت مکملی برای دانشنامهٔ تخصصی نوپدیا نوشته شد.",
            [
                "ویکی", "پدیای", "انگلیسی", "در", "تاریخ", "۲۵", "دی", "۱۳۷۹", "به", "صورت", "مکملی", "برای",
                "دانشنامهٔ", "تخصصی", "نوپدیا", "نوشته", "شد",
            ])
        check("การที่ได้ต้องแสดงว่างานดี. แล้วเธอจะไปไหน? ๑๒๓๔", ["การที่ได้ต้องแสดงว่างานดี", "แล้วเธอจะไปไหน", "๑๒๓๔"])
        check("ສາທາລະນະລັດ ປະຊາທິປະໄຕ ປະຊາຊົນລາວ", ["ສາທາລະນະລັດ", "ປະຊາທິປະໄຕ", "ປະຊາຊົນລາວ"])
        check("我是中国人。 １２３４ Ｔｅｓｔｓ ", ["我", "是", "中", "国", "人", "１２３４", "Ｔｅｓｔｓ"])
        check("안녕하세요 한글입니다", ["안녕하세요", "한글입니다"])
        check("훈민정음", ["훈민정음"])
        check("仮名遣い カタカナ", ["仮", "名", "遣", "い", "カタカナ"])
        check("𩬅艱鍟䇹愯瀛", ["𩬅", "艱", "鍟", "䇹", "愯", "瀛"])
        check("moͤchte", ["moͤchte"])
        check("ざ", ["ざ"])
        check("ザ", ["ザ"])
        check("壹゙", ["壹゙"])
        check("아゙", ["아゙"])
    }

    func testLuceneEmoji() {
        check("💩 💩💩", ["💩", "💩", "💩"])
        check("👩‍❤️‍👩", ["👩‍❤️‍👩"])
        check("👨🏼‍⚕️", ["👨🏼‍⚕️"])
        check("🇺🇸🇺🇸", ["🇺🇸", "🇺🇸"])
        check("#️⃣", ["#️⃣"])
        check("3️⃣", ["3️⃣"])
        check("#\u{FE0E}", [])
        check("3\u{FE0E}", ["3\u{FE0E}"])
        check("\u{2B55}\u{FE0E}", ["\u{2B55}"])
        check("\u{2B55}\u{FE0E}\u{200D}\u{2B55}\u{FE0E}", ["\u{2B55}", "\u{200D}\u{2B55}"])
        check("🏴󠁧󠁢󠁥󠁮󠁧󠁿", ["🏴󠁧󠁢󠁥󠁮󠁧󠁿"])
        check("poo💩poo", ["poo", "💩", "poo"])
        check("💩中國💩", ["💩", "中", "國", "💩"])
    }

    /// Cases that follow from the grammar's rules (rule named in each comment).
    func testGrammarRules() {
        check("covid-19 e.g. U.S. 3.5% 1,000 x_y", ["covid", "19", "e.g", "U.S", "3.5", "1,000", "x_y"])  // WB6/7, WB11/12, WB13a/b
        check("don’t l'été", ["don’t", "l'été"])  // U+2019 is MidNumLet
        check("__init__ _", ["__init__"])  // ExtendNumLet alone is no token
        check("a1b2 1st 2nd", ["a1b2", "1st", "2nd"])  // WB9/WB10
        check("fish & chips @home #tag", ["fish", "chips", "home", "tag"])
        check("IL-6 TNF-α β-cells", ["IL", "6", "TNF", "α", "β", "cells"])
        check("x\u{00A0}y\u{2009}z", ["x", "y", "z"])  // no-break and thin spaces separate
        check("© 2012 Elsevier", ["©", "2012", "Elsevier"])  // © is Extended_Pictographic: an emoji token
        check("naïve café", ["naïve", "café"])
        check("mail a@b.com or http://x.org/p?q=1", ["mail", "a", "b.com", "or", "http", "x.org", "p", "q", "1"])  // no email/URL rules
        check("ﬁbrosis", ["ﬁbrosis"])
    }

    func testLongTokensAreChopped() {
        let long = String(repeating: "a", count: 600)
        let tokens = StandardTokenizer.tokenize(long + " b")
        XCTAssertEqual(tokens.map { $0.utf16.count }, [255, 255, 90, 1])
    }
}
