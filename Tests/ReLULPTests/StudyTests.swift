import Foundation
import ReLULP
import Testing

/// λ grids, shards, teacher generation and atom matching: the study tools without solves.
@Suite struct StudyInputTests {
    @Test func lambdaGrids() throws {
        let grid = try LambdaGrid.parse("1e-1:1e-3:3")
        #expect(grid.count == 3)
        for (a, b) in zip(grid, [0.1, 0.01, 0.001]) { #expect(abs(a - b) <= 1e-15 * b) }
        #expect(try LambdaGrid.parse("0.5, 0.1,0.5") == [0.5, 0.1])
        #expect(try LambdaGrid.parse("1:1e-2:2,5e-3") == [1, 0.01, 0.005])
        #expect(try LambdaGrid.parse("0.3:0.1:1") == [0.3])
        let thirteen = try LambdaGrid.parse("1e-1:1e-4:13")
        #expect(thirteen.count == 13 && thirteen.first == 0.1 && thirteen.last == 1e-4)
        #expect(try LambdaGrid.parseNoise("0,0.01:0.1:2") == [0, 0.01, 0.1])
        #expect(try LambdaGrid.parseSeeds("3,1-2") == [3, 1, 2])
    }

    /// Issue 26, item 15: `relulp path` numbers its files in the order of the list, so it asks for duplicates to
    /// be refused, also inside a range (`0.1:0.1:2`); the sweep keeps dropping them.
    @Test(arguments: ["0.5,0.1,0.5", "0.1:0.1:2", "1:1e-2:3,0.1"])
    func duplicateLambdasAreRefusedWhenAsked(text: String) throws {
        let error = #expect(throws: StudyError.self) { try LambdaGrid.parse(text, refusingDuplicates: true) }
        #expect(error?.description.contains("appears more than once") == true, "\(String(describing: error))")
        _ = try LambdaGrid.parse(text)  // dropped, as before, where duplicates are not refused
        #expect(try LambdaGrid.parse("0.3,0.2:0.1:2", refusingDuplicates: true) == [0.3, 0.2, 0.1])
    }

    @Test(arguments: ["", " ", "0", "-1e-2", "0.1,0", "1:0:3", "1e-1:1e-3:0", "abc", "0.1,,0.01", "1:2", "inf", "nan"])
    func badLambdaLists(text: String) {
        #expect(throws: StudyError.self) { try LambdaGrid.parse(text) }
    }

    @Test func badNoiseAndSeeds() {
        #expect(throws: StudyError.self) { try LambdaGrid.parseNoise("-0.1") }
        #expect(throws: StudyError.self) { try LambdaGrid.parseNoise("") }
        #expect(throws: StudyError.self) { try LambdaGrid.parseSeeds("") }
        #expect(throws: StudyError.self) { try LambdaGrid.parseSeeds("1,x") }
        #expect(throws: StudyError.self) {
            try SweepSettings(dataFile: "d", dataDigest: "0", n: 2, features: ["x"], lambdas: [])
        }
        #expect(throws: StudyError.self) {
            try SweepSettings(dataFile: "d", dataDigest: "0", n: 2, features: ["x"], lambdas: [0.1, -1])
        }
        #expect(throws: StudyError.self) {
            try SweepSettings(
                dataFile: "d", dataDigest: "0", n: 2, features: ["x"], lambdas: [0.1], noiseLevels: [-0.01])
        }
    }

    @Test func shards() throws {
        for bad in ["0/3", "4/3", "1/0", "3", "a/b", "-1/3"] {
            #expect(throws: StudyError.self, "\(bad)") { try Shard(parsing: bad) }
        }
        let shards = try (1...3).map { try Shard(parsing: "\($0)/3") }
        for job in 0..<20 { #expect(shards.filter { $0.contains(job: job) }.count == 1) }
        #expect(shards[1].contains(job: 4) && shards[1].folderName == "shard-2-of-3")
    }

    @Test func teacherGenerator() throws {
        #expect(throws: StudyError.self) { try TeacherGenerator(count: 10, features: 1, neurons: 0, noise: 0, seed: 1) }
        #expect(throws: StudyError.self) {
            try TeacherGenerator(count: 10, features: 1, neurons: 2, noise: -1, seed: 1)
        }
        #expect(throws: StudyError.self) { try TeacherGenerator(count: 1, features: 1, neurons: 2, noise: 0, seed: 1) }
        for inputs in InputDistribution.allCases {
            for m in 1...3 {
                let g = try TeacherGenerator(count: 40, features: m, neurons: 4, noise: 0.1, seed: 7, inputs: inputs)
                let a = try g.generate()
                let b = try g.generate()
                #expect(a.data == b.data && a.teacher == b.teacher, "deterministic")
                #expect(a.teacher.atoms.count == 4 && a.data.count == 40 && a.data.featureNames.count == m)
                for (i, atom) in a.teacher.atoms.enumerated() {
                    #expect(abs(atom.weights.reduce(0) { $0 + $1 * $1 } - 1) < 1e-12)
                    #expect((i % 2 == 0) == (atom.amplitude > 0) && (0.5...2).contains(abs(atom.amplitude)))
                    // The kink crosses the data: at least a fifth of the points on each side, none on it.
                    let sides = a.data.features.map { x in zip(atom.weights, x + [1]).reduce(0) { $0 + $1.0 * $1.1 } }
                    #expect(
                        sides.filter { $0 > 0 }.count >= 8 && sides.filter { $0 < 0 }.count >= 8, "\(inputs) m=\(m)")
                }
                // Clean labels are the teacher's outputs, also through the model file.
                let model = ModelFile(teacher: a.teacher, data: a.data)
                let predicted = try model.predict(a.data)
                for (p, c) in zip(predicted, a.cleanLabels) { #expect(abs(p - c) <= 1e-12) }
                let noise = zip(a.data.labels, a.cleanLabels).map { $0 - $1 }
                #expect(noise.contains { $0 != 0 } && noise.allSatisfy { abs($0) < 1 })
            }
        }
    }

    @Test func matching() {
        func atom(_ a: Double, _ angle: Double) -> DiracAtom {
            DiracAtom(amplitude: a, weights: [cos(angle), sin(angle)])
        }
        let reference = [atom(1, 0), atom(-1, 1), atom(2, 2)]
        // Same atoms slightly moved, shuffled, plus one extra atom; the third has the wrong sign.
        let found = [atom(-1.1, 1.01), atom(0.9, 0.02), atom(0.01, 0.5), atom(-2, 2)]
        for method in AtomMatching.Method.allCases {
            let m = AtomMatching(found, to: reference, method: method)
            // One to one within each sign: the small positive atom is the only partner left for atom 2.
            #expect(m.pairs.map(\.reference) == [0, 1, 2] && m.pairs.map(\.candidate) == [1, 0, 2])
            #expect(abs(m.pairs[0].angle - 0.02) < 1e-12 && abs(m.pairs[1].angle - 0.01) < 1e-12)
            #expect(abs(m.pairs[2].angle - 1.5) < 1e-12 && abs(m.pairs[2].amplitudeError - 1.99) < 1e-12)
            #expect(abs(m.maxAmplitudeError - 1.99) < 1e-12 && abs(m.maxAngleError - 1.5) < 1e-12)
            #expect(m.unmatchedReference.isEmpty && m.unmatchedCandidate == [3] && m.unmatched == 1)
            // Without the small atom the negative atom at 2 has no partner of its sign: unmatched on both sides.
            let w = AtomMatching([found[0], found[1], found[3]], to: reference, method: method)
            #expect(
                w.pairs.count == 2 && w.unmatchedReference == [2] && w.unmatchedCandidate == [2] && w.unmatched == 2)
        }
        // Greedy takes the closest pair first; the Hungarian minimises the total angle.
        let r2 = [atom(1, 0), atom(1, 0.5)]
        let f2 = [atom(1, 0.3), atom(1, -0.25)]
        let greedy = AtomMatching(f2, to: r2, method: .greedy)
        let hungarian = AtomMatching(f2, to: r2, method: .hungarian)
        #expect(greedy.pairs.map(\.candidate) == [1, 0])
        #expect(hungarian.pairs.map(\.candidate) == [1, 0])
        let r3 = [atom(1, 0), atom(1, 0.4)]
        let f3 = [atom(1, 0.2), atom(1, 0.65)]
        #expect(AtomMatching(f3, to: r3, method: .greedy).pairs.map(\.candidate) == [0, 1])
        let r4 = [atom(1, 0), atom(1, 0.3)]
        let f4 = [atom(1, 0.2), atom(1, 0.75)]
        // Greedy pairs 0.3↔0.2 (0.1) then 0↔0.75 (0.75): total 0.85; optimal 0↔0.2, 0.3↔0.75: total 0.65.
        #expect(AtomMatching(f4, to: r4, method: .greedy).pairs.map(\.candidate) == [1, 0])
        #expect(AtomMatching(f4, to: r4, method: .hungarian).pairs.map(\.candidate) == [0, 1])
        #expect(AtomMatching([], to: reference).unmatched == 3)
        #expect(abs(AtomMatching.angle([1, 0], [1, 1e-9]) - 1e-9) < 1e-20)
    }
}

