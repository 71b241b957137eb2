@preconcurrency import CEqprop
import EqpropPluginSDK

// Static self-description, built on the first entry call and never changed after.
nonisolated(unsafe) private let library = LibraryBuilder.make(
  name: "eqprop_cep", version: "1.0.0", plugins: [CEPLearner.description], requiredHostMinor: 2)

@c @implementation
public func eqp_plugin_entry(_ host: UnsafePointer<EQP_HostInfo>?) -> UnsafePointer<EQP_Library>? {
  library
}
