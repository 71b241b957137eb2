import CCrypto

/// SHA-256 through OpenSSL's libcrypto, as lowercase hex (what `sha256sum` prints): run.json
/// records one per plugin library, a checkpoint's sidecar one for its tensors file.
public enum SHA256Digest {
  /// The digest of `parts` read one after another, as if they were one byte string.
  public static func hex(of parts: [[UInt8]]) -> String {
    let context = EVP_MD_CTX_new()
    defer { EVP_MD_CTX_free(context) }
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    // SHA-256 cannot fail on memory already allocated; a 0 status would leave length 0 and
    // give an empty string, which never matches a recorded digest.
    guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else { return "" }
    for part in parts {
      _ = part.withUnsafeBytes { EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
    }
    _ = EVP_DigestFinal_ex(context, &digest, &length)
    return digest.prefix(Int(length)).map { byte in
      let text = String(byte, radix: 16)
      return byte < 16 ? "0" + text : text
    }.joined()
  }

  /// The digest of the file at `path`.
  static func hex(ofFile path: String) throws(SystemCallFailure) -> String {
    hex(of: [try ReadableFile(path: path).readToEnd()])
  }
}
