// The Porter (1980) stemmer as Lucene's PorterStemmer implements it.

/// Porter's stemming algorithm as in Lucene's `PorterStemmer` (used by `PorterStemFilter`), which
/// follows Martin Porter's own reference implementation rather than the 1980 paper to the letter:
/// words of one or two characters are left alone, step 2 maps -bli to -ble (the paper has
/// -abli to -able) and has the extra rule -logi to -log. Those are the "departures" Porter lists
/// for his published implementations and word lists.
///
/// Works on UTF-16 code units like the Java original, so a non-ASCII letter counts as a consonant
/// and lengths are in UTF-16 units. Input is expected lowercased (the filter runs after
/// `LowerCaseFilter`); uppercase letters are consonants, as in Lucene.
public struct PorterStemmer {
    private var b: [UInt16] = []
    private var k = 0, j = 0

    /// Creates a stemmer; reuse one per thread to avoid reallocations.
    public init() {}

    /// The stem of `word`.
    public mutating func stem(_ word: String) -> String {
        var units = Array(word.utf16)
        stem(&units)
        return String(decoding: units, as: UTF16.self)
    }

    /// Stems `word` in place.
    public mutating func stem(_ word: inout [UInt16]) {
        guard word.count > 2 else { return }
        swap(&b, &word)  // work in the caller's buffer; hand it back trimmed
        k = b.count - 1
        j = 0
        step1()
        step2()
        step3()
        step4()
        step5()
        step6()
        b.removeSubrange((k + 1)...)
        swap(&b, &word)
    }

    // Letters as UTF-16 code units.
    private static let a: UInt16 = 97, e: UInt16 = 101, i: UInt16 = 105, l: UInt16 = 108
    private static let o: UInt16 = 111, s: UInt16 = 115, t: UInt16 = 116, u: UInt16 = 117
    private static let w: UInt16 = 119, x: UInt16 = 120, y: UInt16 = 121, z: UInt16 = 122

    /// True when b[i] is a consonant; y is a consonant at the start or after a vowel.
    private func cons(_ i: Int) -> Bool {
        switch b[i] {
        case Self.a, Self.e, Self.i, Self.o, Self.u: return false
        case Self.y: return i == 0 ? true : !cons(i - 1)
        default: return true
        }
    }

    /// The measure m of b[0...j]: the number of VC sequences.
    private func m() -> Int {
        var n = 0
        var i = 0
        while true {
            if i > j { return n }
            if !cons(i) { break }
            i += 1
        }
        i += 1
        while true {
            while true {
                if i > j { return n }
                if cons(i) { break }
                i += 1
            }
            i += 1
            n += 1
            while true {
                if i > j { return n }
                if !cons(i) { break }
                i += 1
            }
            i += 1
        }
    }

    private func vowelInStem() -> Bool {
        var i = 0
        while i <= j {
            if !cons(i) { return true }
            i += 1
        }
        return false
    }

    private func doubleC(_ j: Int) -> Bool {
        if j < 1 { return false }
        if b[j] != b[j - 1] { return false }
        return cons(j)
    }

    /// consonant-vowel-consonant ending at i, the last not w, x or y.
    private func cvc(_ i: Int) -> Bool {
        if i < 2 || !cons(i) || cons(i - 1) || !cons(i - 2) { return false }
        let ch = b[i]
        return !(ch == Self.w || ch == Self.x || ch == Self.y)
    }

    /// True when b[0...k] ends with `suffix`; then j is the index before the suffix.
    private mutating func ends(_ suffix: StaticString) -> Bool {
        let len = suffix.utf8CodeUnitCount
        let o = k - len + 1
        if o < 0 { return false }
        let p = suffix.utf8Start
        for n in 0..<len where b[o + n] != UInt16(p[n]) { return false }
        j = k - len
        return true
    }

    /// Replaces b[j+1...k] by `replacement`.
    private mutating func setTo(_ replacement: StaticString) {
        let len = replacement.utf8CodeUnitCount
        let p = replacement.utf8Start
        let o = j + 1
        while b.count < o + len { b.append(0) }
        for n in 0..<len { b[o + n] = UInt16(p[n]) }
        k = j + len
    }

