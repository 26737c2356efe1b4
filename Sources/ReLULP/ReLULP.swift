@_exported import LinearProgramming

/// The version of the relulp package (CHANGELOG.md); `relulp --version` prints it with the LP libraries' versions.
public let relulpVersion = "0.10.0"
