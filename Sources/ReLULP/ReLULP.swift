@_exported import LinearProgramming
