import FuzzSupport

@testable import EqpropHost

// Each input is the content of a CIFAR-10 batch file, raw or gzip, read as
// `CIFARBatchFile.read` reads a file.
fuzz { bytes in
  guard let file = try? CIFARBatchFile.read(from: openContent(bytes: bytes, path: "fuzz.bin"))
  else { return }
  // An accepted file holds one image per label, every label a class.
  expect(
    file.pixels.count == file.labels.count * CIFARBatchFile.pixelsPerImage,
    "\(file.labels.count) labels but \(file.pixels.count) pixels")
  expect(file.labels.allSatisfy { $0 < CIFARBatchFile.classCount }, "a label is not a class")
}
