import FuzzSupport

@testable import EqpropHost

// Each input is the content of an IDX file, raw or gzip, read as `IDXFile.read` reads a file.
fuzz { bytes in
  guard let file = try? IDXFile.read(from: openContent(bytes: bytes, path: "fuzz.idx")) else {
    return
  }
  // An accepted file holds exactly the bytes its dimensions call for.
  expect(file.data.count == file.dimensions.reduce(1, *), "data does not match dimensions")
}
