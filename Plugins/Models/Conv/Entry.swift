@preconcurrency import CEqprop
import EqpropPluginSDK

// Static self-description, built on the first entry call and never changed after. The model
// calls the kernel's convolution entries, which ABI 1.1 added: it needs a 1.1 host.
nonisolated(unsafe) private let library = LibraryBuilder.make(
  name: "eqprop_conv", version: "1.0.0", plugins: [ConvModel.description], requiredHostMinor: 1)

@c @implementation
public func eqp_plugin_entry(_ host: UnsafePointer<EQP_HostInfo>?) -> UnsafePointer<EQP_Library>? {
  library
}
