import Basics
import Foundation
import GitHubActions
import TestSupport
import Testing

// The step summary is rendered by GitHub, so these tests check the markdown gantry writes twice: as
// text (the escapes are what they should be) and as cmark-gfm renders it (GitHub's renderer is
// cmark-gfm, with the table, strikethrough, autolink and tagfilter extensions).

/// Names, messages and server responses an attacker or an accident could put in a summary.
private let hostileStrings: [String] = [
    "a|b", "| --- |", "<script>alert(1)</script>", "</details><img src=x onerror=alert(1)>",
    "<details open><summary>x</summary>", "</summary>", "<!-- comment -->", "<https://evil.example>",
    "a `tick` b", "``double``", "```", "*bold*", "**strong**", "a*b*c", "_it_", "__it__",
    "[link](http://evil)", "![img](x)", "[ref]: http://evil", "[^1]", "[ ] task",
    "# heading", "###### h6 ######", "- item", "+ item", "* item", "1. item", "10) item", "> quote",
    "> [!WARNING]", "~~strike~~", "~single~", "~~~", "---", "***", "___", "===", ":-", "    indented code",
    "\tindented", "&amp;", "&lt;b&gt;", "&#64;x", "&", "trailing \\", "\\*not escaped*",
    "line1\nline2", "cr\rlf\r\nend", "%0A", "::error::x", "@octocat", "@org/team", "hi @octocat!", "#1",
    "owner/repo#1", "GH-1", "https://evil.example", "http://evil.example/p?q=1", "ftp://evil.example",
    "www.evil.example", "WWW.evil.example", "mail a@b.example", "$x^2$", "$$", "a\u{1B}[31mred",
    "\u{202E}txt.exe", "naïve 日本語 🚀 👩‍👩‍👧", "my-service.v2_final",
]

@Suite("Markdown.text: user text shows literally wherever inline markdown goes")
struct MarkdownTextTests {
    @Test(
        "every syntax character becomes a character reference, which both markdown and the HTML of a summary read as text",
        arguments: [
            ("a|b", "a&#124;b"),
            ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
            ("</details><img src=x onerror=alert(1)>", "&lt;/details&gt;&lt;img src=x onerror=alert(1)&gt;"),
            ("a `b` c", "a &#96;b&#96; c"),
            ("*bold*", "&#42;bold&#42;"),
            ("_it_", "&#95;it&#95;"),
            ("[link](x)", "&#91;link&#93;(x)"),
            ("![img](x)", "!&#91;img&#93;(x)"),
            ("~~strike~~", "&#126;&#126;strike&#126;&#126;"),
            ("&amp;", "&amp;amp;"),
            ("back\\", "back&#92;"),
            ("$x$", "&#36;x&#36;"),
            ("> quote", "&gt; quote"),
        ]
    )
    func syntaxCharacters(raw: String, escaped: String) {
        #expect(Markdown.text(raw) == escaped)
    }

    @Test(
        "characters that start a block only at the start of a line are escaped there, and kept elsewhere",
        arguments: [
            ("# heading", "&#35; heading"),
            ("- item", "&#45; item"),
            ("+ item", "&#43; item"),
            ("1. item", "1&#46; item"),
            ("10) item", "10&#41; item"),
            ("---", "&#45;--"),
            ("===", "&#61;=="),
            (":-", "&#58;-"),
            ("::error::x", "&#58;:error::x"),
            ("    indented", "&#32;   indented"),
            ("my-service.v2 - 1. x", "my-service.v2 - 1. x"),
        ]
    )
    func lineStarts(raw: String, escaped: String) {
        #expect(Markdown.text(raw) == escaped)
    }

    @Test("line breaks and tabs become spaces; other control characters and bidi overrides become visible escapes")
    func controlCharacters() {
        #expect(Markdown.text("a\nb\r\nc\rd\te") == "a b c d e")
        #expect(Markdown.text("a\u{1B}[31m") == "a&#92;u{1b}&#91;31m")
        #expect(Markdown.text("\u{202E}gpj.exe") == "&#92;u{202e}gpj.exe")
        #expect(Markdown.text("%0A") == "%0A", "percent-encoding means nothing to markdown")
    }

