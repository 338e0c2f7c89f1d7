import Foundation

/// report.html: the Markdown report as one self-contained HTML page (no script, no fetch; the
/// sweep plot inline). Only the Markdown the report writes is handled: headings, paragraphs,
/// tables, numbered lists, quotes, `**bold**`, `` `code` `` and the `![..](sweep.svg)` image.
enum ReportHTML {
    /// The whole page: the style, then each Markdown line (tables and numbered lists gathered).
    static func page(markdown: String, images: [String: String]) -> String {
        var out = head
        var table: [[String]] = [], list: [String] = [], section = 0
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if raw.hasPrefix("|") {
                table.append(raw.dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) })
                continue
            }
            out += tableHTML(table)
            table = []
            if let dot = raw.firstIndex(of: "."), raw[..<dot].allSatisfy(\.isNumber), !raw[..<dot].isEmpty, raw[dot...].hasPrefix(". ") {
                list.append(String(raw[raw.index(dot, offsetBy: 2)...]))
                continue
            }
            out += listHTML(list)
            list = []
            out += lineHTML(raw, section: &section, images: images)
        }
        return out + tableHTML(table) + listHTML(list) + "</body>\n</html>\n"
    }

    /// The document head and style, up to the opening body tag.
    static let head =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Reranking decision report</title>\n"
        + "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}table{border-collapse:collapse;margin:1em 0}"
        + "td,th{border:1px solid #ccc;padding:.2em .6em}td.n{text-align:right}blockquote{color:#444;border-left:3px solid #ccc;margin:0;padding-left:1em}</style>\n</head>\n<body>\n"

    /// A Markdown table's rows (header, separator, body) as an HTML table; nothing for no rows.
    static func tableHTML(_ table: [[String]]) -> String {
        guard !table.isEmpty else { return "" }
        var out = "<table>\n<tr>" + table[0].map { "<th>\(inline($0))</th>" }.joined() + "</tr>\n"
        for row in table.dropFirst(2) {
            out += "<tr>" + row.map { (isNumeric($0) ? "<td class=\"n\">" : "<td>") + inline($0) + "</td>" }.joined() + "</tr>\n"
        }
        return out + "</table>\n"
    }

    /// A numbered list's items as an HTML ordered list; nothing for no items.
    static func listHTML(_ list: [String]) -> String {
        guard !list.isEmpty else { return "" }
        return "<ol>\n" + list.map { "<li>\(inline($0))</li>\n" }.joined() + "</ol>\n"
    }

    /// One line that is neither a table row nor a list item: a heading (numbered `section`),
    /// a quote, an image, the verdict, a bold sub-heading or a paragraph.
    static func lineHTML(_ raw: String, section: inout Int, images: [String: String]) -> String {
        if raw.hasPrefix("# ") {
            return "<h1 id=\"title\">\(inline(String(raw.dropFirst(2))))</h1>\n"
        } else if raw.hasPrefix("## ") {
            section += 1
            let title = String(raw.dropFirst(3))
            let anchor =
                [("Rerankers:", "rerankers"), ("Baselines:", "baselines"), ("Per-query drill-down", "drill-down")]
                .first { title.contains($0.0) }.map { "<a id=\"\($0.1)\"></a>" } ?? ""
            return "<h2 id=\"section-\(section)\">\(anchor)\(inline(title))</h2>\n"
        } else if raw.hasPrefix("> ") {
            return "<blockquote>\(inline(String(raw.dropFirst(2))))</blockquote>\n"
        } else if raw.hasPrefix("![") {
            // The image's file names the figure: sweep.svg -> #sweep-plot, frontier.svg -> #frontier-plot.
            var out = ""
            for (file, svg) in images.sorted(by: { $0.key < $1.key }) where raw.hasSuffix("(\(file))") {
                out += "<figure id=\"\(file.replacingOccurrences(of: ".svg", with: ""))-plot\">\n\(svg)</figure>\n"
            }
            return out
        } else if raw.hasPrefix("**Verdict") {
            return "<p id=\"verdict\">\(inline(raw))</p>\n"
        } else if raw.count > 4 && raw.hasPrefix("**") && raw.hasSuffix("**") && !raw.dropFirst(2).dropLast(2).contains("*") {
            return "<h3>\(inline(raw))</h3>\n"
        }
        return raw.isEmpty ? "" : "<p>\(inline(raw))</p>\n"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// `code`, **bold**, [text](link) -> text (links to sibling files would not be self-contained).
    static func inline(_ s: String) -> String {
        var t = escape(s).replacingOccurrences(of: "&lt;br&gt;", with: "<br>")
        t = replacePairs(t, "`", "<code>", "</code>")
        t = replacePairs(t, "**", "<strong>", "</strong>")
        while let open = t.range(of: "]("), let start = t[..<open.lowerBound].lastIndex(of: "["),
            let close = t[open.upperBound...].firstIndex(of: ")")
        {
            let text = t[t.index(after: start)..<open.lowerBound]
            t.replaceSubrange(start...close, with: text)
        }
        return t
    }

    static func replacePairs(_ s: String, _ mark: String, _ a: String, _ b: String) -> String {
        let parts = s.components(separatedBy: mark)
        guard parts.count >= 3 else { return s }
        var r = parts[0]
        for (i, p) in parts.dropFirst().enumerated() { r += (i % 2 == 0 ? (i + 2 < parts.count ? a : mark) : b) + p }
        return r
    }

    static func isNumeric(_ s: String) -> Bool {
        guard let c = s.replacingOccurrences(of: "*", with: "").first else { return false }
        return c.isNumber || c == "+" || c == "-"
    }
}
