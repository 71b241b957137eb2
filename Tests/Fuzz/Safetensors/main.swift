import FuzzSupport

@testable import EqpropHost

// Each input is the bytes of a safetensors file, read as `SafetensorsFile.read` reads a file.
fuzz { bytes in
  guard let file = try? SafetensorsFile.decode(bytes, file: "fuzz.safetensors") else { return }
  // What the reader accepts, the writer writes back, and the reader reads the same again: a
  // resumed run rewrites the checkpoints it read.
  let written: [UInt8]
  do {
    written = try SafetensorsFile.encoded(
      tensors: file.tensors, metadata: file.metadata, for: "rewritten.safetensors"
    ).flatMap { $0 }
  } catch {
    fatalError("an accepted file cannot be written back: \(error)")
  }
  expect(
    (try? SafetensorsFile.decode(written, file: "rewritten.safetensors")) == file,
    "the rewritten file reads differently")
}
