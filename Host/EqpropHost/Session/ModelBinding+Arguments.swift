@preconcurrency import CEqprop

extension ModelBinding {
  /// The shapes a tensor list must have, from the layout (the batch dimension first where
  /// there is one).
  enum TensorRole {
    /// layer_count views [batch, ...layer shape].
    case states
    /// param_count views of θ's shapes.
    case params
    /// One view [batch, ...input shape].
    case input
    /// One view [batch, class_count]: targets and scores.
    case classes
  }

  /// Why `eval`, as a dynamics or learner hands it to `host->model`, does not fit the layout,
  /// or nil: counts, dtypes and the extents of every view. What lies behind a view's data
  /// pointer cannot be checked. Allocates nothing unless it fails: dynamics forward drive at
  /// every step.
  func evalProblem(_ eval: UnsafePointer<EQP_ModelEval>?, needsStates: Bool = true) -> String? {
    guard let eval else { return "ev is NULL" }
    let ev = ForeignStruct<EQP_ModelEval>(UnsafeRawPointer(eval)).zeroExtendedCopy(EQP_ModelEval())
    guard ev.batch >= 1 else { return "ev->batch is \(ev.batch); expected at least 1" }
    guard ev.param_count == parameters.count else {
      return "ev->param_count is \(ev.param_count); the layout has \(parameters.count) parameters"
    }
    if let problem = viewsProblem("ev->params", ev.params, .params, batch: ev.batch) {
      return problem
    }
    if ev.states != nil || needsStates {
      guard ev.layer_count == layers.count else {
        return "ev->layer_count is \(ev.layer_count); the layout has \(layers.count) layers"
      }
      if let problem = viewsProblem("ev->states", ev.states, .states, batch: ev.batch) {
        return problem
      }
    }
    if ev.input != nil, let problem = viewsProblem("ev->input", ev.input, .input, batch: ev.batch) {
      return problem
    }
    if ev.target != nil,
      let problem = viewsProblem("ev->target", ev.target, .classes, batch: ev.batch)
    {
      return problem
    }
    return nil
  }

  /// Why the views at `views` do not have the shapes of `role` for `eval`'s batch, or nil;
  /// NULL is a problem unless `optional`.
  func tensorProblem(
    _ name: String, _ views: UnsafePointer<EQP_Tensor>?, _ role: TensorRole,
    eval: UnsafePointer<EQP_ModelEval>?, optional: Bool = false
  ) -> String? {
    if views == nil && optional { return nil }
    return viewsProblem(name, views, role, batch: eval?.pointee.batch ?? 0)
  }

  private func viewsProblem(
    _ name: String, _ views: UnsafePointer<EQP_Tensor>?, _ role: TensorRole, batch: Int64
  ) -> String? {
    let count = role == .states ? layers.count : role == .params ? parameters.count : 1
    guard count > 0 else { return nil }
    guard let views else { return "\(name) is NULL" }
    for index in 0..<count {
      let (leading, shape): (Int64?, [Int64]) =
        switch role {
        case .states: (batch, layers[index].shape)
        case .params: (nil, parameters[index].shape)
        case .input: (batch, inputShape)
        case .classes: (batch, [Int64(classCount)])
        }
      if !fits(views[index], leading: leading, shape) {
        let expected = (leading.map { [$0] } ?? []) + shape
        return "the caller's \(name)[\(index)] is \(Self.describe(views[index])), but the "
          + "layout gives \(Self.name(dtype)) \(expected)"
      }
    }
    return nil
  }

  private func fits(_ view: EQP_Tensor, leading: Int64?, _ shape: [Int64]) -> Bool {
    let offset = leading == nil ? 0 : 1
    guard view.dtype == dtype, view.data != nil, view.ndim == Int32(shape.count + offset),
      let extents = view.shape
    else { return false }
    if let leading, extents[0] != leading { return false }
    for axis in 0..<shape.count where extents[axis + offset] != shape[axis] { return false }
    return true
  }

  private static func describe(_ view: EQP_Tensor) -> String {
    guard view.data != nil else { return "a view with NULL data" }
    guard (0...8).contains(view.ndim), view.ndim == 0 || view.shape != nil else {
      return "a view of ndim \(view.ndim)"
    }
    let extents = (0..<Int(view.ndim)).map { view.shape?[$0] ?? 0 }
    return "\(name(view.dtype)) \(extents)"
  }

  private static func name(_ dtype: UInt32) -> String {
    switch Int(dtype) {
    case EQP_DTYPE_F32: return "f32"
    case EQP_DTYPE_F64: return "f64"
    default: return "dtype \(dtype)"
    }
  }
}
