@preconcurrency import CEqprop
import EqpropPluginSDK

// The library's static self-description, built on the first entry call and never changed
// after (the ABI requires it to live as long as the process).
nonisolated(unsafe) private let library = LibraryBuilder.make(
  name: "eqprop_example_fixed_point", version: "1.0.0", plugins: [FixedPointDynamics.description])

// The one exported symbol. `@c @implementation` checks it against eqprop.h's declaration.
@c @implementation
public func eqp_plugin_entry(_ host: UnsafePointer<EQP_HostInfo>?) -> UnsafePointer<EQP_Library>? {
  library
}
