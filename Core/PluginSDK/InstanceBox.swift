/// Plugin instances cross the ABI as opaque pointers to retained Swift objects.
public enum InstanceBox {
  /// A +1 reference to `object` as an opaque pointer; `release` balances it.
  public static func retain<T: AnyObject>(_ object: T) -> OpaquePointer {
    OpaquePointer(Unmanaged.passRetained(object).toOpaque())
  }

  /// The object behind `pointer` (nil for NULL), without changing its reference count.
  public static func object<T: AnyObject>(_ pointer: OpaquePointer?, as type: T.Type) -> T? {
    guard let pointer else { return nil }
    return Unmanaged<T>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
  }

  /// Balances `retain`; NULL does nothing (destroy functions take NULL).
  public static func release<T: AnyObject>(_ pointer: OpaquePointer?, as type: T.Type) {
    guard let pointer else { return }
    Unmanaged<T>.fromOpaque(UnsafeRawPointer(pointer)).release()
  }
}
