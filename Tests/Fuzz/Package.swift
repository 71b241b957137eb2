// swift-tools-version: 6.1
// libFuzzer targets for the readers of untrusted bytes: IDX and CIFAR-10 data (raw or gzip),
// YAML configs, safetensors checkpoints and extension-function signatures.
//
// A package of its own, so the main package's `swift build` and `swift test` never see these:
// each target links only when built with `-sanitize=fuzzer` (libFuzzer's driver), as
// scripts/fuzz builds them; docs/FUZZING.md says how to run them.
import PackageDescription

/// One fuzz target: a `main.swift` that hands its test to `fuzz`.
func fuzzTarget(_ name: String, path: String) -> Target {
  .executableTarget(
    name: name,
    dependencies: ["FuzzSupport", .product(name: "EqpropHost", package: "eqprop")],
    path: path)
}

let package = Package(
  name: "eqprop-fuzz",
  dependencies: [
    // Named: a path dependency is otherwise known by its folder's name, which differs
    // between checkouts.
    .package(name: "eqprop", path: "../..")
  ],
  targets: [
    // libFuzzer's driver (header only; the library comes with `-sanitize=fuzzer`).
    .target(name: "CLibFuzzer", path: "CLibFuzzer"),
    .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"], path: "Support"),

    fuzzTarget("fuzz-idx", path: "IDX"),
    fuzzTarget("fuzz-cifar", path: "CIFAR"),
    fuzzTarget("fuzz-config", path: "Config"),
    fuzzTarget("fuzz-safetensors", path: "Safetensors"),
    fuzzTarget("fuzz-signature", path: "Signature"),
  ]
)
