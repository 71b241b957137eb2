@preconcurrency import CEqprop
import EqpropPluginSDK

/// The dense model's view of an `EQP_ModelEval`, checked by the SDK against its layout.
typealias DenseEval = ModelEvalView<DenseWorkspace>

extension DenseWorkspace: BatchWorkspace {}
