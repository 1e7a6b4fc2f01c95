import Basics

/// A GitHub-flavoured markdown document, such as a job step summary, that never grows past a byte
/// limit.
///
/// GitHub drops a step summary whole when it is larger than 1 MiB, so the document keeps the
/// limit as it goes: when a block does not fit, it shows the rows of a table or list that do, stops
/// taking blocks, and ends with a note that says what was left out. It never cuts inside a row or a
/// character, and it always closes a `<details>` it opened.
///
/// **Every string it takes is markdown, not text**: escape what gantry does not control with
/// ``Markdown/text(_:)`` or ``Markdown/code(_:)``, and combine it with markdown you write yourself
/// (`"**" + Markdown.text(name) + "** failed"`). The document does not escape, except where the
/// structure needs it whatever the content: a line break in a heading, list item, table cell or
/// summary becomes a space (it would end the line the block lives on), and a `|` in a table cell
/// becomes `\|` (it would end the cell, even in a code span).
///
/// ```swift
/// var summary = MarkdownDocument()
/// summary.heading(2, "Changed services")
/// summary.table(
///     header: ["service", "reason"],
///     rows: services.lazy.map { [Markdown.code($0.name), Markdown.text($0.reason)] }
/// )
/// summary.details(summary: Markdown.text("\(files.count) changed files")) { body in
///     body.bulletList(files.lazy.map(Markdown.code))
/// }
/// let markdown = summary.render()
/// ```
package struct MarkdownDocument: Sendable {
    /// How a table column is aligned.
    package enum ColumnAlignment: Sendable {
        /// The renderer's default.
        case none
        /// Aligned to the left.
        case left
        /// Centred.
        case center
        /// Aligned to the right.
        case right
    }

    /// The most UTF-8 bytes ``render()`` returns.
    package let byteLimit: Int
    /// Whether the document stopped taking blocks because the next one did not fit; the rendered
    /// document then ends with a note.
    package private(set) var isCut = false
    /// Table rows and list items handed to the document, shown or not.
    package private(set) var rowCount = 0
    /// Table rows and list items left out.
    package private(set) var omittedRowCount = 0
    /// Blocks (headings, paragraphs, lists, tables, `<details>`) left out whole; the blocks inside a
    /// `<details>` left out are part of it and not counted again. A table or list shown in part is
    /// counted in ``omittedRowCount`` only.
    package private(set) var omittedBlockCount = 0

    private var body = ""
    private var bodyBytes = 0
    private var openDetails = 0
    /// How many `<details>` left out we are inside, where blocks are not counted on their own.
    private var omittedDetailsDepth = 0
    private let noteReserve: Int

    private static let detailsClosing = "</details>\n"

    /// Creates an empty document that renders to at most `byteLimit` bytes of UTF-8, note included.
    ///
    /// The default is GitHub's limit for a step summary. A limit too small for the note gives a
    /// shorter note, or an empty document.
    package init(byteLimit: Int = 1_048_576) {
        self.byteLimit = max(0, byteLimit)
        // The note holds counts known only at the end; the largest counts give the largest note.
        noteReserve = 1 + Self.note(omittedRows: .max, rows: .max, omittedBlocks: .max, byteLimit: self.byteLimit).utf8.count
    }

    /// Adds a heading of `level` (1 to 6; others are clamped) with inline markdown `markdown`.
    package mutating func heading(_ level: Int, _ markdown: String) {
        let level = min(max(level, 1), 6)
        addBlock(String(repeating: "#", count: level) + " " + Self.singleLine(markdown) + "\n")
    }

    /// Adds a paragraph of markdown `markdown`; its line breaks are kept (as soft breaks). An empty
    /// paragraph adds nothing.
    package mutating func paragraph(_ markdown: String) {
        var markdown = Substring(markdown)
        while let last = markdown.unicodeScalars.last, last == "\n" || last == "\r" {
            markdown.unicodeScalars.removeLast()
        }
        guard !markdown.isEmpty else { return }
        addBlock(String(markdown) + "\n")
    }

    /// Adds a bulleted list with one item per element of `items`, each inline markdown. An empty list
    /// adds nothing.
    ///
    /// When the list does not fit, the items that do are shown. `items` is read once, front to back,
    /// and only as far as the document has room: pass `lazy.map` to build only the items shown.
    package mutating func bulletList(_ items: some Collection<String>) {
        let itemCount = items.count
        guard itemCount > 0 else { return }
        rowCount += itemCount
        var shown = 0
        for item in items {
            let line = "- " + Self.singleLine(item) + "\n"
            guard append(shown == 0 ? separator + line : line) else { break }
            shown += 1
        }
        finishRows(shown: shown, of: itemCount)
    }

    /// Adds a table with the columns of `header` and one row per element of `rows`; every cell is
    /// inline markdown.
    ///
    /// A row with fewer cells than the header is filled with empty cells, and the cells past the
    /// header's are dropped (GFM ignores them). A table without header cells gets one empty column.
    /// `alignments` gives the columns' alignments in order; missing ones are ``ColumnAlignment/none``.
    ///
    /// When the table does not fit, the rows that do are shown (with the header; a header alone is
    /// not shown). `rows` is read once, front to back, and only as far as the document has room:
    /// pass `lazy.map` to build only the rows shown.
    package mutating func table(header: [String], rows: some Collection<[String]>, alignments: [ColumnAlignment] = []) {
        let columns = max(header.count, 1)
        let rowTotal = rows.count
        rowCount += rowTotal
        var head = Self.tableRow(header, columns: columns)
        head += "|"
        for column in 0..<columns {
            switch column < alignments.count ? alignments[column] : .none {
            case .none: head += " --- |"
            case .left: head += " :-- |"
            case .center: head += " :-: |"
            case .right: head += " --: |"
            }
        }
        head += "\n"
        guard rowTotal > 0 else {
            addBlock(head)
            return
        }
        var shown = 0
        for row in rows {
            let line = Self.tableRow(row, columns: columns)
            guard append(shown == 0 ? separator + head + line : line) else { break }
            shown += 1
        }
        finishRows(shown: shown, of: rowTotal)
    }

    /// Adds a collapsed `<details>` section showing `summary` and, when opened, the blocks `build`
    /// adds to the document it is given.
    ///
    /// GitHub reads the summary as HTML, not markdown: ``Markdown/text(_:)`` works there (its
    /// escapes are character references, which HTML decodes too), but markdown formatting and
    /// ``Markdown/code(_:)`` show as typed. Use HTML for formatting (`"<code>" + Markdown.text(name)
    /// + "</code>"`). `open` makes the section start expanded.
    ///
    /// The section is closed even when the document is cut inside it. When it does not fit at all,
    /// `build` still runs, so that the rows in it are counted in the note.
    package mutating func details(summary: String, open: Bool = false, _ build: (inout MarkdownDocument) -> Void) {
        // The blank line ends the HTML block, so that the body is read as markdown.
        let opening = "<details\(open ? " open" : "")><summary>\(Self.singleLine(summary))</summary>\n"
        let reserveForClosing = (openDetails + 1) * Self.detailsClosingBytes
        guard !isCut, fits(separator.utf8.count + opening.utf8.count + reserveForClosing) else {
            omitBlock()
            omittedDetailsDepth += 1
            build(&self)
            omittedDetailsDepth -= 1
            return
        }
        write(separator + opening)
        openDetails += 1
        build(&self)
        openDetails -= 1
        // Room for this was kept back when the section was opened.
        write("\n" + Self.detailsClosing)
    }

    /// The document as markdown, at most ``byteLimit`` bytes of UTF-8, ending with a line break.
    ///
    /// When the document was cut, it ends with a GitHub alert saying what was left out, such as
    /// "This summary was cut at 1 MiB: 9,123 of 10,000 rows and 3 sections are not shown."
    package func render() -> String {
        guard isCut else { return body }
        let note = Self.note(omittedRows: omittedRowCount, rows: rowCount, omittedBlocks: omittedBlockCount, byteLimit: byteLimit)
        for candidate in [separator + note, separator + Self.shortNote] where bodyBytes + candidate.utf8.count <= byteLimit {
            return body + candidate
        }
        return body
    }

    // MARK: - Budget

    private static let detailsClosingBytes = 1 + detailsClosing.utf8.count
    private static let shortNote = "> [!WARNING]\n> This summary was cut.\n"

    /// Blocks are separated by a blank line; the document ends with a line break.
    private var separator: String { body.isEmpty ? "" : "\n" }

    /// Whether `bytes` more fit and still leave room for the note and for closing every open
    /// `<details>`.
    private func fits(_ bytes: Int) -> Bool {
        bodyBytes + bytes + openDetails * Self.detailsClosingBytes + noteReserve <= byteLimit
    }

    /// Writes `text` if it fits and the document is not cut; returns whether it did.
    private mutating func append(_ text: String) -> Bool {
        guard !isCut, fits(text.utf8.count) else { return false }
        write(text)
        return true
    }

    private mutating func write(_ text: String) {
        body += text
        bodyBytes += text.utf8.count
    }

    private mutating func addBlock(_ block: String) {
        if !append(separator + block) { omitBlock() }
    }

    /// Records the rows of a table or list left out: all of them, and the block, when none was shown;
    /// the rest after a cut otherwise.
    private mutating func finishRows(shown: Int, of total: Int) {
        guard shown > 0 else {
            omitBlock()
            omittedRowCount += total
            return
        }
        if shown < total {
            isCut = true
            omittedRowCount += total - shown
        }
    }

    private mutating func omitBlock() {
        isCut = true
        if omittedDetailsDepth == 0 { omittedBlockCount += 1 }
    }

    // MARK: - Rendering

    private static func singleLine(_ markdown: some StringProtocol) -> String {
        guard markdown.utf8.contains(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else {
            return String(markdown)
        }
        var line = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in markdown.unicodeScalars {
            defer { previous = scalar }
            switch scalar {
            case "\n" where previous == "\r": continue
            case "\n", "\r": line.append(" ")
            default: line.append(scalar)
            }
        }
        return String(line)
    }

    private static func tableRow(_ cells: [String], columns: Int) -> String {
        var line = "|"
        for column in 0..<columns {
            line += " "
            if column < cells.count { line += tableCell(cells[column]) }
            line += " |"
        }
        return line + "\n"
    }

    /// GFM splits a row at every `|` not preceded by a backslash, inside code spans too, and then
    /// removes the backslash of each `\|`, so escaping every `|` keeps the cell whole and its
    /// content as it was, `\|` included (`\\|` becomes `\|`).
    private static func tableCell(_ markdown: String) -> String {
        let line = singleLine(markdown)
        guard line.utf8.contains(UInt8(ascii: "|")) else { return line }
        var escaped = String.UnicodeScalarView()
        for scalar in line.unicodeScalars {
            if scalar == "|" { escaped.append("\\") }
            escaped.append(scalar)
        }
        return String(escaped)
    }

    private static func note(omittedRows: Int, rows: Int, omittedBlocks: Int, byteLimit: Int) -> String {
        var parts: [(count: Int, text: String)] = []
        if omittedRows > 0 {
            parts.append((omittedRows, "\(grouped(omittedRows)) of \(grouped(rows)) \(rows == 1 ? "row" : "rows")"))
        }
        if omittedBlocks > 0 {
            parts.append((omittedBlocks, "\(grouped(omittedBlocks)) \(omittedBlocks == 1 ? "section" : "sections")"))
        }
        let verb = parts.count == 1 && parts[0].count == 1 ? "is" : "are"
        let omitted = parts.isEmpty ? "" : ": " + parts.map(\.text).joined(separator: " and ") + " \(verb) not shown"
        return "> [!WARNING]\n> This summary was cut at \(size(byteLimit))\(omitted).\n"
    }

    private static func size(_ bytes: Int) -> String {
        if bytes >= 1_048_576, bytes % 1_048_576 == 0 { return "\(grouped(bytes / 1_048_576)) MiB" }
        if bytes >= 1024, bytes % 1024 == 0 { return "\(grouped(bytes / 1024)) KiB" }
        return "\(grouped(bytes)) bytes"
    }

    /// Thousands separated by commas, the same on every machine.
    private static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var result = number < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result += "," }
            result.append(digit)
        }
        return result
    }
}
