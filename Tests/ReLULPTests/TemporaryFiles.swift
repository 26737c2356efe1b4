import Foundation

/// Writes `contents` to a file `name` in a new temporary folder and returns its path.
func temporaryFile(_ contents: String, name: String = "data.csv") throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relulp-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent(name).path
    try contents.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
