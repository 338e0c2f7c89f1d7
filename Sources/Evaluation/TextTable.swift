import Foundation

/// Four decimals, trec_eval's printing precision.
func fixed4(_ v: Double) -> String { String(format: "%.4f", v) }

/// Plain-text tables with aligned columns (text left, numbers right).
enum TextTable {
    static func render(header: [String], rows: [[String]], leftAligned: Int) -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return i < leftAligned ? c + pad : pad + c
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}