    @Test("mentions, issue references and links get a zero-width space or a reference where GitHub would link them")
    func links() {
        #expect(Markdown.text("@octocat") == "@\u{200B}octocat")
        #expect(Markdown.text("a@b.example") == "a@\u{200B}b.example")
        #expect(Markdown.text("#1") == "&#35;\u{200B}1")
        #expect(Markdown.text("owner/repo#12") == "owner/repo&#35;\u{200B}12")
        #expect(Markdown.text("GH-1 gh-2") == "GH-\u{200B}1 gh-\u{200B}2")
        #expect(Markdown.text("https://evil.example") == "https&#58;//evil.example")
        #expect(Markdown.text("www.evil.example WWW.x") == "www&#46;evil.example WWW&#46;x")
    }

    @Test("text that means nothing to markdown is kept as it is: non-ASCII, emoji, names")
    func plainText() {
        let plain = "naïve 日本語 🚀 👩‍👩‍👧 my-service.v2 (3 files, 100%)"
        #expect(Markdown.text(plain) == plain)
        #expect(Markdown.text("") == "")
    }

    @Test("a 10,000-character name is escaped whole, in linear time")
    func longName() {
        let name = String(repeating: "a_", count: 5_000)
        #expect(Markdown.text(name) == String(repeating: "a&#95;", count: 5_000))
    }
}

@Suite("Markdown.code: a code span shows anything verbatim")
struct MarkdownCodeTests {
    @Test(
        "the fence is longer than any backtick run, and the content is padded where CommonMark would strip a space or merge a backtick into the fence",
        arguments: [
            ("plain", "`plain`"),
            ("a`b", "``a`b``"),
            ("a``b```c", "````a``b```c````"),
            ("`start", "`` `start ``"),
            ("end`", "`` end` ``"),
            ("`", "`` ` ``"),
            (" padded ", "`  padded  `"),
            ("   ", "`   `"),
            ("", "` `"),
            ("line1\nline2\r\n", "`line1 line2 `"),
            (" lead", "` lead`"),
            ("<script>|*x*", "`<script>|*x*`"),
        ]
    )
    func spans(raw: String, span: String) {
        #expect(Markdown.code(raw) == span)
    }
}