    private mutating func r(_ replacement: StaticString) {
        if m() > 0 { setTo(replacement) }
    }

    /// Plurals and -ed / -ing.
    private mutating func step1() {
        if b[k] == Self.s {
            if ends("sses") { k -= 2 } else if ends("ies") { setTo("i") } else if b[k - 1] != Self.s { k -= 1 }
        }
        if ends("eed") {
            if m() > 0 { k -= 1 }
        } else if (ends("ed") || ends("ing")) && vowelInStem() {
            k = j
            if ends("at") {
                setTo("ate")
            } else if ends("bl") {
                setTo("ble")
            } else if ends("iz") {
                setTo("ize")
            } else if doubleC(k) {
                let ch = b[k]
                k -= 1
                if ch == Self.l || ch == Self.s || ch == Self.z { k += 1 }
            } else if m() == 1 && cvc(k) {
                setTo("e")
            }
        }
    }

    /// Terminal y to i when there is another vowel in the stem.
    private mutating func step2() {
        if ends("y") && vowelInStem() { b[k] = Self.i }
    }

    /// Double suffixes to single ones.
    private mutating func step3() {
        if k == 0 { return }
        switch b[k - 1] {
        case 97:  // a
            if ends("ational") { r("ate") } else if ends("tional") { r("tion") }
        case 99:  // c
            if ends("enci") { r("ence") } else if ends("anci") { r("ance") }
        case 101:  // e
            if ends("izer") { r("ize") }
        case 108:  // l
            if ends("bli") {
                r("ble")
            } else if ends("alli") {
                r("al")
            } else if ends("entli") {
                r("ent")
            } else if ends("eli") {
                r("e")
            } else if ends("ousli") {
                r("ous")
            }
        case 111:  // o
            if ends("ization") { r("ize") } else if ends("ation") { r("ate") } else if ends("ator") { r("ate") }
        case 115:  // s
            if ends("alism") { r("al") } else if ends("iveness") { r("ive") } else if ends("fulness") { r("ful") } else if ends("ousness") { r("ous") }
        case 116:  // t
            if ends("aliti") { r("al") } else if ends("iviti") { r("ive") } else if ends("biliti") { r("ble") }
        case 103:  // g
            if ends("logi") { r("log") }
        default:
            break
        }
    }

    /// -ic-, -full, -ness etc.
    private mutating func step4() {
        switch b[k] {
        case 101:  // e
            if ends("icate") { r("ic") } else if ends("ative") { r("") } else if ends("alize") { r("al") }
        case 105:  // i
            if ends("iciti") { r("ic") }
        case 108:  // l
            if ends("ical") { r("ic") } else if ends("ful") { r("") }
        case 115:  // s
            if ends("ness") { r("") }
        default:
            break
        }
    }

    /// -ant, -ence etc. in context <c>vcvc<v>.
    private mutating func step5() {
        if k == 0 { return }
        var matched = false
        switch b[k - 1] {
        case 97: matched = ends("al")
        case 99: matched = ends("ance") || ends("ence")
        case 101: matched = ends("er")
        case 105: matched = ends("ic")
        case 108: matched = ends("able") || ends("ible")
        case 110: matched = ends("ant") || ends("ement") || ends("ment") || ends("ent")
        case 111:
            if ends("ion") && j >= 0 && (b[j] == Self.s || b[j] == Self.t) {
                matched = true
            } else {
                matched = ends("ou")
            }
        case 115: matched = ends("ism")
        case 116: matched = ends("ate") || ends("iti")
        case 117: matched = ends("ous")
        case 118: matched = ends("ive")
        case 122: matched = ends("ize")
        default: matched = false
        }
        if matched && m() > 1 { k = j }
    }

    /// Final -e, and -ll to -l, when m() > 1.
    private mutating func step6() {
        j = k
        if b[k] == Self.e {
            let a = m()
            if a > 1 || (a == 1 && !cvc(k - 1)) { k -= 1 }
        }
        if b[k] == Self.l && doubleC(k) && m() > 1 { k -= 1 }
    }
}
