import ArgumentParser
import ReLULP

#if canImport(Glibc)
    import Glibc
#endif

struct Regions: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Enumerate the dual regions of a data set exactly.",
        discussion: """
            The hyperplanes {w : ⟨w, x̃_j⟩ = 0} cut R^d into cones; the full-dimensional ones are the dual regions, \
            each named by its activation (sign) vector. Prints the number of regions, of distinct extreme rays, the \
            general-position bound 2 Σ_{k<d} C(n−1, k) and the time. Refuses when the bound exceeds --max-regions.
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Refuse when the general-position bound on the regions exceeds this.")
    var maxRegions: Int = Arrangement.defaultMaxRegions

    @Option(help: ArgumentHelp("Write the results as JSON to this file.", valueName: "file"))
    var json: String?

    @Flag(help: "With --json: add every region's sign vector, rays and facets, and the rays.")
    var list: Bool = false

    @Flag(help: "Print nothing on success.")
    var quiet: Bool = false

    func validate() throws {
        try requirePositive(maxRegions, option: "--max-regions")
    }

    func run() throws {
        try reportingFailures {
            let start = monotonicSeconds()
            if let json {
                _ = try cli { () throws(OutputFileError) in
                    try OutputFile.check(json, notSameAs: [(dataOptions.data, "the data file")])
                }
            }
            let dataset = try dataOptions.load()
            let lifted = dataset.lifted(bias: dataOptions.bias)
            let arrangement = try cli(file: dataOptions.data) { () throws(ArrangementError) in
                try Arrangement.enumerate(lifted, maxRegions: maxRegions, progress: Log(quiet: quiet).enumeration)
            }
            let seconds = monotonicSeconds() - start
            let bound = Arrangement.generalPositionBound(points: lifted.count, dimension: lifted.dimension)
            if !quiet {
                print("regions: \(arrangement.numberOfRegions)")
                print("extreme rays: \(arrangement.numberOfRays)")
                print("general-position bound: \(bound)")
                print(
                    "points: \(lifted.count), dimension: \(lifted.dimension) "
                        + "(\(dataOptions.bias ? "with" : "no") bias), "
                        + "rank: \(arrangement.rank), distinct hyperplanes: \(arrangement.numberOfHyperplanes)")
                print("time: \(formatSeconds(seconds)) s")
            }
            if let json {
                try writeJSON(arrangement, to: json, bound: bound, seconds: seconds)
            }
        }
    }

    func writeJSON(_ a: Arrangement, to path: String, bound: Int, seconds: Double) throws {
        try cli { () throws(OutputFileError) in
            try OutputFile.write(to: path) { writeJSON(a, into: $0, bound: bound, seconds: seconds) }
        }
    }

    /// The JSON text, in chunks of about 1 MB (the region list of a large arrangement does not fit a String).
    func writeJSON(_ a: Arrangement, into file: OutputFile.Writer, bound: Int, seconds: Double) {
        var buffer = ""
        func flush(_ force: Bool = false) {
            if force || buffer.utf8.count > 1 << 20 {
                file.write(buffer)
                buffer = ""
            }
        }
        buffer += "{\n  \"regions\": \(a.numberOfRegions),\n  \"extremeRays\": \(a.numberOfRays),\n"
        buffer += "  \"generalPositionBound\": \(bound),\n  \"n\": \(a.points.count),\n"
        buffer += "  \"dimension\": \(a.dimension),\n"
        buffer += "  \"rank\": \(a.rank),\n  \"hyperplanes\": \(a.numberOfHyperplanes),\n"
        buffer += "  \"bias\": \(dataOptions.bias),\n  \"seconds\": \(JSONText.number(seconds))"
        if list {
            buffer += ",\n  \"rays\": ["
            for i in 0..<a.numberOfRays {
                buffer += (i == 0 ? "\n    [" : ",\n    [")
                buffer += a.ray(i).map(JSONText.number).joined(separator: ", ") + "]"
                flush()
            }
            buffer += "\n  ],\n  \"regionList\": ["
            for k in 0..<a.numberOfRegions {
                buffer += k == 0 ? "\n    " : ",\n    "
                buffer += "{\"signs\": \"\(a.signVector(ofRegion: k).description)\", \"rays\": ["
                buffer += a.rayIndices(ofRegion: k).map { String($0) }.joined(separator: ", ")
                buffer += "], \"facets\": [" + a.facets(ofRegion: k).map { String($0) }.joined(separator: ", ") + "]}"
                flush()
            }
            buffer += "\n  ]"
        }
        buffer += "\n}\n"
        flush(true)
    }
}

func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

func formatSeconds(_ s: Double) -> String {
    String((s * 1000).rounded() / 1000)
}