@Suite("Hostile text rendered by cmark-gfm, GitHub's renderer")
struct MarkdownRenderingTests {
    @Test("in paragraphs, list items and headings, every hostile string is one element of plain text")
    func blocks() throws {
        var document = MarkdownDocument()
        for hostile in hostileStrings { document.paragraph(Markdown.text(hostile)) }
        document.bulletList(hostileStrings.map(Markdown.text))
        for hostile in hostileStrings { document.heading(3, Markdown.text(hostile)) }
        // Escaped strings are as safe after each other, on one line and on separate lines.
        document.paragraph(hostileStrings.map(Markdown.text).joined())
        document.paragraph(hostileStrings.map(Markdown.text).joined(separator: "\n"))
        let html = try CmarkGFM.html(document.render())

        let count = hostileStrings.count
        #expect(HTML.openingTags(in: html) == ["p": count + 2, "ul": 1, "li": count, "h3": count])
        #expect(HTML.closingTags(in: html) == ["p": count + 2, "ul": 1, "li": count, "h3": count])
        let paragraphs = HTML.contents(of: "p", in: html)
        try #require(paragraphs.count == count + 2)
        #expect(try paragraphs.prefix(count).map(HTML.text) == hostileStrings.map(shown))
        #expect(try HTML.text(paragraphs[count]) == shown(hostileStrings.joined()))
        let lines = try HTML.text(paragraphs[count + 1]).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.map { $0.trimmingCharacters(in: .whitespaces) } == hostileStrings.map(shown))
        #expect(try HTML.contents(of: "li", in: html).map(HTML.text) == hostileStrings.map(shown))
        #expect(try HTML.contents(of: "h3", in: html).map(HTML.text) == hostileStrings.map(shown))
        try expectNothingFormattedOrLinked(html)
    }

    @Test("in a table, every row keeps its cells, as text and as code")
    func table() throws {
        var document = MarkdownDocument()
        document.table(
            header: [Markdown.text("name|<b>"), Markdown.code("code|`")],
            rows: hostileStrings.map { [Markdown.text($0), Markdown.code($0)] },
            alignments: [.left, .right]
        )
        let html = try CmarkGFM.html(document.render())

        let rows = hostileStrings.count
        #expect(
            HTML.openingTags(in: html) == ["table": 1, "thead": 1, "tbody": 1, "tr": rows + 1, "th": 2, "td": 2 * rows, "code": rows + 1])
        let headerCells = HTML.contents(of: "th", in: html)
        try #require(headerCells.count == 2)
        #expect(try HTML.text(headerCells[0]) == "name|<b>")
        #expect(try HTML.contents(of: "code", in: headerCells[1]).map(HTML.text) == ["code|`"])
        let bodyRows = HTML.contents(of: "tr", in: html).dropFirst()
        try #require(bodyRows.count == rows)
        for (index, row) in bodyRows.enumerated() {
            let cells = HTML.contents(of: "td", in: row)
            try #require(cells.count == 2, "row \(index): \(row)")
            #expect(try HTML.text(cells[0]) == shown(hostileStrings[index]))
            let code = HTML.contents(of: "code", in: cells[1])
            try #require(code.count == 1, "row \(index): \(cells[1])")
            #expect(try HTML.text(code[0]) == shown(hostileStrings[index]))
        }
        try expectNothingFormattedOrLinked(html)
    }

    @Test("in a <details> summary, which GitHub reads as HTML, the escaped text shows as it is, and the sections stay balanced")
    func details() throws {
        var document = MarkdownDocument()
        for hostile in hostileStrings {
            document.details(summary: Markdown.text(hostile)) { body in
                body.paragraph(Markdown.text(hostile))
                body.details(summary: Markdown.text(hostile), open: true) { inner in
                    inner.table(header: ["x"], rows: [[Markdown.text(hostile)]])
                }
            }
        }
        let html = try CmarkGFM.html(document.render())

        let count = hostileStrings.count
        #expect(
            HTML.openingTags(in: html) == [
                "details": 2 * count, "summary": 2 * count, "p": count,
                "table": count, "thead": count, "tbody": count, "tr": 2 * count, "th": count, "td": count,
            ])
        #expect(HTML.closingTags(in: html)["details"] == 2 * count)
        #expect(HTML.detailsAreBalanced(html))
        let summaries = try HTML.contents(of: "summary", in: html).map(HTML.text)
        #expect(summaries == hostileStrings.flatMap { [shown($0), shown($0)] })
        #expect(try HTML.contents(of: "p", in: html).map(HTML.text) == hostileStrings.map(shown))
        #expect(try HTML.contents(of: "td", in: html).map(HTML.text) == hostileStrings.map(shown))
        try expectNothingFormattedOrLinked(html)
    }

    /// No element comes from user text (the tests count the elements they expect exactly; this
    /// names the dangerous ones). GitHub also links mentions, issue references and e-mail addresses
    /// in the rendered HTML, outside code; a zero-width space after `@`, `#` or `GH-` breaks them,
    /// so none may be left without one.
    private func expectNothingFormattedOrLinked(_ html: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        for tag in ["<script", "<img", "<a ", "<em>", "<strong>", "<del>", "<pre>", "<hr", "<ol", "<input", "<blockquote", "<h1", "<h2"] {
            #expect(!html.contains(tag), "\(tag) in the HTML", sourceLocation: sourceLocation)
        }
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), sourceLocation: sourceLocation)
        #expect(html.contains("&lt;/details&gt;&lt;img src=x onerror=alert(1)&gt;"), sourceLocation: sourceLocation)
        let outsideCode = html.replacing(#/<code>.*?</code>/#, with: " ")
        let text = try HTML.decode(outsideCode.replacing(#/<[^>]*>/#, with: " "))
        #expect(text.firstMatch(of: #/@[A-Za-z0-9]/#) == nil, "a mention", sourceLocation: sourceLocation)
        #expect(text.firstMatch(of: #/#[0-9]/#) == nil, "an issue reference", sourceLocation: sourceLocation)
        #expect(text.firstMatch(of: #/(?i)gh-[0-9]/#) == nil, "an issue reference", sourceLocation: sourceLocation)
    }
}

@Suite("MarkdownDocument: layout and the 1 MiB cap")
struct MarkdownDocumentTests {
    @Test("blocks are separated by blank lines, and a <details> body is read as markdown")
    func layout() {
        var document = MarkdownDocument()
        document.heading(2, Markdown.text("Changed services"))
        document.paragraph("**2** of 3 services changed\n")
        document.table(
            header: ["service", "reason"],
            rows: [[Markdown.code("api"), Markdown.text("files")], [Markdown.code("web")]],
            alignments: [.left]
        )
        document.details(summary: Markdown.text("3 files")) { body in
            body.bulletList([Markdown.code("a.txt"), "two\nlines"])
        }
        document.bulletList([])
        document.paragraph("")

        #expect(
            document.render() == """
                ## Changed services

                **2** of 3 services changed

                | service | reason |
                | :-- | --- |
                | `api` | files |
                | `web` |  |

                <details><summary>3 files</summary>

                - `a.txt`
                - two lines

                </details>

                """)
        #expect(!document.isCut)
    }

    @Test("a small document is not cut and has no note")
    func smallDocument() {
        var document = MarkdownDocument()
        document.table(header: ["name"], rows: (0..<100).map { [Markdown.text("service-\($0)")] })
        #expect(!document.isCut)
        #expect(!document.render().contains("[!WARNING]"))
        #expect(document.omittedRowCount == 0 && document.omittedBlockCount == 0)
    }

    @Test("a 10,000-row table of long hostile names is cut at a row to fit 1 MiB, and the note counts what is left out")
    func cap() throws {
        let names = (0..<10_000).map(longHostileName)
        var document = MarkdownDocument()
        document.heading(1, Markdown.text("gantry"))
        document.paragraph(Markdown.text("10,000 services, <all> of them *changed*"))
        document.details(summary: Markdown.text("50 changed files")) { body in
            body.bulletList((0..<50).map { Markdown.code("services/\($0)/file|`.txt") })
        }
        document.heading(2, Markdown.text("Services"))
        document.details(summary: Markdown.text("All services"), open: true) { body in
            body.table(
                header: ["name", "code", "state"],
                rows: names.lazy.map { [Markdown.text($0), Markdown.code($0), Markdown.text("changed")] }
            )
            body.paragraph(Markdown.text("after the table, inside the section"))
        }
        // Left out whole: four blocks, with the rows of the list.
        document.heading(2, Markdown.text("Checks"))
        document.paragraph(Markdown.text("none"))
        document.details(summary: Markdown.text("more")) { body in
            body.paragraph("left out as part of the section")
            body.table(header: ["x"], rows: [["1"], ["2"]])
        }
        document.bulletList(["a", "b", "c"])
        let rendered = document.render()

        let bytes = Array(rendered.utf8)
        #expect(bytes.count <= 1_048_576)
        #expect(bytes.count > 1_048_576 - 2_000, "the cut is at the last row that fits, not earlier")
        #expect(String(validating: bytes, as: UTF8.self) == rendered)
        #expect(HTML.detailsAreBalanced(rendered))

        let html = try CmarkGFM.html(rendered)
        let tables = HTML.contents(of: "table", in: html)
        try #require(tables.count == 1)
        let shownRows = HTML.openingTags(in: tables[0])["tr", default: 0] - 1
        try #require(shownRows > 1_000 && shownRows < 10_000)
        let tableLines = rendered.split(separator: "\n").filter { $0.hasPrefix("| ") }
        #expect(tableLines.count == shownRows + 2, "every markdown row is one HTML row")
        let lastRow = try #require(HTML.contents(of: "tr", in: tables[0]).last)
        let lastCells = HTML.contents(of: "td", in: lastRow)
        try #require(lastCells.count == 3)
        #expect(try HTML.text(lastCells[0]) == shown(names[shownRows - 1]))
        #expect(try HTML.contents(of: "code", in: lastCells[1]).map(HTML.text) == [shown(names[shownRows - 1])])
        #expect(try HTML.text(lastCells[2]) == "changed")
        #expect(HTML.openingTags(in: html)["details"] == 2)
        #expect(HTML.detailsAreBalanced(html))
        #expect(!html.contains("<script") && !html.contains("<img") && !html.contains("<a "))

        let omittedRows = 10_000 - shownRows + 3 + 2
        let totalRows = 50 + 10_000 + 2 + 3
        // The paragraph after the table, in the section, is left out too.
        #expect(
            rendered.hasSuffix(
                """
                </details>

                > [!WARNING]
                > This summary was cut at 1 MiB: \(grouped(omittedRows)) of \(grouped(totalRows)) rows and 5 sections are not shown.

                """))
        #expect(document.isCut)
        #expect(document.rowCount == totalRows)
        #expect(document.omittedRowCount == omittedRows)
        #expect(document.omittedBlockCount == 5)
    }

    @Test("under any limit, the output fits, ends with the note and closes every section")
    func everyLimit() throws {
        func build(_ limit: Int) -> MarkdownDocument {
            var document = MarkdownDocument(byteLimit: limit)
            document.heading(2, Markdown.text("Services"))
            document.details(summary: Markdown.text("outer")) { outer in
                outer.details(summary: Markdown.text("inner")) { inner in
                    inner.table(header: ["name"], rows: (0..<20).map { [Markdown.text("név-\($0) 🚀")] })
                }
                outer.bulletList((0..<5).map { "item \($0)" })
            }
            return document
        }
        let full = build(1_048_576).render()
        for limit in 0...(full.utf8.count + 300) {
            let document = build(limit)
            let rendered = document.render()
            #expect(rendered.utf8.count <= limit, "limit \(limit)")
            #expect(HTML.detailsAreBalanced(rendered), "limit \(limit)")
            #expect(document.isCut == rendered.contains("> [!WARNING]") || rendered.isEmpty, "limit \(limit)")
            #expect(document.isCut == (rendered != full), "limit \(limit)")
        }
        #expect(build(600).render().hasSuffix(" not shown.\n"))
    }

    @Test("a list is cut between items, and the note counts the items and sections left out")
    func listCut() {
        var document = MarkdownDocument(byteLimit: 1_024)
        document.bulletList((1...100).map { "item \($0)" })
        document.paragraph("after")
        let rendered = document.render()

        let items = rendered.split(separator: "\n").filter { $0.hasPrefix("- item ") }
        #expect(items.last == "- item \(items.count)")
        #expect(
            rendered.hasSuffix(
                """
                - item \(items.count)

                > [!WARNING]
                > This summary was cut at 1 KiB: \(100 - items.count) of 100 rows and 1 section are not shown.

                """))
        #expect(rendered.utf8.count <= 1_024)
    }

    @Test("a block larger than the whole budget is left out, and the document stops there")
    func hugeBlock() {
        var document = MarkdownDocument(byteLimit: 4_096)
        document.paragraph("before")
        document.paragraph(String(repeating: "x", count: 10_000))
        document.paragraph("after, which would fit")
        #expect(
            document.render() == """
                before

                > [!WARNING]
                > This summary was cut at 4 KiB: 2 sections are not shown.

                """)
    }

    @Test("rows are built only as far as the document has room")
    func lazyRows() {
        var built = 0
        var document = MarkdownDocument(byteLimit: 4_096)
        document.table(
            header: ["n"],
            rows: (0..<1_000_000).lazy.map { number -> [String] in
                built += 1
                return ["\(number)"]
            })
        #expect(built < 1_000)
        #expect(document.omittedRowCount == 1_000_000 - (built - 1))
    }

    /// A unique name of 200 bytes or just under, nearly all of it syntax.
    private func longHostileName(_ index: Int) -> String {
        let pattern = "svc-\(index)-<script>|`*_[x](y)@octocat #1 ~~&amp;~~ https://evil.example 🚀 "
        var name = ""
        for character in String(repeating: pattern, count: 4) {
            guard name.utf8.count + character.utf8.count <= 200 else { break }
            name.append(character)
        }
        return name
    }
}

