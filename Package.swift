// swift-tools-version: 6.1
// eqprop: a host that loads model, dynamics and learner plugins through a stable C ABI.
// Layout and conventions: docs/ABI.md and ../shared/STYLE.md §3.
import PackageDescription

// Plugins export only `eqp_plugin_entry` (STYLE §6): a linker version script hides the Swift
// symbols of every module linked into the plugin.
let pluginLinkerSettings: [LinkerSetting] = [
  .unsafeFlags(["-Xlinker", "--version-script=Core/PluginSDK/exports.map"])
]

let package = Package(
  name: "eqprop",
  products: [
    .executable(name: "eqprop", targets: ["eqprop"]),
    // The host's library, for the fuzz targets' own package (Tests/Fuzz).
    .library(name: "EqpropHost", targets: ["EqpropHost"]),
    // One dynamic library per plugin; the host finds them beside its executable.
    .library(name: "eqprop_dense", type: .dynamic, targets: ["DenseModel"]),
    .library(name: "eqprop_conv", type: .dynamic, targets: ["ConvModel"]),
    .library(name: "eqprop_discrete", type: .dynamic, targets: ["DiscreteDynamics"]),
    .library(name: "eqprop_ep", type: .dynamic, targets: ["EPLearner"]),
    .library(name: "eqprop_hopfield", type: .dynamic, targets: ["HopfieldModel"]),
    .library(name: "eqprop_bptt", type: .dynamic, targets: ["BPTTLearner"]),
    .library(name: "eqprop_rbp", type: .dynamic, targets: ["RBPLearner"]),
    .library(name: "eqprop_cep", type: .dynamic, targets: ["CEPLearner"]),
    .library(name: "eqprop_vf", type: .dynamic, targets: ["VectorFieldModel"]),
    .library(name: "eqprop_mpi", type: .dynamic, targets: ["MPICommunicator"]),
    // The Swift examples of docs/PLUGINS.md, one of each kind.
    .library(name: "eqprop_example_energy", type: .dynamic, targets: ["ExampleEnergyModel"]),
    .library(name: "eqprop_example_fixed_point", type: .dynamic, targets: ["ExampleFixedPointDynamics"]),
    .library(name: "eqprop_example_ep", type: .dynamic, targets: ["ExampleEPLearner"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
  ],
  targets: [
    // MARK: The contract
    .target(name: "CEqprop", path: "Core/ABI", exclude: ["README.md", "CHANGELOG.md"]),

    // MARK: The kernel (compiled once, reaches plugins through the host table)
    .systemLibrary(
      name: "COpenBLAS", path: "Core/COpenBLAS", pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]),
    // Private C loops of the kernel, compiled for baseline x86-64 and for AVX2 (no stable API).
    .target(name: "_EqpropKernelSIMD", path: "Core/KernelSIMD", exclude: ["README.md"]),
    // The kernel's worker pool (no stable API).
    .target(name: "_EqpropKernelThreads", path: "Core/KernelThreads", exclude: ["README.md"]),
    .target(
      name: "EqpropKernel",
      dependencies: ["CEqprop", "COpenBLAS", "_EqpropKernelSIMD", "_EqpropKernelThreads"],
      path: "Core/Kernel", swiftSettings: [.unsafeFlags(["-Ounchecked"])]),

    // MARK: For plugin authors (stateless; plugins depend only on this and CEqprop)
    .target(name: "EqpropPluginSDK", dependencies: ["CEqprop"], path: "Core/PluginSDK",
            exclude: ["exports.map"]),

    // MARK: The host
    .systemLibrary(
      name: "CZlib", path: "Core/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(
      name: "CFFI", path: "Host/CFFI", pkgConfig: "libffi", providers: [.apt(["libffi-dev"])]),
    // SHA-256 of plugin libraries (run.json) and checkpoint files.
    .systemLibrary(
      name: "CCrypto", path: "Host/CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
    .target(
      name: "EqpropHost",
      dependencies: [
        "CEqprop", "EqpropKernel", "COpenBLAS", "CFFI", "CZlib", "CCrypto",
        .product(name: "Yams", package: "Yams"),
        .product(name: "Logging", package: "swift-log"),
      ],
      path: "Host/EqpropHost"),
    .executableTarget(
      name: "eqprop",
      dependencies: [
        "EqpropHost", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Host/eqprop"),

    // MARK: Plugins shipped with eqprop
    .target(
      name: "DenseModel", dependencies: ["CEqprop", "EqpropPluginSDK"],
      path: "Plugins/Models/Dense", linkerSettings: pluginLinkerSettings),
    .target(
      name: "ConvModel", dependencies: ["CEqprop", "EqpropPluginSDK"],
      path: "Plugins/Models/Conv", linkerSettings: pluginLinkerSettings),
    .target(
      name: "HopfieldModel", dependencies: ["CEqprop", "EqpropPluginSDK"],
      path: "Plugins/Models/Hopfield", linkerSettings: pluginLinkerSettings),
    .target(
      name: "EPLearner", dependencies: ["CEqprop", "EqpropPluginSDK"],
      path: "Plugins/Learners/EP", linkerSettings: pluginLinkerSettings),
    .target(
      name: "BPTTLearner", dependencies: ["CEqprop", "EqpropPluginSDK"],
      path: "Plugins/Learners/BPTT", linkerSettings: pluginLinkerSettings),
    .target(
      name: "RBPLearner", dependencies: ["CEqprop", "EqpropPluginSDK"],
      path: "Plugins/Learners/RBP", linkerSettings: pluginLinkerSettings),
    .target(
      name: "VectorFieldModel", dependencies: ["CEqprop", "EqpropPluginSDK"],
      path: "Plugins/Models/VectorField", linkerSettings: pluginLinkerSettings),
    .target(
      name: "CEPLearner", dependencies: ["CEqprop", "EqpropPluginSDK"],
      path: "Plugins/Learners/CEP", linkerSettings: pluginLinkerSettings),
    .target(
      name: "DiscreteDynamics", dependencies: ["CEqprop", "EqpropPluginSDK"],
      path: "Plugins/Dynamics/Discrete", linkerSettings: pluginLinkerSettings),

    // MARK: Communicators (ABI 1.3)
    // MPI implementations are not ABI-compatible with each other, so MPI lives in a C plugin a
    // cluster rebuilds with its own mpicc, and the host never links it. Without libopenmpi-dev
    // the plugin still builds, and its create says what to install.
    .systemLibrary(
      name: "COpenMPI", path: "Plugins/Communicators/COpenMPI", pkgConfig: "ompi-c",
      providers: [.apt(["libopenmpi-dev"])]),
    .target(
      name: "MPICommunicator", dependencies: ["CEqprop", "COpenMPI"],
      path: "Plugins/Communicators/MPI", linkerSettings: pluginLinkerSettings),

    // MARK: Example plugins for authors (docs/PLUGINS.md), built and tested like the shipped ones
    .target(
      name: "ExampleEnergyModel", dependencies: ["CEqprop", "EqpropPluginSDK"],
      path: "examples/swift-plugins/EnergyModel", linkerSettings: pluginLinkerSettings),
    .target(
      name: "ExampleFixedPointDynamics", dependencies: ["CEqprop", "EqpropPluginSDK"],
      path: "examples/swift-plugins/FixedPointDynamics", linkerSettings: pluginLinkerSettings),
    .target(
      name: "ExampleEPLearner", dependencies: ["CEqprop", "EqpropPluginSDK"],
      path: "examples/swift-plugins/EPLearner", linkerSettings: pluginLinkerSettings),

    // MARK: Tests
    .target(name: "TestSupport", dependencies: ["CEqprop"], path: "Tests/TestSupport"),
    .testTarget(
      name: "ABITests", dependencies: ["CEqprop", "TestSupport"], path: "Tests/ABITests"),
    .testTarget(
      name: "KernelTests",
      dependencies: ["EqpropKernel", "_EqpropKernelSIMD", "CEqprop", "TestSupport"],
      path: "Tests/KernelTests"),
    .testTarget(
      name: "PluginTests", dependencies: ["EqpropHost", "EqpropPluginSDK", "CEqprop", "TestSupport"],
      path: "Tests/PluginTests"),
    .testTarget(
      name: "HostTests", dependencies: ["EqpropHost", "CEqprop", "TestSupport"],
      path: "Tests/HostTests"),
  ]
)
