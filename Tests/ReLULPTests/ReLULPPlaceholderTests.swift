// Placeholder so the ReLULPTests target declared in Package.swift has a source file on the `lp` branch;
// the ReLULP work replaces it with real tests.
import Testing
