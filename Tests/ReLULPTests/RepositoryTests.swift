import Foundation
import ReLULP
import TestSupport
import Testing

/// The repository stands alone: every relative link of its Markdown documents resolves to a file inside it, the
/// changelog names the library's version, and `relulp --version` reports it with the LP libraries' versions.
@Suite struct RepositoryTests {
    static let root = Fixtures.packageRoot.standardizedFileURL

    /// The Markdown files a reader of the repository meets, found by walking it (build folders and hidden ones left out).
    static func markdownFiles() -> [URL] {
        let skipped: Set<String> = [".build", "out", "node_modules"]
        guard
            let walker = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isDirectoryKey],
                options: [.skipsHiddenFiles])
        else { return [] }
        var files: [URL] = []
        for case let url as URL in walker {
            let name = url.lastPathComponent
            if skipped.contains(name) || name.hasPrefix(".build") {
                walker.skipDescendants()
                continue
            }
            if url.pathExtension == "md" { files.append(url) }
        }
        return files.sorted { $0.path < $1.path }
    }

    /// The targets of inline links and images, `[text](target)` and `![alt](target)`, without `#fragment`.
    static func linkTargets(in markdown: String) -> [String] {
        var targets: [String] = []
        var rest = Substring(markdown)
        while let open = rest.range(of: "](") {
            rest = rest[open.upperBound...]
            guard let close = rest.firstIndex(of: ")") else { break }
            let target = rest[..<close].split(separator: " ").first.map(String.init) ?? ""
            targets.append(target)
            rest = rest[close...]
        }
        return targets
    }

    @Test func linkExtractionFindsLinksAndImages() {
        let targets = Self.linkTargets(in: "see [a](docs/a.md#x) and ![p](m/p.svg \"title\") but not [b] (c)")
        #expect(targets == ["docs/a.md#x", "m/p.svg"])
    }

    @Test func everyDocumentLinkResolvesInsideTheRepository() throws {
        let files = Self.markdownFiles()
        #expect(
            files.contains {
                $0.lastPathComponent == "README.md" && $0.deletingLastPathComponent().standardizedFileURL == Self.root
            })
        #expect(files.contains { $0.path.hasSuffix("docs/mathematics.md") })
        var checked = 0
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for target in Self.linkTargets(in: text) {
                if target.contains("://") || target.hasPrefix("mailto:") || target.hasPrefix("#") { continue }
                let path = String(target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
                let resolved = file.deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL
                let name = file.path.replacingOccurrences(of: Self.root.path + "/", with: "")
                #expect(resolved.path.hasPrefix(Self.root.path + "/"), "\(name): link \(target) leaves the repository")
                #expect(
                    FileManager.default.fileExists(atPath: resolved.path), "\(name): link \(target) does not resolve")
                checked += 1
            }
        }
        #expect(checked >= 10, "only \(checked) links found: is the link extraction broken?")
    }

    @Test func changelogNamesTheLibraryVersion() throws {
        let changelog = try String(contentsOf: Self.root.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
        let firstEntry = changelog.split(separator: "\n").first { $0.hasPrefix("## ") }
        #expect(
            firstEntry?.hasPrefix("## \(relulpVersion) ") == true,
            "CHANGELOG.md's newest entry is \(firstEntry ?? "missing")")
        #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent("LICENSE").path))
    }
}
