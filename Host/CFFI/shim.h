#include <ffi.h>

/* The ffi_type descriptors as pointers. Swift sees libffi's `ffi_type_*` as mutable globals,
 * and a pointer formed from `&global` in Swift is only valid for one call; these return the
 * globals' real, permanent addresses. */
static inline ffi_type *cffi_type_void(void) { return &ffi_type_void; }
static inline ffi_type *cffi_type_sint32(void) { return &ffi_type_sint32; }
static inline ffi_type *cffi_type_sint64(void) { return &ffi_type_sint64; }
static inline ffi_type *cffi_type_float(void) { return &ffi_type_float; }
static inline ffi_type *cffi_type_double(void) { return &ffi_type_double; }
static inline ffi_type *cffi_type_pointer(void) { return &ffi_type_pointer; }