/// Sweeps with solves: convergence to a known limit, and shards.
@Suite struct StudySweepTests {
    /// One teacher neuron on a line: the noise-free limit is the teacher, the L1 problem recovers it exactly
    /// once λ is small, and with label noise the recovered atom moves linearly in the noise level.
    @Test func oneNeuronOnALine() throws {
        let generated = try TeacherGenerator(count: 16, features: 1, neurons: 1, noise: 0, seed: 3).generate()
        let teacher = generated.teacher.atoms[0]
        let settings = try SweepSettings(
            dataFile: "line.csv", dataDigest: "0", n: 16, features: ["x1"],
            lambdas: try LambdaGrid.parse("1:1e-2:7"), noiseLevels: [0, 1e-5, 1e-4, 1e-3],
            seeds: [1])
        let outcome = try Sweep(settings: settings, data: generated.data, cleanLabels: generated.cleanLabels).run()
        #expect(outcome.limit.status == "optimal" && outcome.limit.diracs == 1)
        #expect(AtomMatching.angle(outcome.limit.atoms[0].weights, teacher.weights) < 1e-7)
        #expect(abs(outcome.limit.atoms[0].amplitude - teacher.amplitude) < 1e-7)
        #expect(outcome.rows.allSatisfy { $0.status == "optimal" && $0.gap <= 1e-9 })
        // Noise-free: the error shrinks as λ decreases and vanishes (exact penalty of the L1 loss).
        let clean = outcome.rows.filter { $0.noise == 0 && $0.diracs == 1 }
        #expect(clean.count >= 4)
        for (a, b) in zip(clean, clean.dropFirst()) { #expect(b.maxAngleError <= a.maxAngleError + 1e-12) }
        #expect(
            clean.last!.lambda == 1e-2 && clean.last!.maxAngleError <= 1e-9 && clean.last!.maxAmplitudeError <= 1e-9)
        #expect(clean.contains { $0.maxAngleError > 1e-6 }, "the largest λ should not recover the limit exactly")
        // With noise: at each λ where the noise-free solve is the limit, the matched atom's error is linear in
        // the noise level (the extra Diracs are small atoms fitting the noise).
        let summary = SweepSummary(outcome: outcome)
        let exactLambdas = clean.filter { $0.maxAngleError <= 1e-9 && $0.maxAmplitudeError <= 1e-9 }.map(\.lambda)
        #expect(exactLambdas.count >= 2)
        let fits = summary.slopes.filter { $0.against == "noise" && exactLambdas.contains($0.at) }
        #expect(fits.count == 2 * exactLambdas.count)
        for fit in fits {
            let slope = try #require(fit.slope, "λ = \(fit.at)")
            #expect(fit.points == 3)
            #expect(
                (0.8...1.2).contains(slope),
                "slope \(slope) of the \(fit.quantity) error against the noise at λ = \(fit.at)")
        }
    }

    /// The squared loss in a sweep: every solve certified; without noise the solutions approach the (same)
    /// interpolation limit as λ decreases but, unlike L1, never reach it (no exact penalty). The hinge is refused,
    /// and the loss is part of the settings that shards must share.
    @Test func squaredLossSweep() throws {
        let generated = try TeacherGenerator(count: 16, features: 1, neurons: 1, noise: 0, seed: 3).generate()
        let settings = try SweepSettings(
            dataFile: "line.csv", dataDigest: "0", n: 16, features: ["x1"],
            lambdas: try LambdaGrid.parse("1e-1:1e-3:3"), noiseLevels: [0, 1e-3], seeds: [1],
            loss: .squared)
        let outcome = try Sweep(settings: settings, data: generated.data, cleanLabels: generated.cleanLabels).run()
        #expect(outcome.limit.status == "optimal" && outcome.limit.diracs == 1)
        #expect(outcome.rows.count == 6 && outcome.rows.allSatisfy { $0.status == "optimal" && $0.gap <= 1e-9 })
        let clean = outcome.rows.filter { $0.noise == 0 }.sorted { $0.lambda > $1.lambda }
        #expect(clean.allSatisfy { $0.diracs == 1 && $0.maxAmplitudeError > 1e-9 })
        for (a, b) in zip(clean, clean.dropFirst()) { #expect(b.maxAmplitudeError < a.maxAmplitudeError) }
        let l1 = try SweepSettings(
            dataFile: "line.csv", dataDigest: "0", n: 16, features: ["x1"],
            lambdas: try LambdaGrid.parse("1e-1:1e-3:3"), noiseLevels: [0, 1e-3], seeds: [1])
        #expect(settings.differences(from: l1) == ["loss"])
        #expect(throws: StudyError.self) {
            try SweepSettings(dataFile: "d", dataDigest: "0", n: 2, features: ["x"], lambdas: [0.1], loss: .hinge)
        }
    }

    @Test func shardsMergedEqualTheWholeSweep() throws {
        let generated = try TeacherGenerator(count: 12, features: 1, neurons: 2, noise: 0.01, seed: 5).generate()
        let settings = try SweepSettings(
            dataFile: "d.csv", dataDigest: "1", n: 12, features: ["x1"],
            lambdas: [0.1, 0.01, 0.001], noiseLevels: [0, 0.01, 0.03], seeds: [1, 2])
        let sweep = try Sweep(settings: settings, data: generated.data, cleanLabels: generated.cleanLabels)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("relulp-study-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let whole = try sweep.run()
        #expect(whole.rows.count == 5 * 3)
        try SweepOutput.write(whole, to: root + "/whole")
        for i in 1...3 {
            let shard = try Shard(index: i, count: 3)
            try SweepOutput.write(try sweep.run(shard: shard), to: SweepOutput.folder(root + "/sharded", shard: shard))
        }
        let folders = SweepMerge.shardFolders(in: root + "/sharded")
        #expect(folders.count == 3)
        let parts = try folders.map { ($0, try SweepOutput.read($0)) }
        let merged = try SweepMerge.merge(parts)
        try SweepOutput.write(merged, to: root + "/merged")
        let a = try SweepOutput.read(root + "/whole")
        let b = try SweepOutput.read(root + "/merged")
        #expect(a.rows.map(\.withoutTiming) == b.rows.map(\.withoutTiming))
        #expect(a.rows.map(\.withoutTiming) == whole.rows.map(\.withoutTiming))
        var la = a.limit
        var lb = b.limit
        la.seconds = 0
        lb.seconds = 0
        #expect(a.settings == b.settings && la == lb)
        // Incomplete, duplicated, or different sweeps are refused.
        #expect(throws: StudyError.self) { try SweepMerge.merge(Array(parts.prefix(2))) }
        #expect(throws: StudyError.self) { try SweepMerge.merge(parts + [parts[0]]) }
        var other = parts[1].1
        other.settings.tolerance = 1e-8
        do {
            _ = try SweepMerge.merge([parts[0], (parts[1].0, other), parts[2]])
            Issue.record("merging different settings must fail")
        } catch {
            #expect(error.message.contains("tolerance"))
        }
    }
}
