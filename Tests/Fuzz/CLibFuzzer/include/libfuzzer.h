// libFuzzer's driver, as compiler-rt declares it (FuzzerInterface.h is not installed with
// Swift's toolchain). The fuzz targets call it from their own `main`, because SwiftPM renames
// an executable's `main` and so keeps libFuzzer's out of the link.
#include <stddef.h>
#include <stdint.h>

/// Parses libFuzzer's flags and corpus folders in `argc`/`argv` and runs `test` on each input,
/// as libFuzzer's own `main` does; returns the exit status it would exit with.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*test)(const uint8_t *data, size_t size));
