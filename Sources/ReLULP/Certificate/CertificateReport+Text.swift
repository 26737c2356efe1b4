import Foundation

extension CertificateReport {
    /// A human-readable summary, one fact per line, ending with the verdict.
    public func text() -> String {
        let lines = optimalityLines() + supportLines() + sparsityLines() + uniquenessLines() + ["verdict: \(verdict)"]
        return lines.joined(separator: "\n")
    }

    /// The objective, its lower bound and gap, and where max |η| is attained.
    private func optimalityLines() -> [String] {
        func f(_ x: Double, _ digits: Int = 12) -> String { String(format: "%.\(digits)g", x) }
        let o = optimality
        var lines: [String] = []
        lines.append("optimality")
        lines.append("  objective (recomputed)  \(f(o.objective, 15))  (model file: \(f(o.modelObjective, 15)))")
        lines.append("    data loss             \(f(o.dataLoss, 15))")
        lines.append("    total variation       \(f(o.totalVariation, 15))")
        lines.append("  lower bound             \(f(o.lowerBound, 15))")
        lines.append(
            String(
                format: "  gap                     %.3e (relative %.3e, tolerance %.1e)",
                o.gap, o.relativeGap, o.tolerance))
        let side = "\(o.argmaxSign > 0 ? "+" : "-") side"
        if !o.maxAbsEtaExact {
            lines.append(
                String(format: "  max |eta|            ≤  %.12f", o.maxAbsEta)
                    + " (an upper bound: the search proves no more where the lower bound does not need it)")
        } else if let region = o.argmaxRegion {
            lines.append(
                String(format: "  max |eta|               %.12f", o.maxAbsEta)
                    + " on region \(region) (\(side))")
        } else {
            lines.append(
                String(format: "  max |eta|               %.12f", o.maxAbsEta)
                    + " (\(side); regions not indexed without enumeration)")
        }
        if !o.argmaxSignVector.isEmpty && o.argmaxSignVector.count <= 100 {
            lines.append("    region sign vector    \(o.argmaxSignVector)")
        }
        if o.dualClamped > 0 { lines.append(String(format: "  dual clamped by         %.3e", o.dualClamped)) }
        return lines
    }

    /// Each Dirac: amplitude, η, distance to its extreme point, region and sign vector.
    private func supportLines() -> [String] {
        var lines: [String] = []
        lines.append("support (\(support.count) Dirac\(support.count == 1 ? "" : "s"))")
        lines.append("      #      amplitude           eta   distance  region  sign vector")
        for s in support {
            let regions = s.regions.map { $0.count > 1 ? "\(s.region ?? -1)/\($0.count)" : "\(s.region ?? -1)" } ?? "-"
            lines.append(
                String(
                    format: "  %5d %14.8g %13.9f %10.3e ",
                    s.index, s.amplitude, s.eta, s.distanceToExtremePoint ?? .nan)
                    + regions.leftPadded(7) + "  " + s.signVector + (s.onCertificate ? "" : "  OFF CERTIFICATE"))
        }
        if pricing != .enumerate {
            lines.append(
                "  (region: not indexed without enumeration; distance: to the nearest extreme point of "
                    + "the cells")
            lines.append("   whose closure holds the Dirac, by projection onto their cones)")
        }
        return lines
    }

    /// Diracs, points and regions (or the search's nodes).
    private func sparsityLines() -> [String] {
        var lines: [String] = []
        let sp = sparsity
        lines.append("sparsity")
        lines.append("  diracs                  \(sp.diracs) (\(sp.positive) positive, \(sp.negative) negative)")
        lines.append("  n                       \(sp.n)")
        if let regions = sp.regions, let rays = sp.rays {
            lines.append(
                "  regions                 \(regions) (general position: \(sp.generalPositionBound)), "
                    + "\(rays) extreme rays")
        } else {
            lines.append(
                "  regions                 not enumerated (general position: \(sp.generalPositionBound)); "
                    + "branch-and-bound search: "
                    + "\(searchNodes ?? 0) nodes, \(searchLeaves ?? 0) regions solved")
        }
        return lines
    }

    /// The activation rank and the margin off the support.
    private func uniquenessLines() -> [String] {
        var lines: [String] = []
        let u = uniqueness
        lines.append("uniqueness (sufficient condition)")
        lines.append(
            "  activation rank         \(u.rank) of \(support.count)"
                + (u.smallestSingularValue.map {
                    String(format: ", singular values %.3e … %.3e", u.largestSingularValue ?? 0, $0)
                } ?? ""))
        if let margin = u.margin {
            let region = u.marginRegion.map { "region \($0)" } ?? "sign vector \(u.marginSignVector ?? "")"
            lines.append(
                String(format: "  margin                  %.9f", margin)
                    + " (largest |eta| off the support: \(region), \((u.marginSign ?? 1) > 0 ? "+" : "-") side)")
        } else if let bound = u.marginAtMost {
            lines.append(
                String(format: "  margin               ≤  %.9f", bound)
                    + " (no region side without a Dirac above this; the search does not refine below)")
        } else if pricing != .enumerate {
            lines.append("  margin                  not determined (the largest region sides all hold a Dirac)")
        } else {
            lines.append("  margin                  none (no region side without a Dirac has η ≠ 0)")
        }
        return lines
    }
}
