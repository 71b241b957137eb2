/// The steps of writing a checkpoint (`CheckpointSlot.write`), in order. A crash between any
/// two leaves a folder whose sidecar names a complete tensors file: before `sidecarRenamed`
/// the previous checkpoint's, from it on the new one's.
public enum CheckpointStep: String, CaseIterable, Sendable {
  /// The new tensors file's temporary copy is written and synced, not yet renamed.
  case tensorsWritten = "tensors-written"
  /// The new tensors file is in place; the sidecar still names the previous one.
  case tensorsRenamed = "tensors-renamed"
  /// The new sidecar's temporary copy is written and synced, not yet renamed.
  case sidecarWritten = "sidecar-written"
  /// The sidecar names the new tensors file; the previous one is not yet removed.
  case sidecarRenamed = "sidecar-renamed"
}