// MARK: - What the reader sees

/// What HTML shows for `Markdown.text(raw)` or `Markdown.code(raw)`: line breaks and tabs as
/// spaces, other control characters as visible escapes, and no space at the edges (which HTML
/// hides, and cmark-gfm trims in cells).
private func shown(_ raw: String) -> String {
    var text = ""
    var previous: Unicode.Scalar?
    for scalar in raw.unicodeScalars {
        defer { previous = scalar }
        switch scalar.value {
        case 0x0A where previous == "\r": continue
        case 0x09, 0x0A, 0x0D: text += " "
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: text += "\\u{\(String(scalar.value, radix: 16))}"
        default: text.unicodeScalars.append(scalar)
        }
    }
    return text.trimmingCharacters(in: .whitespaces)
}

/// `number` as the note writes it: 10,055.
private func grouped(_ number: Int) -> String {
    var digits = String(number)
    var groups: [Substring] = []
    while digits.count > 3 {
        groups.insert(digits.suffix(3), at: 0)
        digits.removeLast(3)
    }
    return ([Substring(digits)] + groups).joined(separator: ",")
}

// MARK: - Reading HTML

private enum HTML {
    struct UnknownReference: Error, CustomStringConvertible {
        let reference: String
        var description: String { "unknown character reference \(reference)" }
    }

