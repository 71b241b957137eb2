@preconcurrency import CEqprop

/// A created dynamics instance and the settings it resolved.
final class DynamicsBinding {
  let plugin: PluginRecord
  let vtable: EQP_DynamicsVTable
  let instance: OpaquePointer
  let info: EQP_DynamicsInfo
  let options: PluginOptions
  /// Kept so the model (and the layout the instance may point into) outlives this instance.
  let model: ModelBinding

  init(_ section: RunConfig.PluginSection, model: ModelBinding) throws(PluginFailure) {
    self.model = model
    guard case .dynamics(let vtable) = section.plugin.vtable else {
      throw PluginFailure("\(section.plugin.id) is not a dynamics")
    }
    plugin = section.plugin
    self.vtable = vtable
    options = try PluginCall.options(section, path: "dynamics")
    var args = EQP_DynamicsCreateArgs()
    args.struct_size = Int(EQP_DynamicsCreateArgs_STRUCT_SIZE)
    args.options = options.pointer
    args.dtype = model.dtype
    args.device_type = Int32(EQP_DEVICE_CPU)
    args.layout = UnsafePointer(model.layout)
    let sink = ErrorSink()
    let created = try PluginCall.created(plugin, sink) { vtable.create(&args, &$0, sink.pointer) }
    instance = created
    var info = EQP_DynamicsInfo()
    info.struct_size = Int(EQP_DynamicsInfo_STRUCT_SIZE)
    do throws(PluginFailure) {
      try PluginCall.check(vtable.describe(created, &info, sink.pointer), sink, plugin, "describe")
      guard info.free_steps >= 1 else {
        throw PluginCall.failure(plugin, "describe", "free_steps is \(info.free_steps), must be ≥ 1")
      }
    } catch {
      vtable.destroy(created)
      throw error
    }
    self.info = info
  }

  deinit { vtable.destroy(instance) }
}

/// A created learner instance.
final class LearnerBinding {
  let plugin: PluginRecord
  let vtable: EQP_LearnerVTable
  let instance: OpaquePointer
  let options: PluginOptions
  /// Kept so the model (and the layout the instance may point into) outlives this instance.
  let model: ModelBinding

  init(_ section: RunConfig.PluginSection, model: ModelBinding) throws(PluginFailure) {
    self.model = model
    guard case .learner(let vtable) = section.plugin.vtable else {
      throw PluginFailure("\(section.plugin.id) is not a learner")
    }
    plugin = section.plugin
    self.vtable = vtable
    options = try PluginCall.options(section, path: "learner")
    var args = EQP_LearnerCreateArgs()
    args.struct_size = Int(EQP_LearnerCreateArgs_STRUCT_SIZE)
    args.options = options.pointer
    args.dtype = model.dtype
    args.device_type = Int32(EQP_DEVICE_CPU)
    args.layout = UnsafePointer(model.layout)
    let sink = ErrorSink()
    let created = try PluginCall.created(plugin, sink) { vtable.create(&args, &$0, sink.pointer) }
    instance = created
  }

  deinit { vtable.destroy(instance) }
}
