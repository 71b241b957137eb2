import FuzzSupport

@testable import EqpropHost

// Each input is the signature string of an extension function, read up to its first NUL and
// decoded as `String(cString:)` decodes a plugin's `const char *`.
fuzz { bytes in
  let text = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
  guard case .success(let signature) = FunctionSignature.parse(text) else { return }
  // An accepted signature is written back as the text it was read from.
  expect(signature.description == text, "\(text) is written back as \(signature)")
}