    struct TagInText: Error, CustomStringConvertible {
        let html: String
        var description: String { "expected text, found a tag in: \(html)" }
    }

    /// How many times each element is opened.
    static func openingTags(in html: String) -> [String: Int] {
        html.matches(of: #/<([a-zA-Z][a-zA-Z0-9]*)/#).reduce(into: [:]) { $0[$1.output.1.lowercased(), default: 0] += 1 }
    }

    /// How many times each element is closed.
    static func closingTags(in html: String) -> [String: Int] {
        html.matches(of: #/</([a-zA-Z][a-zA-Z0-9]*)/#).reduce(into: [:]) { $0[$1.output.1.lowercased(), default: 0] += 1 }
    }

    /// The inner HTML of each `name` element, in order; elements of the same name must not nest.
    static func contents(of name: String, in html: String) -> [String] {
        let element = try! Regex("<\(name)(?:\\s[^>]*)?>(.*?)</\(name)>").dotMatchesNewlines()
        return html.matches(of: element).map { String($0.output[1].substring ?? "") }
    }

    /// Whether every `<details>` is closed, and none is closed before it is opened.
    static func detailsAreBalanced(_ html: String) -> Bool {
        var depth = 0
        for match in html.matches(of: #/<(/?)details[ >]/#) {
            depth += match.output.1.isEmpty ? 1 : -1
            if depth < 0 { return false }
        }
        return depth == 0
    }

    /// The text a browser shows for `html`, which must hold no tag; zero-width spaces are dropped
    /// and the edges trimmed.
    static func text(_ html: String) throws -> String {
        guard !html.contains("<") else { throw TagInText(html: html) }
        return try decode(html).replacing("\u{200B}", with: "").trimmingCharacters(in: .whitespaces)
    }

    /// `html` with its character references decoded.
    static func decode(_ html: String) throws -> String {
        var decoded = ""
        var rest = html[...]
        while let ampersand = rest.firstIndex(of: "&") {
            decoded += rest[..<ampersand]
            guard let semicolon = rest[ampersand...].firstIndex(of: ";") else {
                throw UnknownReference(reference: String(rest[ampersand...].prefix(10)))
            }
            let name = rest[rest.index(after: ampersand)..<semicolon]
            switch name {
            case "lt": decoded += "<"
            case "gt": decoded += ">"
            case "amp": decoded += "&"
            case "quot": decoded += "\""
            case _ where name.hasPrefix("#x"):
                guard let value = UInt32(name.dropFirst(2), radix: 16), let scalar = Unicode.Scalar(value) else {
                    throw UnknownReference(reference: String(name))
                }
                decoded.unicodeScalars.append(scalar)
            case _ where name.hasPrefix("#"):
                guard let value = UInt32(name.dropFirst()), let scalar = Unicode.Scalar(value) else {
                    throw UnknownReference(reference: String(name))
                }
                decoded.unicodeScalars.append(scalar)
            default: throw UnknownReference(reference: String(name))
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return decoded + rest
    }
}
