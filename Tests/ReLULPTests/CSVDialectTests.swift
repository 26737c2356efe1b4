import ReLULP
import Testing

/// Issue 26, item 18: RFC 4180 quoting, CR-only line ends, and the encodings the reader does not read, each
/// read right or refused with a message naming file, line and column.
@Suite struct CSVDialectTests {
    /// The message of the error `bytes` get, or nil when they are read.
    private func failure(_ bytes: [UInt8]) -> String? {
        do {
            _ = try Dataset.parse(csv: bytes, file: "d.csv")
            return nil
        } catch { return error.description }
    }

    /// Quoted fields hold commas, doubled quotes and line ends; a quoted header name with a comma is one name.
    @Test func readsQuotedFields() throws {
        let csv = "\"a,b\",\"say \"\"hi\"\"\",y\n\"1\",\" 2.5 \",3\n\"4\",\"5\", \"6\" \n"
        let data = try Dataset.parse(csv: csv, file: "d.csv")
        #expect(data.featureNames == ["a,b", "say \"hi\""])
        #expect(data.features == [[1, 2.5], [4, 5]] && data.labels == [3, 6])
        let multiline = try Dataset.parse(csv: "\"x\ny\",y\n1,2\n3,4\n", file: "d.csv")
        #expect(multiline.featureNames == ["x\ny"])
    }

    /// An error after a quoted field with a line end inside names the record's own line.
    @Test func linesCountLineEndsInsideQuotes() {
        #expect(failure(Array("\"x\ny\",y\n1,2\n3,z\n".utf8)) == "d.csv:4:2: non-numeric value 'z' in column 'y'")
    }

    /// `"1,000"` is refused: a comma in a number is a thousands separator or a decimal comma, and guessing which
    /// would give a wrong answer.
    @Test func refusesACommaInAQuotedNumber() {
        #expect(
            failure(Array("x,y\n\"1,000\",2\n3,4\n".utf8))
                == "d.csv:2:1: '1,000' in column 'x' is not a number: a comma inside a quoted cell (a thousands "
                + "separator or a decimal comma) is not read; write 1000 or 1.5")
    }

    @Test func refusesUnbalancedQuotes() {
        #expect(
            failure(Array("x,y\n1,2\n\"3,4\n5,6\n".utf8))
                == "d.csv:3:1: the quoted field opened here is never closed (an unbalanced double quote)")
        #expect(
            failure(Array("x,y\n1,2\n\"3\"x,4\n".utf8))
                == "d.csv:3:1: text after the closing quote of a quoted field (write a quote inside quotes as \"\")")
    }

    /// Classic Mac line ends (CR only) are line ends; a mix with LF and CRLF too.
    @Test func readsCarriageReturnLineEnds() throws {
        let data = try Dataset.parse(csv: Array("x,y\r1,2\r3,4\r\r5,6\r\n7,8\n".utf8), file: "d.csv")
        #expect(data.features == [[1], [3], [5], [7]] && data.labels == [2, 4, 6, 8])
        #expect(failure(Array("x,y\r1,2\r3,q\r".utf8)) == "d.csv:3:2: non-numeric value 'q' in column 'y'")
    }

    /// UTF-16 and UTF-32, with or without a byte order mark, are named instead of read as garbage.
    @Test(arguments: [
        ("UTF-16LE", [0xFF, 0xFE] as [UInt8], 2, false, "UTF-16LE (with a byte order mark)"),
        ("UTF-16BE", [0xFE, 0xFF], 2, true, "UTF-16BE (with a byte order mark)"),
        ("UTF-16LE", [], 2, false, "UTF-16LE"),
        ("UTF-16BE", [], 2, true, "UTF-16BE"),
        ("UTF-32LE", [0xFF, 0xFE, 0x00, 0x00], 4, false, "UTF-32LE (with a byte order mark)"),
        ("UTF-32BE", [0x00, 0x00, 0xFE, 0xFF], 4, true, "UTF-32BE (with a byte order mark)"),
        ("UTF-32LE", [], 4, false, "UTF-32LE"),
        ("UTF-32BE", [], 4, true, "UTF-32BE"),
    ])
    func namesWideEncodings(name: String, mark: [UInt8], width: Int, bigEndian: Bool, expected: String) {
        var bytes = mark
        for b in "x,y\n1,2\n3,4\n".utf8 {
            let zeros = [UInt8](repeating: 0, count: width - 1)
            bytes += bigEndian ? zeros + [b] : [b] + zeros
        }
        let encoding = name.prefix { $0 != " " }
        #expect(
            failure(bytes)
                == "d.csv:1:1: the file is \(expected) text; relulp reads UTF-8 (or ASCII) CSV files: convert it "
                + "first, e.g. iconv -f \(encoding) -t UTF-8")
    }

    /// Latin-1 bytes that are not UTF-8 are named with their place, in a name or in a number.
    @Test func namesBytesThatAreNotUTF8() {
        let header = Array("caf".utf8) + [0xE9] + Array(",y\n1,2\n3,4\n".utf8)
        #expect(
            failure(header)
                == "d.csv:1:1: byte 0xE9 in the header (byte 4 of the field) is not UTF-8 (a Latin-1 or "
                + "Windows-1252 file?): convert it first, e.g. iconv -f LATIN1 -t UTF-8")
        let cell = Array("x,y\n1,2\n3,".utf8) + [0xB5] + Array("\n".utf8)
        #expect(
            failure(cell)?.hasPrefix("d.csv:3:2: byte 0xB5 in column 'y' (byte 1 of the field) is not UTF-8") == true)
        // Valid UTF-8 names stay readable.
        #expect(failure(Array("café,y\n1,2\n3,4\n".utf8)) == nil)
    }

    /// Names written by relulp (the header of `predict`'s output) read back as the same names.
    @Test func writtenFieldsReadBack() throws {
        let names = ["a,b", "say \"hi\"", "two\nlines", " padded ", "plain"]
        let header = names.map(Dataset.csvField).joined(separator: ",") + ",y\n"
        let data = try Dataset.parse(csv: header + "1,2,3,4,5,6\n7,8,9,10,11,12\n", file: "d.csv")
        #expect(data.featureNames == names)
        #expect(Dataset.csvField("plain") == "plain" && Dataset.csvField("a,b") == "\"a,b\"")
    }
}
