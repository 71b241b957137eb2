/*
 * eqprop.h — the eqprop plugin ABI, version 1.3.
 *
 * This header is the whole contract between the `eqprop` host and its plugins (models,
 * dynamics, learners, communicators). A plugin written in C builds against it alone:
 *
 *     cc -shared -fPIC -std=c11 -I Core/ABI/include my_plugin.c -o libmy_plugin.so
 *
 * Rules (docs/ABI.md has the long form):
 *  - Every versioned struct starts with `size_t struct_size`, set by the side that fills it to
 *    the END OFFSET of its last field (the EQP_*_STRUCT_SIZE constants below), not sizeof.
 *  - A reader reads a field only if struct_size reaches its end (EQP_HAS); a missing field or a
 *    NULL function pointer means "absent, use the default". Fill structs after zeroing them.
 *  - Minor versions only append: fields, function pointers, status codes, capability bits,
 *    dtypes, kinds. Nothing is removed, reordered or retyped without a new major.
 *  - Arrays of versioned structs are arrays of POINTERS, so each element carries its own
 *    struct_size and a grown struct never changes an array's stride.
 *  - An out-struct (one a callee fills, marked "Filled by"): the caller zeroes it and sets
 *    struct_size to its own size; the callee writes no byte past that size and leaves
 *    struct_size as the smaller of the two sizes.
 *  - Ownership, lifetime and NULL-ness are written beside each field. In short: the host owns
 *    every tensor, message and buffer that crosses; a plugin owns only its instances.
 *  - Only C crosses: no exceptions, longjmp or traps; fallible calls return EQP_Status and put
 *    a sentence into the host-owned EQP_Error sink.
 *
 * Layer order: states are indexed FROM THE OUTPUT (layer 0 = output), as in the papers'
 * PyTorch code (spec §1).
 *
 * Compiles as C11 with -Wall -Wextra -pedantic and as C++; includes only stddef.h, stdint.h.
 */
#ifndef EQPROP_H
#define EQPROP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ========================================================================================== */
/* Versions                                                                                   */
/* ========================================================================================== */

/* The version this header describes. Each side reports the version it was COMPILED with. */
enum { EQP_ABI_MAJOR = 1, EQP_ABI_MINOR = 3 };

/* First bytes of EQP_Library after struct_size: 'E','Q','P','1' read as a little-endian u32. */
enum { EQP_LIBRARY_MAGIC = 0x31505145 };

/* True when the struct at p (a pointer to Type, may be NULL) reaches the end of `field`. */
#define EQP_HAS(p, Type, field) \
  ((p) != NULL && (p)->struct_size >= offsetof(Type, field) + sizeof(((const Type *)0)->field))

/* End offset of a field: what struct_size is set to. */
#define EQP_END_OF(Type, field) (offsetof(Type, field) + sizeof(((const Type *)0)->field))

/* ========================================================================================== */
/* Status codes and the error sink                                                            */
/* ========================================================================================== */

/* Result of every fallible call. A reader treats an unknown code as EQP_ERR_INTERNAL. */
typedef int32_t EQP_Status;
enum {
  EQP_OK = 0,
  EQP_ERR_INVALID_ARGUMENT = 1, /* bad shape, dtype, option value, NULL where required */
  EQP_ERR_UNSUPPORTED = 2,      /* valid request the callee does not implement */
  EQP_ERR_ABI_MISMATCH = 3,     /* versions or struct sizes that cannot work together */
  EQP_ERR_OUT_OF_MEMORY = 4,
  EQP_ERR_NUMERIC = 5,          /* NaN, Inf, divergence */
  EQP_ERR_NOT_FOUND = 6,        /* missing option, extension, file */
  EQP_ERR_IO = 7,               /* reading or writing a file failed */
  EQP_ERR_CANCELLED = 8,        /* a callback asked to stop */
  EQP_ERR_INTERNAL = 9          /* a bug: the message says where */
};

/* Host-owned message sink. Plugins never allocate, free or inspect its layout: they call
 * host->error->set(err, code, "sentence"), which copies the text. */
typedef struct EQP_Error EQP_Error;

/* ========================================================================================== */
/* Tensors                                                                                    */
/* ========================================================================================== */

/* Element types. Stored as uint32_t in structs. A reader refuses an unknown dtype. */
enum {
  EQP_DTYPE_INVALID = 0,
  EQP_DTYPE_F32 = 1, /* training */
  EQP_DTYPE_F64 = 2, /* gradient-matching checks */
  EQP_DTYPE_I32 = 3,
  EQP_DTYPE_I64 = 4, /* pooling indices, labels */
  EQP_DTYPE_U8 = 5   /* raw pixels */
};

/* Where a tensor's data lives. A kernel table serves one device type. */
enum { EQP_DEVICE_CPU = 1, EQP_DEVICE_CUDA = 2 };

/* A borrowed view of an n-dimensional array, modelled on DLPack's DLTensor.
 *
 * FROZEN: unlike every other struct this one has no struct_size; its layout changes only with
 * a major version (as DLTensor's does), so arrays of it have a fixed stride.
 * A view passed into a call is borrowed until the call returns; to keep data, copy it. */
typedef struct EQP_Tensor {
  void *data;             /* first element (plus byte_offset); device memory for non-CPU.
                             NULL only when the tensor has no elements. */
  uint64_t byte_offset;   /* added to data */
  const int64_t *shape;   /* ndim sizes; owned by whoever owns the view */
  const int64_t *strides; /* ndim strides IN ELEMENTS, or NULL for contiguous row-major */
  int32_t ndim;           /* 0 (scalar) ... 8 */
  uint32_t dtype;         /* EQP_DTYPE_* */
  int32_t device_type;    /* EQP_DEVICE_* */
  int32_t device_id;
  uint64_t flags;         /* reserved, 0 */
} EQP_Tensor;

/* ========================================================================================== */
/* Opaque handles                                                                             */
/* ========================================================================================== */

/* Plugin-owned instances: created by the vtable's create, released by its destroy. */
typedef struct EQP_ModelInstance EQP_ModelInstance;
typedef struct EQP_DynamicsInstance EQP_DynamicsInstance;
typedef struct EQP_LearnerInstance EQP_LearnerInstance;
typedef struct EQP_CommunicatorInstance EQP_CommunicatorInstance; /* 1.3 */
/* Plugin-owned scratch memory of a model for one batch size and dtype. */
typedef struct EQP_Workspace EQP_Workspace;

/* Host-owned handles. */
typedef struct EQP_Options EQP_Options;         /* a plugin's resolved config section */
typedef struct EQP_Rng EQP_Rng;                 /* a seeded random stream */
typedef struct EQP_ModelHandle EQP_ModelHandle; /* a model instance bound by the host */
typedef struct EQP_Session EQP_Session;         /* one training session, for learners */
typedef struct EQP_TensorSet EQP_TensorSet;     /* an ordered list of host-owned tensors */

/* Described further below. */
typedef struct EQP_ModelLayout EQP_ModelLayout;

/* A typed, size-prefixed link in an extension chain (Vulkan's pNext, PJRT's extension_start).
 * Every `next` field is NULL in 1.0; readers skip types they do not know. */
typedef struct EQP_Extension {
  size_t struct_size;
  uint32_t type;
  uint32_t reserved; /* 0 */
  const struct EQP_Extension *next;
} EQP_Extension;
enum { EQP_Extension_STRUCT_SIZE = EQP_END_OF(EQP_Extension, next) };

/* ========================================================================================== */
/* Host tables: what the host offers every plugin                                             */
/* ========================================================================================== */

/* --- error ------------------------------------------------------------------------------ */
typedef struct EQP_HostErrorApi {
  size_t struct_size;
  /* Copies `message` (UTF-8, may be NULL) into err and returns `code`, so a plugin can write
   * `return host->error->set(err, EQP_ERR_INVALID_ARGUMENT, "...")`. err may be NULL (then
   * only `code` is returned). A second set on the same sink keeps the first message and
   * appends the new one after ": ", so messages chain outward-in. Thread-safe per sink. */
  EQP_Status (*set)(EQP_Error *err, EQP_Status code, const char *message);
  /* The code and message of a sink; message owned by the sink, valid until the next set. */
  EQP_Status (*code)(const EQP_Error *err);
  const char *(*message)(const EQP_Error *err);
} EQP_HostErrorApi;
enum { EQP_HostErrorApi_STRUCT_SIZE = EQP_END_OF(EQP_HostErrorApi, message) };

/* --- log -------------------------------------------------------------------------------- */
enum {
  EQP_LOG_TRACE = 0,
  EQP_LOG_DEBUG = 1,
  EQP_LOG_INFO = 2,
  EQP_LOG_NOTICE = 3,
  EQP_LOG_WARNING = 4,
  EQP_LOG_ERROR = 5
};
typedef struct EQP_HostLogApi {
  size_t struct_size;
  /* Logs one line. `source` is the plugin id (may be NULL); text is copied. Thread-safe. */
  void (*write)(int32_t level, const char *source, const char *message);
  /* Nonzero when a line at `level` would be shown: skip formatting costly messages. */
  int32_t (*enabled)(int32_t level);
} EQP_HostLogApi;
enum { EQP_HostLogApi_STRUCT_SIZE = EQP_END_OF(EQP_HostLogApi, enabled) };

/* --- memory ----------------------------------------------------------------------------- */
typedef struct EQP_HostMemoryApi {
  size_t struct_size;
  /* Host heap. `alignment` is a power of two ≤ 4096 (0 = 64). Returns NULL on failure or for
   * bytes == 0. Freed only by free(); free(NULL) does nothing. Thread-safe. */
  void *(*alloc)(size_t bytes, size_t alignment);
  void (*free)(void *ptr);
  /* Allocates a zeroed contiguous tensor; the view's shape array and data belong to the host
   * until tensor_free(out). On failure *out is untouched. */
  EQP_Status (*tensor_alloc)(uint32_t dtype, int32_t ndim, const int64_t *shape,
                             int32_t device_type, EQP_Tensor *out, EQP_Error *err);
  void (*tensor_free)(EQP_Tensor *tensor); /* NULL or a zeroed view: does nothing */
} EQP_HostMemoryApi;
enum { EQP_HostMemoryApi_STRUCT_SIZE = EQP_END_OF(EQP_HostMemoryApi, tensor_free) };

/* --- rng -------------------------------------------------------------------------------- */
/* Randomness comes from the host so a seeded run replays; never use rand() or the clock. */
typedef struct EQP_HostRngApi {
  size_t struct_size;
  uint64_t (*next_u64)(EQP_Rng *rng);
  double (*uniform)(EQP_Rng *rng); /* [0, 1) */
  double (*normal)(EQP_Rng *rng);  /* mean 0, variance 1 */
  /* Fills a CPU f32/f64 tensor with U[low, high). */
  EQP_Status (*fill_uniform)(EQP_Rng *rng, EQP_Tensor *t, double low, double high,
                             EQP_Error *err);
} EQP_HostRngApi;
enum { EQP_HostRngApi_STRUCT_SIZE = EQP_END_OF(EQP_HostRngApi, fill_uniform) };

/* --- config ----------------------------------------------------------------------------- */
/* A plugin's options arrive as an EQP_Options handle: the plugin's section of the run's
 * config, already checked by the host against the plugin's EQP_OptionSpec list (unknown keys,
 * types, bounds) and with every default filled in. `key` is a path inside the section:
 * "beta", "sizes", "layers[2].kernel". Getters return EQP_ERR_NOT_FOUND for an absent key and
 * EQP_ERR_INVALID_ARGUMENT (naming the full config path) for a wrong type. */
typedef struct EQP_HostConfigApi {
  size_t struct_size;
  EQP_Status (*get_bool)(const EQP_Options *o, const char *key, int32_t *out, EQP_Error *err);
  EQP_Status (*get_i64)(const EQP_Options *o, const char *key, int64_t *out, EQP_Error *err);
  EQP_Status (*get_f64)(const EQP_Options *o, const char *key, double *out, EQP_Error *err);
  /* *out is owned by the options handle and valid as long as it is. */
  EQP_Status (*get_str)(const EQP_Options *o, const char *key, const char **out,
                        EQP_Error *err);
  /* Number of elements of a list (or keys of a map) at key. */
  EQP_Status (*get_count)(const EQP_Options *o, const char *key, size_t *out, EQP_Error *err);
  /* Copies up to `capacity` numbers of a list into buf; *count gets the list's length (so a
   * first call with capacity 0 sizes the buffer). */
  EQP_Status (*get_i64_list)(const EQP_Options *o, const char *key, int64_t *buf,
                             size_t capacity, size_t *count, EQP_Error *err);
  EQP_Status (*get_f64_list)(const EQP_Options *o, const char *key, double *buf,
                             size_t capacity, size_t *count, EQP_Error *err);
  /* The section's path in the config ("model"), for messages. Owned by the handle. */
  const char *(*path)(const EQP_Options *o);
} EQP_HostConfigApi;
enum { EQP_HostConfigApi_STRUCT_SIZE = EQP_END_OF(EQP_HostConfigApi, path) };

/* --- kernel ----------------------------------------------------------------------------- */
/* Activations. sigm(a) = 1/(1+exp(-4(a-1/2))) is the spec's default; its derivative is
 * 4 sigm (1 - sigm). hardsigm(a) = clip(a, 0, 1) with derivative 1 on the CLOSED interval
 * [0, 1] (spec pitfall 5). */
enum {
  EQP_ACT_IDENTITY = 1,
  EQP_ACT_SIGM = 2,
  EQP_ACT_HARDSIGM = 3,
  EQP_ACT_SIGMOID = 4,
  EQP_ACT_TANH = 5
};

/* The tensor kernel: one implementation per process, shared by every plugin.
 *
 * Conventions for every entry:
 *  - Array pointers are device pointers of `device_type`, 64-byte alignment not required but
 *    element alignment is; arrays are contiguous row-major with the given leading dimensions.
 *    Scalar results (`out` of dot, max_abs_diff, count_nonfinite, argmax_rows) are HOST
 *    memory, whatever the device.
 *  - `dtype` is EQP_DTYPE_F32 or _F64; scalars are passed as double and converted. Sums of
 *    dot and max_abs_diff accumulate in double; sum_rows and gemm in the tensor's dtype.
 *  - Inputs and outputs may alias only when the comment says so, and then only as IDENTICAL
 *    pointers; partial overlap is undefined.
 *  - beta = 0 (gemm, axpby, sum_rows) ignores the old contents of the output, NaN included.
 *  - NaN propagates: every elementwise op maps NaN to NaN, max_abs_diff returns NaN when any
 *    difference is NaN, clip leaves NaN in place, argmax_rows returns the index of a row's
 *    first NaN. Nothing is silently dropped.
 *  - Sizes are ≥ 0; gemm's m, n, k and leading dimensions must fit in 31 bits (BLAS).
 *  - Each entry validates its arguments and returns EQP_ERR_INVALID_ARGUMENT (bad size,
 *    NULL pointer, small leading dimension, misaligned pointer, low > high) or
 *    EQP_ERR_UNSUPPORTED (a dtype or activation this table does not implement) with a
 *    sentence in `err`, written through the host's error API; it never traps.
 *  - Hot math takes positional arguments; a new parameter means a new entry (`gemm_v2`).
 *  - Thread-safe: ops may run concurrently on disjoint outputs. */
typedef struct EQP_HostKernelApi {
  size_t struct_size;
  int32_t device_type; /* EQP_DEVICE_* this table serves */
  int32_t reserved;    /* 0 */
  /* C[m×n] = alpha · op(A) · op(B) + beta · C, op(X) = X or Xᵀ (trans nonzero). C must
   * not overlap A or B. */
  EQP_Status (*gemm)(uint32_t dtype, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n,
                     int64_t k, double alpha, const void *a, int64_t lda, const void *b,
                     int64_t ldb, double beta, void *c, int64_t ldc, EQP_Error *err);
  /* Batched outer-product accumulation: C[m×n] += alpha · Σ_b a[b,:]ᵀ b[b,:], with a
   * batch×m and b batch×n (the Hebbian term of EP). */
  EQP_Status (*outer_acc)(uint32_t dtype, int64_t batch, int64_t m, int64_t n, double alpha,
                          const void *a, const void *b, void *c, EQP_Error *err);
  /* y = act(x), elementwise over n; x and y may alias. Unknown act: UNSUPPORTED. */
  EQP_Status (*activate)(uint32_t dtype, int32_t act, int64_t n, const void *x, void *y,
                         EQP_Error *err);
  /* y = act'(x) elementwise; x and y may alias. */
  EQP_Status (*activate_grad)(uint32_t dtype, int32_t act, int64_t n, const void *x, void *y,
                              EQP_Error *err);
  /* y = alpha · x + beta · y over n (beta = 0 ignores y's old contents, NaN included). */
  EQP_Status (*axpby)(uint32_t dtype, int64_t n, double alpha, const void *x, double beta,
                      void *y, EQP_Error *err);
  /* z = x ⊙ y elementwise; any may alias. */
  EQP_Status (*mul)(uint32_t dtype, int64_t n, const void *x, const void *y, void *z,
                    EQP_Error *err);
  /* y[r, :] += alpha · v for each of `rows` rows of length cols (bias broadcast). */
  EQP_Status (*add_row_vector)(uint32_t dtype, int64_t rows, int64_t cols, double alpha,
                               const void *v, void *y, EQP_Error *err);
  /* v = alpha · Σ_r x[r, :] + beta · v (bias gradients). */
  EQP_Status (*sum_rows)(uint32_t dtype, int64_t rows, int64_t cols, double alpha,
                         const void *x, double beta, void *v, EQP_Error *err);
  /* x = clamp(x, low, high) elementwise; low ≤ high, neither NaN. */
  EQP_Status (*clip)(uint32_t dtype, int64_t n, double low, double high, void *x,
                     EQP_Error *err);
  EQP_Status (*fill)(uint32_t dtype, int64_t n, double value, void *x, EQP_Error *err);
  /* y = x, n elements; converts when the dtypes differ (f32 <-> f64, round to nearest). */
  EQP_Status (*convert)(uint32_t x_dtype, uint32_t y_dtype, int64_t n, const void *x, void *y,
                        EQP_Error *err);
  /* *out = Σ x ⊙ y, accumulated in double. */
  EQP_Status (*dot)(uint32_t dtype, int64_t n, const void *x, const void *y, double *out,
                    EQP_Error *err);
  /* *out = max |x − y| (convergence test); 0 for n = 0. */
  EQP_Status (*max_abs_diff)(uint32_t dtype, int64_t n, const void *x, const void *y,
                             double *out, EQP_Error *err);
  /* out[r] = index of the first maximum of row r (rows × cols; cols ≥ 1 when rows > 0). */
  EQP_Status (*argmax_rows)(uint32_t dtype, int64_t rows, int64_t cols, const void *x,
                            int64_t *out, EQP_Error *err);
  /* *out = number of NaN or infinite elements. */
  EQP_Status (*count_nonfinite)(uint32_t dtype, int64_t n, const void *x, int64_t *out,
                                EQP_Error *err);
  /* y = 1 where low < x < high (strictly), 0 elsewhere, NaN where x is NaN: the derivative
   * of clip, for the vjp of a clipped step (a unit that ended on its bound passes no
   * gradient). x and y may alias; low ≤ high, neither NaN. */
  EQP_Status (*interior_mask)(uint32_t dtype, int64_t n, double low, double high,
                              const void *x, void *y, EQP_Error *err);
  /* --- 1.1: convolution and pooling (read them only when EQP_HAS says the host has them) --
   *
   * Layout: NCHW, contiguous, batch first. A convolution is described by its FORWARD
   * geometry, the same arguments for the three convolution entries:
   *   x       [batch, in_channels, in_h, in_w]     (the input of the forward)
   *   weight  [out_channels, in_channels, kernel_h, kernel_w]
   *   bias    [out_channels]
   *   y       [batch, out_channels, out_h, out_w], out_h = (in_h + 2·pad_h − kernel_h) /
   *           stride_h + 1 rounded down (out_w likewise); it must be ≥ 1.
   * kernel_* ≥ 1, stride_* ≥ 1, pad_* ≥ 0 (zero padding on both sides). The forward is a
   * cross-correlation, as PyTorch's conv2d (no kernel flip):
   *   conv(x)[b,o,i,j] = Σ_{c,u,v} weight[o,c,u,v] · x[b,c, i·stride_h + u − pad_h,
   *                                                       j·stride_w + v − pad_w]
   * with x = 0 outside the image. Sums are in the tensor's dtype. Pooling windows never
   * pad: out_h = (in_h − pool_h) / stride_h + 1 rounded down, ≥ 1. Pooling indices are
   * int64 offsets inside one (batch, channel) plane of the pooled-from tensor: h·in_w + w, as
   * PyTorch's max_pool2d returns them. No input may overlap an output. */
  /* y = alpha · (conv(x) + bias) + beta · y. bias may be NULL (none); beta = 0 ignores y's
   * old contents, NaN included. */
  EQP_Status (*conv2d)(uint32_t dtype, int64_t batch, int64_t in_channels, int64_t in_h,
                       int64_t in_w, int64_t out_channels, int64_t kernel_h, int64_t kernel_w,
                       int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w,
                       double alpha, const void *x, const void *weight, const void *bias,
                       double beta, void *y, EQP_Error *err);
  /* x = alpha · convᵀ(y) + beta · x: the adjoint of conv2d with respect to its input (the
   * transposed convolution with the same weight, no bias), y shaped like conv2d's output
   * and x like its input. Input positions no window reads receive beta · x only. Zero
   * elements of y may be skipped (an unpooled tensor is mostly zeros), so a non-finite
   * weight reaches x only through the nonzero elements of y. */
  EQP_Status (*conv2d_transpose)(uint32_t dtype, int64_t batch, int64_t in_channels,
                                 int64_t in_h, int64_t in_w, int64_t out_channels,
                                 int64_t kernel_h, int64_t kernel_w, int64_t stride_h,
                                 int64_t stride_w, int64_t pad_h, int64_t pad_w, double alpha,
                                 const void *y, const void *weight, double beta, void *x,
                                 EQP_Error *err);
  /* The weight gradient of conv2d, accumulated:
   *   weight_grad[o,c,u,v] += alpha · Σ_{b,i,j} dy[b,o,i,j] · x[b,c, i·stride_h + u − pad_h,
   *                                                              j·stride_w + v − pad_w]
   * and, when bias_grad is not NULL, bias_grad[o] += alpha · Σ_{b,i,j} dy[b,o,i,j].
   * x is conv2d's input, dy shaped like its output. */
  EQP_Status (*conv2d_weight_grad)(uint32_t dtype, int64_t batch, int64_t in_channels,
                                   int64_t in_h, int64_t in_w, int64_t out_channels,
                                   int64_t kernel_h, int64_t kernel_w, int64_t stride_h,
                                   int64_t stride_w, int64_t pad_h, int64_t pad_w,
                                   double alpha, const void *x, const void *dy,
                                   void *weight_grad, void *bias_grad, EQP_Error *err);
  /* Max pooling of x [batch, channels, in_h, in_w] over pool_h × pool_w windows moved by
   * stride: y [batch, channels, out_h, out_w] = each window's maximum and, when indices is
   * not NULL, indices (same shape, int64, device memory like x) = where it sits.
   * Ties go to the FIRST maximum in row-major order within the window; a window holding NaN
   * gives NaN and the index of its first NaN. */
  EQP_Status (*maxpool2d)(uint32_t dtype, int64_t batch, int64_t channels, int64_t in_h,
                          int64_t in_w, int64_t pool_h, int64_t pool_w, int64_t stride_h,
                          int64_t stride_w, const void *x, void *y, int64_t *indices,
                          EQP_Error *err);
  /* The adjoint of pooling at given indices (max-unpooling): y [batch, channels, in_h,
   * in_w] = 0 except y[b,c,indices[b,c,k]] += x[b,c,k] for every element k of x [batch,
   * channels, out_h, out_w]. Overwrites y. Every index must lie in [0, in_h·in_w): a call
   * with one outside is refused before anything is written. */
  EQP_Status (*maxunpool2d)(uint32_t dtype, int64_t batch, int64_t channels, int64_t in_h,
                            int64_t in_w, int64_t out_h, int64_t out_w, const void *x,
                            const int64_t *indices, void *y, EQP_Error *err);
  /* Pooling at given indices: y[b,c,k] = x[b,c,indices[b,c,k]], x [batch, channels, in_h,
   * in_w], y and indices [batch, channels, out_h, out_w]: the adjoint of maxunpool2d, i.e.
   * the derivative of maxpool2d with its indices held fixed. Indices as for maxunpool2d. */
  EQP_Status (*pool_gather2d)(uint32_t dtype, int64_t batch, int64_t channels, int64_t in_h,
                              int64_t in_w, int64_t out_h, int64_t out_w, const void *x,
                              const int64_t *indices, void *y, EQP_Error *err);
} EQP_HostKernelApi;
enum {
  EQP_HostKernelApi_MIN_SIZE = EQP_END_OF(EQP_HostKernelApi, interior_mask), /* 1.0 */
  EQP_HostKernelApi_STRUCT_SIZE = EQP_END_OF(EQP_HostKernelApi, pool_gather2d)
};

/* --- model calls, forwarded by the host -------------------------------------------------- */

/* Everything a model call reads. Filled by the host (or by a dynamics/learner through the
 * host). All tensors are borrowed for the call; their batch dimension is `batch`. */
typedef struct EQP_ModelEval {
  size_t struct_size;
  EQP_Workspace *workspace;  /* from the model's workspace_create for this batch and dtype */
  const EQP_Tensor *params;  /* θ, param_count views in the order of EQP_ModelLayout.params */
  size_t param_count;
  const EQP_Tensor *states;  /* s, layer_count views [batch, ...layer shape], 0 = output */
  size_t layer_count;
  const EQP_Tensor *input;   /* x [batch, ...input shape] */
  const EQP_Tensor *target;  /* y [batch, class_count] one-hot; NULL outside training */
  int64_t batch;
} EQP_ModelEval;
enum { EQP_ModelEval_STRUCT_SIZE = EQP_END_OF(EQP_ModelEval, batch) };

/* The host's forwarders to the bound model (see EQP_ModelVTable for each call's meaning), so
 * a dynamics or learner never calls a model's vtable directly. Before the model runs they
 * check the count, dtype and extents of every tensor view against the model's layout
 * (EQP_ERR_INVALID_ARGUMENT otherwise); what lies behind a view's data pointer, and the length
 * of per_example, cannot be checked. An absent optional function returns EQP_ERR_UNSUPPORTED.
 * A failure's message names the model and the call. */
typedef struct EQP_HostModelApi {
  size_t struct_size;
  const EQP_ModelLayout *(*layout)(const EQP_ModelHandle *m); /* owned by the model */
  uint64_t (*capabilities)(const EQP_ModelHandle *m);
  EQP_Status (*prepare)(EQP_ModelHandle *m, const EQP_ModelEval *ev, EQP_Error *err);
  EQP_Status (*drive)(EQP_ModelHandle *m, const EQP_ModelEval *ev, EQP_Tensor *out,
                      EQP_Error *err);
  EQP_Status (*param_grad)(EQP_ModelHandle *m, const EQP_ModelEval *ev, double coeff,
                           EQP_Tensor *grads, EQP_Error *err);
  EQP_Status (*cost)(EQP_ModelHandle *m, const EQP_ModelEval *ev, double *per_example,
                     EQP_Error *err);
  EQP_Status (*cost_grad)(EQP_ModelHandle *m, const EQP_ModelEval *ev, double coeff,
                          EQP_Tensor *grad_states, EQP_Tensor *grad_params, EQP_Error *err);
  EQP_Status (*predict)(EQP_ModelHandle *m, const EQP_ModelEval *ev, EQP_Tensor *scores,
                        EQP_Error *err);
  EQP_Status (*vjp)(EQP_ModelHandle *m, const EQP_ModelEval *ev, const EQP_Tensor *cot_out,
                    EQP_Tensor *cot_states, EQP_Tensor *cot_params, EQP_Error *err);
  EQP_Status (*phi)(EQP_ModelHandle *m, const EQP_ModelEval *ev, double *per_example,
                    EQP_Error *err);
  /* --- 1.1 --- */
  /* The model's step_update, or Φ_θ(after) − Φ_θ(ev->states) through param_grad when the
   * model has none. */
  EQP_Status (*step_update)(EQP_ModelHandle *m, const EQP_ModelEval *ev,
                            const EQP_Tensor *after, double coeff, EQP_Tensor *grads,
                            EQP_Error *err);
} EQP_HostModelApi;
enum { EQP_HostModelApi_STRUCT_SIZE = EQP_END_OF(EQP_HostModelApi, step_update) };

/* --- dynamics: running phases ------------------------------------------------------------ */

/* Where a relaxation starts (EQP_RelaxArgs.start). */
enum {
  EQP_START_DEFAULT = 0,    /* zero, or the persistent states if the dynamics keeps them */
  EQP_START_CURRENT = 1,    /* from the states as they are (the nudged phase) */
  EQP_START_ZERO = 2,
  EQP_START_PERSISTENT = 3  /* the host loads each example's stored state, and stores the
                               final state back after the run */
};

/* Called after every step with the state before and after it (layer_count views each,
 * borrowed for the call). Returning non-OK stops the run with that status (EQP_ERR_CANCELLED
 * to stop cleanly). C-EP applies its per-step update here, BPTT records its tape, checks
 * record their series. */
typedef EQP_Status (*EQP_StepCallback)(void *user_data, int64_t step, const EQP_Tensor *before,
                                       const EQP_Tensor *after, size_t layer_count,
                                       EQP_Error *err);

/* What a dynamics' run reports. Filled by the dynamics. */
typedef struct EQP_RunResult {
  size_t struct_size;
  int64_t steps_used; /* out: steps taken (≤ requested when stopping on convergence) */
  double residual;    /* out: ‖s_{t+1} − s_t‖∞ of the last step */
  int32_t converged;  /* out: nonzero when the residual fell below the tolerance */
  int32_t reserved;
} EQP_RunResult;
enum { EQP_RunResult_STRUCT_SIZE = EQP_END_OF(EQP_RunResult, reserved) };

/* --- learner session --------------------------------------------------------------------- */

typedef struct EQP_RelaxArgs {
  size_t struct_size;
  EQP_TensorSet *states; /* in/out: the states to evolve, from states_create */
  double beta;           /* nudge strength (0: free phase); signed for random-sign EP */
  int64_t steps;         /* 0 = the dynamics' configured free-phase length */
  uint32_t start;        /* EQP_START_* */
  uint32_t flags;        /* EQP_RELAX_* */
  EQP_StepCallback on_step; /* [optional] */
  void *user_data;          /* passed to on_step; owned by the caller */
} EQP_RelaxArgs;
enum { EQP_RelaxArgs_STRUCT_SIZE = EQP_END_OF(EQP_RelaxArgs, user_data) };
enum { EQP_RELAX_NO_EARLY_STOP = 1 }; /* run all steps even when converged */

/* A learner's view of the host session for one minibatch: the states, parameters, gradient
 * buffers and the phases it may run. Tensor sets are host-owned; their tensors have the
 * shapes of the model's layout with the batch dimension first. */
typedef struct EQP_HostSessionApi {
  size_t struct_size;
  EQP_ModelHandle *(*model)(EQP_Session *s);
  int64_t (*batch_size)(const EQP_Session *s);
  uint32_t (*dtype)(const EQP_Session *s);
  EQP_Rng *(*rng)(EQP_Session *s); /* the session's seeded stream */
  /* Current θ, read-only for learners (the host applies updates). */
  const EQP_TensorSet *(*params)(EQP_Session *s);
  /* Zeroed state buffers [batch, ...layer] and gradient buffers shaped like θ. Allocate once
   * (e.g. at the first batch) and reuse: released with set_destroy or at session end. */
  EQP_Status (*states_create)(EQP_Session *s, EQP_TensorSet **out, EQP_Error *err);
  EQP_Status (*grads_create)(EQP_Session *s, EQP_TensorSet **out, EQP_Error *err);
  void (*set_destroy)(EQP_Session *s, EQP_TensorSet *set);
  /* The views of a set (*count of them); valid as long as the set. */
  EQP_Tensor *(*set_tensors)(const EQP_TensorSet *set, size_t *count);
  EQP_Status (*set_copy)(EQP_Session *s, EQP_TensorSet *dst, const EQP_TensorSet *src,
                         EQP_Error *err);
  EQP_Status (*set_zero)(EQP_Session *s, EQP_TensorSet *set, EQP_Error *err);
  /* Runs the session's dynamics on the states. */
  EQP_Status (*relax)(EQP_Session *s, const EQP_RelaxArgs *args, EQP_RunResult *out,
                      EQP_Error *err);
  /* grads += coeff · ∂Φ/∂θ(x, s), summed over the batch. */
  EQP_Status (*param_grad)(EQP_Session *s, const EQP_TensorSet *states, double coeff,
                           EQP_TensorSet *grads, EQP_Error *err);
  /* grad_states (+ grad_params if non-NULL) += coeff · ∂ℓ/∂(s, θ)(s, y). */
  EQP_Status (*cost_grad)(EQP_Session *s, const EQP_TensorSet *states, double coeff,
                          EQP_TensorSet *grad_states, EQP_TensorSet *grad_params,
                          EQP_Error *err);
  /* Backward through one step of the session's dynamics, s_t = before → s_{t+1} = after at
   * nudge beta: cot_before = (∂s_{t+1}/∂s_t)ᵀ cot_after; cot_params (if non-NULL) +=
   * (∂s_{t+1}/∂θ)ᵀ cot_after. */
  EQP_Status (*step_vjp)(EQP_Session *s, const EQP_TensorSet *before,
                         const EQP_TensorSet *after, double beta,
                         const EQP_TensorSet *cot_after, EQP_TensorSet *cot_before,
                         EQP_TensorSet *cot_params, EQP_Error *err);
  /* θ ← θ − scale · η_group · g, now (continual learners). */
  EQP_Status (*apply_update)(EQP_Session *s, const EQP_TensorSet *grads, double scale,
                             EQP_Error *err);
  /* Adds the batch's summed loss and number of misclassified examples for these states. */
  EQP_Status (*evaluate)(EQP_Session *s, const EQP_TensorSet *states, double *loss_sum,
                         int64_t *errors, EQP_Error *err);
  /* Records a scalar metric for this batch (averaged per epoch in the logs). */
  EQP_Status (*log_metric)(EQP_Session *s, const char *name, double value, EQP_Error *err);
  /* --- 1.1 --- */
  /* grads += coeff · Σ_batch Δθ(before → after): the model's local rule for one step of a
   * second phase (host->model->step_update), for continual learners (C-EP, C-VF). */
  EQP_Status (*step_update)(EQP_Session *s, const EQP_TensorSet *before,
                            const EQP_TensorSet *after, double coeff, EQP_TensorSet *grads,
                            EQP_Error *err);
  /* --- 1.2 --- */
  /* One step of a continual learner, fused: the same, to rounding, as a zeroed temp set from
   * grads_create, step_update(before, after, coeff, temp), then apply_update(temp, scale),
   * i.e. θ ← θ − scale · η_group · coeff · Σ_batch Δθ(before → after), with θ's cached terms
   * brought up to date. The host calls the model's apply_step (no gradient set, no prepare)
   * when the optimizer keeps no state (momentum 0) and the model instance has
   * EQP_MODEL_CAP_APPLY_STEP; otherwise it runs those three calls on a scratch set it owns. */
  EQP_Status (*apply_step)(EQP_Session *s, const EQP_TensorSet *before,
                           const EQP_TensorSet *after, double coeff, double scale,
                           EQP_Error *err);
} EQP_HostSessionApi;
enum { EQP_HostSessionApi_STRUCT_SIZE = EQP_END_OF(EQP_HostSessionApi, apply_step) };

/* --- the whole host table ---------------------------------------------------------------- */
/* Filled by the host; lives until the process exits. Each sub-table grows on its own; a
 * second kernel backend (a GPU) is another EQP_HostKernelApi. */
typedef struct EQP_HostApi {
  size_t struct_size;
  uint32_t abi_major; /* what the host was compiled with */
  uint32_t abi_minor;
  const EQP_HostErrorApi *error;
  const EQP_HostLogApi *log;
  const EQP_HostMemoryApi *memory;
  const EQP_HostRngApi *rng;
  const EQP_HostConfigApi *config;
  const EQP_HostKernelApi *kernel;
  const EQP_HostModelApi *model;
  const EQP_HostSessionApi *session;
  const EQP_Extension *next; /* NULL in 1.0 */
} EQP_HostApi;
enum { EQP_HostApi_STRUCT_SIZE = EQP_END_OF(EQP_HostApi, next) };

/* What eqp_plugin_entry receives. Filled by the host. */
typedef struct EQP_HostInfo {
  size_t struct_size;
  uint32_t abi_major; /* the host's compiled version */
  uint32_t abi_minor;
  const EQP_HostApi *api; /* lives until exit; plugins keep it from init, not from entry */
} EQP_HostInfo;
enum { EQP_HostInfo_STRUCT_SIZE = EQP_END_OF(EQP_HostInfo, api) };

/* ========================================================================================== */
/* Plugin descriptions                                                                        */
/* ========================================================================================== */

/* Option types (EQP_OptionSpec.type). */
enum {
  EQP_OPT_BOOL = 1,
  EQP_OPT_INT = 2,
  EQP_OPT_FLOAT = 3, /* an integer literal is accepted */
  EQP_OPT_STRING = 4,
  EQP_OPT_INT_LIST = 5,
  EQP_OPT_FLOAT_LIST = 6,
  EQP_OPT_TREE = 7 /* any YAML/TOML subtree; the plugin validates it through the config API */
};
/* Option flags. */
enum {
  EQP_OPT_REQUIRED = 1, /* no default: the config must give it */
  EQP_OPT_HAS_MIN = 2,  /* numbers (and list elements) must be ≥ min */
  EQP_OPT_HAS_MAX = 4   /* ... and ≤ max */
};

/* One accepted key of a plugin's config section. Static data of the plugin. */
typedef struct EQP_OptionSpec {
  size_t struct_size;
  const char *name;          /* key, [a-z0-9_]+ */
  uint32_t type;             /* EQP_OPT_* */
  uint32_t flags;            /* EQP_OPT_* flags */
  const char *default_value; /* YAML flow text ("0.5", "[784, 512, 10]", "sigm"); NULL when
                                required */
  const char *doc;           /* one line for `eqprop plugins` */
  double min;                /* with EQP_OPT_HAS_MIN */
  double max;                /* with EQP_OPT_HAS_MAX */
} EQP_OptionSpec;
enum { EQP_OptionSpec_STRUCT_SIZE = EQP_END_OF(EQP_OptionSpec, max) };

/* A function a plugin exports for the host to call through libffi (metrics, diagnostics,
 * commands), from `eqprop call` and from config hooks.
 *
 * Signature grammar: RET '(' ARG* ')', one letter each:
 *   RET: v void, i int32_t, l int64_t, f float, d double
 *   ARG: i int32_t, l int64_t, f float, d double, s const char * (UTF-8, borrowed),
 *        p the plugin's instance (EQP_ModelInstance * etc., supplied by the host),
 *        t const EQP_Tensor * (borrowed), P const EQP_TensorSet * (the session's θ),
 *        e EQP_Error * (the host's sink; a function that takes it reports failure there)
 * e.g. "d(pP)": double angle(EQP_ModelInstance *, const EQP_TensorSet *). */
typedef struct EQP_ExtensionFunction {
  size_t struct_size;
  const char *name;      /* [a-z0-9_]+, unique within the plugin */
  const char *signature; /* see above */
  void (*fn)(void);      /* the function, cast to its real type by the host */
  const char *doc;       /* one line */
} EQP_ExtensionFunction;
enum { EQP_ExtensionFunction_STRUCT_SIZE = EQP_END_OF(EQP_ExtensionFunction, doc) };

/* ------------------------------------------------------------------------------------------ */
/* Model                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* Model capabilities (EQP_PluginDescriptor.capabilities for a model). A bit keeps its meaning
 * forever; new bits arrive only in a minor. */
enum {
  EQP_MODEL_CAP_PHI = 1,        /* phi() gives Φ (or −E) per example */
  EQP_MODEL_CAP_VJP = 2,        /* vjp() is implemented */
  EQP_MODEL_CAP_F64 = 4,        /* accepts EQP_DTYPE_F64 */
  EQP_MODEL_CAP_ENERGY = 8,     /* drive is s − ∂E/∂s of an energy: GDU holds exactly */
  EQP_MODEL_CAP_REENTRANT = 16, /* calls on different workspaces may run concurrently */
  EQP_MODEL_CAP_STEP_UPDATE = 32, /* step_update() is implemented (1.1) */
  EQP_MODEL_CAP_APPLY_STEP = 64   /* apply_step() is implemented (1.2) */
};

/* Clipping a dynamics applies to a layer after each step (EQP_LayerSpec.clip). */
enum { EQP_CLIP_NONE = 0, EQP_CLIP_RANGE = 1 };

/* One state layer. Static data of the model instance. */
typedef struct EQP_LayerSpec {
  size_t struct_size;
  const char *name;     /* "s0" (output), "s1", ... */
  int32_t ndim;         /* per example, without the batch dimension */
  uint32_t clip;        /* EQP_CLIP_* */
  const int64_t *shape; /* ndim sizes */
  double lower;         /* clip range with EQP_CLIP_RANGE */
  double upper;
} EQP_LayerSpec;
enum { EQP_LayerSpec_STRUCT_SIZE = EQP_END_OF(EQP_LayerSpec, upper) };

/* Parameter roles, for checkpoints and metrics. */
enum { EQP_PARAM_WEIGHT = 1, EQP_PARAM_BIAS = 2, EQP_PARAM_FEEDBACK = 3 };

/* One parameter tensor θ_k. The host allocates and owns θ; the model only reads it. */
typedef struct EQP_ParamSpec {
  size_t struct_size;
  const char *name;     /* stable name used as the safetensors key: "W01", "b0", "W1x" */
  int32_t ndim;
  uint32_t role;        /* EQP_PARAM_* */
  const int64_t *shape;
  uint32_t lr_group;    /* index into the config's optimizer.lr list (spec §3: output →
                           input); several tensors may share a group */
  uint32_t reserved;
} EQP_ParamSpec;
enum { EQP_ParamSpec_STRUCT_SIZE = EQP_END_OF(EQP_ParamSpec, reserved) };

/* What a model instance declares. Filled by describe(); arrays owned by the instance and
 * valid until destroy. The host refuses (describe failed) a NULL entry, an ndim outside
 * 0...8, an extent outside 1...2^31, a tensor of more than 2^40 elements (per example for
 * layers and input), an lr_group_count other than 1 + the largest lr_group, and a class_count
 * outside 1...2^31; a count larger than its array cannot be seen. */
typedef struct EQP_ModelLayout {
  size_t struct_size;
  size_t layer_count;                   /* ≥ 1; layers[0] is the output */
  const EQP_LayerSpec *const *layers;
  size_t param_count;
  const EQP_ParamSpec *const *params;
  int32_t input_ndim;                   /* per example */
  uint32_t lr_group_count;              /* 1 + the largest lr_group */
  const int64_t *input_shape;
  int64_t class_count;                  /* width of predict's scores and of targets */
  uint64_t capabilities;                /* this instance's EQP_MODEL_CAP_* bits, a subset of
                                           the descriptor's (which declares every bit some
                                           configuration has): e.g. ENERGY only when the
                                           options make F an exact energy gradient. 0: the
                                           descriptor's. */
} EQP_ModelLayout;
enum { EQP_ModelLayout_STRUCT_SIZE = EQP_END_OF(EQP_ModelLayout, capabilities) };

typedef struct EQP_ModelCreateArgs {
  size_t struct_size;
  const EQP_Options *options; /* the `model:` section */
  uint32_t dtype;             /* EQP_DTYPE_F32, or _F64 for checks */
  int32_t device_type;        /* the kernel's device */
} EQP_ModelCreateArgs;
enum { EQP_ModelCreateArgs_STRUCT_SIZE = EQP_END_OF(EQP_ModelCreateArgs, device_type) };

/* A model: θ, the drive F(x, s), the cost, and the derivatives learners need.
 * For every call: ev->params/states/input are borrowed; outputs are host-owned tensors of the
 * layout's shapes; the instance keeps no pointer into them. */
typedef struct EQP_ModelVTable {
  size_t struct_size;
  /* --- required --- */
  EQP_Status (*create)(const EQP_ModelCreateArgs *args, EQP_ModelInstance **out,
                       EQP_Error *err);
  void (*destroy)(EQP_ModelInstance *m); /* NULL: nothing */
  EQP_Status (*describe)(const EQP_ModelInstance *m, EQP_ModelLayout *out, EQP_Error *err);
  /* Initialises θ (host-allocated, zeroed, shapes of the layout) from the host's rng. */
  EQP_Status (*init_params)(EQP_ModelInstance *m, EQP_Tensor *params, size_t param_count,
                            EQP_Rng *rng, EQP_Error *err);
  /* Scratch memory for one batch size and dtype; allocate through host->memory. A workspace
   * is used by one thread at a time. */
  EQP_Status (*workspace_create)(EQP_ModelInstance *m, int64_t batch, uint32_t dtype,
                                 EQP_Workspace **out, EQP_Error *err);
  void (*workspace_destroy)(EQP_ModelInstance *m, EQP_Workspace *ws); /* NULL: nothing */
  /* Caches what depends on x and θ but not on s (e.g. the input projection W·x + b) in the
   * workspace. The host calls it when the batch or θ changes, before drive. */
  EQP_Status (*prepare)(EQP_ModelInstance *m, const EQP_ModelEval *ev, EQP_Error *err);
  /* out[l] = F_l(x, s) for every layer l, WITHOUT nudge, ε-mixing or clipping (the
   * dynamics applies those). out must not alias ev->states. */
  EQP_Status (*drive)(EQP_ModelInstance *m, const EQP_ModelEval *ev, EQP_Tensor *out,
                      EQP_Error *err);
  /* grads[k] += coeff · Σ_batch ∂Φ/∂θ_k(x, s). For energy models Φ_θ := −∂E/∂θ (not ε times
   * it: spec pitfall 17). */
  EQP_Status (*param_grad)(EQP_ModelInstance *m, const EQP_ModelEval *ev, double coeff,
                           EQP_Tensor *grads, EQP_Error *err);
  /* per_example[b] = ℓ(s_b, y_b) (double array of ev->batch, host-owned). */
  EQP_Status (*cost)(EQP_ModelInstance *m, const EQP_ModelEval *ev, double *per_example,
                     EQP_Error *err);
  /* grad_states[l] += coeff · ∂ℓ/∂s_l; grad_params (may be NULL) += coeff · ∂ℓ/∂θ. The
   * dynamics adds the nudge −β·∂ℓ/∂s through this. */
  EQP_Status (*cost_grad)(EQP_ModelInstance *m, const EQP_ModelEval *ev, double coeff,
                          EQP_Tensor *grad_states, EQP_Tensor *grad_params, EQP_Error *err);
  /* scores [batch, class_count]: the prediction is the argmax of each row. */
  EQP_Status (*predict)(EQP_ModelInstance *m, const EQP_ModelEval *ev, EQP_Tensor *scores,
                        EQP_Error *err);
  /* --- optional (capability bits say which are implemented) --- */
  /* Given a cotangent on F's output (layer_count views), cot_states = (∂F/∂s)ᵀ cot_out
   * (overwritten) and cot_params (may be NULL) += (∂F/∂θ)ᵀ cot_out. EQP_MODEL_CAP_VJP. */
  EQP_Status (*vjp)(EQP_ModelInstance *m, const EQP_ModelEval *ev, const EQP_Tensor *cot_out,
                    EQP_Tensor *cot_states, EQP_Tensor *cot_params, EQP_Error *err);
  /* per_example[b] = Φ(x_b, s_b) (or −E). EQP_MODEL_CAP_PHI. */
  EQP_Status (*phi)(EQP_ModelInstance *m, const EQP_ModelEval *ev, double *per_example,
                    EQP_Error *err);
  /* A size-prefixed table for `name`, or NULL. Owned by the plugin; never freed by the host. */
  const void *(*get_extension)(const char *name);
  /* --- 1.1 --- */
  /* grads[k] += coeff · Σ_batch Δθ_k for one step s_t → s_{t+1} of a second phase under the
   * model's own local rule (vector-field models: post-synaptic change times pre-synaptic
   * activity at t, spec §3.5). ev->states hold s_t, after holds s_{t+1} (layer_count views).
   * A model without it gets Φ_θ(s_{t+1}) − Φ_θ(s_t) (EP's increment) from the host's
   * forwarder. EQP_MODEL_CAP_STEP_UPDATE. */
  EQP_Status (*step_update)(EQP_ModelInstance *m, const EQP_ModelEval *ev,
                            const EQP_Tensor *after, double coeff, EQP_Tensor *grads,
                            EQP_Error *err);
  /* --- 1.2 --- */
  /* One step of a continual learner applied to θ in place. With s_t = ev->states and
   * s_{t+1} = after (layer_count views): θ_k += rates[k] · Δ_k for every parameter tensor k,
   * where Δ is exactly what the host's step_update forwarder adds to grads with coeff = 1
   * (Σ over the batch): the model's step_update if it has one, else Φ_θ(after) −
   * Φ_θ(ev->states) as two param_grad calls give it. rates: param_count doubles (0 leaves a
   * tensor alone). params: the SAME tensors as ev->params, writable for this call. All
   * borrowed. Afterwards everything prepare cached in ev->workspace matches the new θ, as if
   * prepare had run again; the host does not call prepare. (Why it pays: the input weight
   * moves by a rank-batch product with the batch's own x, so its cached term x·Wᵀ follows
   * through the B × B Gram matrix x·xᵀ instead of a new B × in × out product.)
   * Arguments are checked before θ is written (EQP_ERR_INVALID_ARGUMENT); a kernel failure
   * after that may leave θ partly updated, and the host stops the run. The host calls it only
   * when its optimizer keeps no state (see EQP_HostSessionApi.apply_step).
   * EQP_MODEL_CAP_APPLY_STEP. */
  EQP_Status (*apply_step)(EQP_ModelInstance *m, const EQP_ModelEval *ev,
                           const EQP_Tensor *after, const double *rates, EQP_Tensor *params,
                           EQP_Error *err);
} EQP_ModelVTable;
enum {
  EQP_ModelVTable_MIN_SIZE = EQP_END_OF(EQP_ModelVTable, predict),
  EQP_ModelVTable_STRUCT_SIZE = EQP_END_OF(EQP_ModelVTable, apply_step)
};

/* ------------------------------------------------------------------------------------------ */
/* Dynamics                                                                                   */
/* ------------------------------------------------------------------------------------------ */

enum {
  EQP_DYNAMICS_CAP_STEP_VJP = 1,   /* step_vjp is implemented (BPTT, RBP, checks) */
  EQP_DYNAMICS_CAP_PERSISTENT = 2, /* supports persistent states per example */
  EQP_DYNAMICS_CAP_F64 = 4,
  EQP_DYNAMICS_CAP_EARLY_STOP = 8  /* stops on ‖Δs‖∞ < tolerance */
};

typedef struct EQP_DynamicsCreateArgs {
  size_t struct_size;
  const EQP_Options *options;    /* the `dynamics:` section */
  uint32_t dtype;
  int32_t device_type;
  const EQP_ModelLayout *layout; /* the model's; valid as long as the instance */
} EQP_DynamicsCreateArgs;
enum { EQP_DynamicsCreateArgs_STRUCT_SIZE = EQP_END_OF(EQP_DynamicsCreateArgs, layout) };

/* What a dynamics instance resolved from its options. Filled by describe. */
typedef struct EQP_DynamicsInfo {
  size_t struct_size;
  int64_t free_steps;   /* T: steps of a free phase (RelaxArgs.steps == 0) */
  double epsilon;       /* ε: 1 is the discrete map s ← F(s) */
  int32_t persistent;   /* nonzero: free phases start from stored per-example states */
  int32_t reserved;
  double tolerance;     /* early stop on ‖Δs‖∞ < tolerance; 0 = never */
} EQP_DynamicsInfo;
enum { EQP_DynamicsInfo_STRUCT_SIZE = EQP_END_OF(EQP_DynamicsInfo, tolerance) };

/* One call of run. Filled by the host. */
typedef struct EQP_RunArgs {
  size_t struct_size;
  EQP_ModelHandle *model;   /* call it through host->model */
  const EQP_ModelEval *eval;/* eval->states are read AND written in place (the views' data
                               is the caller's buffer); the model has been prepared */
  double beta;              /* nudge: the output's drive gains −β·∂ℓ/∂s */
  int64_t steps;            /* > 0 */
  uint32_t flags;           /* EQP_RELAX_* */
  uint32_t reserved;
  EQP_StepCallback on_step; /* [optional] */
  void *user_data;
} EQP_RunArgs;
enum { EQP_RunArgs_STRUCT_SIZE = EQP_END_OF(EQP_RunArgs, user_data) };

/* Backward through one step s_t → s_{t+1}. Filled by the host. */
typedef struct EQP_StepVjpArgs {
  size_t struct_size;
  EQP_ModelHandle *model;
  const EQP_ModelEval *eval;     /* eval->states = s_t */
  const EQP_Tensor *after;       /* s_{t+1}, for clip masks */
  double beta;
  const EQP_Tensor *cot_after;   /* cotangent on s_{t+1} */
  EQP_Tensor *cot_before;        /* out: cotangent on s_t (overwritten) */
  EQP_Tensor *cot_params;        /* [optional] accumulated: cotangent on θ */
} EQP_StepVjpArgs;
enum { EQP_StepVjpArgs_STRUCT_SIZE = EQP_END_OF(EQP_StepVjpArgs, cot_params) };

/* How states evolve: s ← clip(s + ε(F(s) − s) − εβ·∂ℓ/∂s), for n steps, synchronously. */
typedef struct EQP_DynamicsVTable {
  size_t struct_size;
  /* --- required --- */
  EQP_Status (*create)(const EQP_DynamicsCreateArgs *args, EQP_DynamicsInstance **out,
                       EQP_Error *err);
  void (*destroy)(EQP_DynamicsInstance *d);
  EQP_Status (*describe)(const EQP_DynamicsInstance *d, EQP_DynamicsInfo *out,
                         EQP_Error *err);
  EQP_Status (*run)(EQP_DynamicsInstance *d, const EQP_RunArgs *args, EQP_RunResult *out,
                    EQP_Error *err);
  /* --- optional --- */
  EQP_Status (*step_vjp)(EQP_DynamicsInstance *d, const EQP_StepVjpArgs *args,
                         EQP_Error *err); /* EQP_DYNAMICS_CAP_STEP_VJP */
  const void *(*get_extension)(const char *name);
} EQP_DynamicsVTable;
enum {
  EQP_DynamicsVTable_MIN_SIZE = EQP_END_OF(EQP_DynamicsVTable, run),
  EQP_DynamicsVTable_STRUCT_SIZE = EQP_END_OF(EQP_DynamicsVTable, get_extension)
};

/* ------------------------------------------------------------------------------------------ */
/* Learner                                                                                    */
/* ------------------------------------------------------------------------------------------ */

enum {
  EQP_LEARNER_CAP_CONTINUAL = 1, /* applies updates itself during the batch (C-EP, C-VF) */
  EQP_LEARNER_CAP_NEEDS_VJP = 2, /* needs the model's vjp and the dynamics' step_vjp */
  EQP_LEARNER_CAP_F64 = 4
};

typedef struct EQP_LearnerCreateArgs {
  size_t struct_size;
  const EQP_Options *options;    /* the `learner:` section */
  uint32_t dtype;
  int32_t device_type;
  const EQP_ModelLayout *layout;
} EQP_LearnerCreateArgs;
enum { EQP_LearnerCreateArgs_STRUCT_SIZE = EQP_END_OF(EQP_LearnerCreateArgs, layout) };

typedef struct EQP_BatchArgs {
  size_t struct_size;
  EQP_TensorSet *grads; /* out: zeroed, shaped like θ. The learner writes its estimate g in
                           the DESCENT convention: the host applies θ ← θ − η·g. */
  int64_t epoch;        /* 0-based */
  int64_t batch_index;  /* 0-based within the epoch */
} EQP_BatchArgs;
enum { EQP_BatchArgs_STRUCT_SIZE = EQP_END_OF(EQP_BatchArgs, batch_index) };

typedef struct EQP_BatchResult {
  size_t struct_size;
  int32_t applied;      /* out: nonzero when the learner already applied every update through
                           session->apply_update; the host then ignores grads */
  int32_t reserved;
  double loss_sum;      /* out: Σ_b ℓ at the free phase's end (session->evaluate) */
  int64_t errors;       /* out: misclassified examples of the batch, before the update */
  int64_t free_steps;   /* out: steps the free phase used */
} EQP_BatchResult;
enum { EQP_BatchResult_STRUCT_SIZE = EQP_END_OF(EQP_BatchResult, free_steps) };

/* A learning rule: drives phases through the session and produces a gradient estimate. It
 * never touches a model's internals. */
typedef struct EQP_LearnerVTable {
  size_t struct_size;
  /* --- required --- */
  EQP_Status (*create)(const EQP_LearnerCreateArgs *args, EQP_LearnerInstance **out,
                       EQP_Error *err);
  void (*destroy)(EQP_LearnerInstance *l);
  /* One minibatch: the session already holds x, y and prepared θ. */
  EQP_Status (*train_batch)(EQP_LearnerInstance *l, EQP_Session *s, const EQP_BatchArgs *args,
                            EQP_BatchResult *out, EQP_Error *err);
  /* --- optional --- */
  const void *(*get_extension)(const char *name);
} EQP_LearnerVTable;
enum {
  EQP_LearnerVTable_MIN_SIZE = EQP_END_OF(EQP_LearnerVTable, train_batch),
  EQP_LearnerVTable_STRUCT_SIZE = EQP_END_OF(EQP_LearnerVTable, get_extension)
};

/* ------------------------------------------------------------------------------------------ */
/* Communicator (1.3)                                                                         */
/* ------------------------------------------------------------------------------------------ */

/* A communicator joins the processes of one job (an `mpirun` or `srun` launch), so the host
 * can train data-parallel and spread a sweep over them. The host creates at most one per
 * process, only when it was started by a launcher or asked to; other plugins never see it:
 * the host reduces updates itself (after train_batch, and inside session->apply_update and
 * apply_step for continual learners), so learners stay unaware of ranks.
 *
 * Every call but `info` and `abort` is COLLECTIVE: every process of the job makes the same
 * calls, in the same order, with matching sizes. A failed collective leaves the job in no
 * known state: the host then calls `abort`. */

typedef struct EQP_CommunicatorCreateArgs {
  size_t struct_size; /* nothing else yet: options would be appended here */
} EQP_CommunicatorCreateArgs;
enum { EQP_CommunicatorCreateArgs_STRUCT_SIZE = EQP_END_OF(EQP_CommunicatorCreateArgs, struct_size) };

typedef struct EQP_CommunicatorInfo {
  size_t struct_size;
  int64_t rank;        /* this process, 0 ≤ rank < size */
  int64_t size;        /* processes in the job */
  const char *library; /* what carries the messages ("Open MPI v4.1.4"), for run.json; lives
                          as long as the instance */
} EQP_CommunicatorInfo;
enum { EQP_CommunicatorInfo_STRUCT_SIZE = EQP_END_OF(EQP_CommunicatorInfo, library) };

typedef struct EQP_CommunicatorVTable {
  size_t struct_size;
  /* --- required --- */
  /* Joins the job (MPI_Init). Called at most once per process. A process that no launcher
   * started may fail here, with a sentence saying so. */
  EQP_Status (*create)(const EQP_CommunicatorCreateArgs *args, EQP_CommunicatorInstance **out,
                       EQP_Error *err);
  /* Leaves the job (MPI_Finalize), after the last collective of every rank. */
  void (*destroy)(EQP_CommunicatorInstance *c);
  /* This process's rank and the job's size. Not collective. */
  EQP_Status (*info)(EQP_CommunicatorInstance *c, EQP_CommunicatorInfo *out, EQP_Error *err);
  /* buffer[0..count) ← the sum over ranks of every rank's buffer, in place. dtype is
   * EQP_DTYPE_F32, _F64 or _I64. Every rank receives BITWISE the same values (so replicas of θ
   * never drift apart), whatever the order of the floating-point sum. */
  EQP_Status (*allreduce_sum)(EQP_CommunicatorInstance *c, void *buffer, int64_t count,
                              uint32_t dtype, EQP_Error *err);
  /* Rank `root`'s first `bytes` bytes of buffer are copied into every rank's buffer. */
  EQP_Status (*broadcast)(EQP_CommunicatorInstance *c, void *buffer, int64_t bytes, int64_t root,
                          EQP_Error *err);
  /* Rank r contributes counts[r] bytes from `send`; every rank receives all contributions, in
   * rank order, back to back at `recv` (Σ counts bytes). `counts` has one entry per rank and
   * is the same on every rank; a count may be 0. */
  EQP_Status (*allgather)(EQP_CommunicatorInstance *c, const void *send, void *recv,
                          const int64_t *counts, EQP_Error *err);
  /* Returns when every rank has called it. */
  EQP_Status (*barrier)(EQP_CommunicatorInstance *c, EQP_Error *err);
  /* Ends every process of the job with exit status `code` (MPI_Abort): what a rank does after
   * an error it cannot share, so that the others do not wait forever. Does not return. */
  void (*abort)(EQP_CommunicatorInstance *c, int32_t code);
  /* --- optional --- */
  const void *(*get_extension)(const char *name);
} EQP_CommunicatorVTable;
enum {
  EQP_CommunicatorVTable_MIN_SIZE = EQP_END_OF(EQP_CommunicatorVTable, abort),
  EQP_CommunicatorVTable_STRUCT_SIZE = EQP_END_OF(EQP_CommunicatorVTable, get_extension)
};

/* ------------------------------------------------------------------------------------------ */
/* Descriptors and the library                                                                */
/* ------------------------------------------------------------------------------------------ */

/* Plugin kinds. A host refuses a kind it does not know (it may be from a newer minor). */
enum {
  EQP_KIND_MODEL = 1,
  EQP_KIND_DYNAMICS = 2,
  EQP_KIND_LEARNER = 3,
  EQP_KIND_COMMUNICATOR = 4 /* 1.3; a library with one sets required_host_minor = 3 */
};

/* One plugin. Static data: lives as long as the process. */
typedef struct EQP_PluginDescriptor {
  size_t struct_size;
  uint32_t kind;             /* EQP_KIND_* */
  uint32_t reserved;         /* 0 */
  const char *id;            /* stable, [a-z0-9_-]+, unique per kind; configs name it */
  const char *display_name;
  const char *version;       /* the plugin's own version, "MAJOR.MINOR.PATCH" */
  uint64_t capabilities;     /* EQP_<KIND>_CAP_* bits */
  const void *vtable;        /* EQP_ModelVTable, EQP_DynamicsVTable, EQP_LearnerVTable or
                                EQP_CommunicatorVTable */
  /* --- optional from here (a shorter struct_size means none) --- */
  const char *description;   /* one paragraph for `eqprop plugins` */
  const EQP_OptionSpec *const *options; /* option_count pointers */
  size_t option_count;
  const EQP_ExtensionFunction *const *functions; /* function_count pointers */
  size_t function_count;
} EQP_PluginDescriptor;
enum {
  EQP_PluginDescriptor_MIN_SIZE = EQP_END_OF(EQP_PluginDescriptor, vtable),
  EQP_PluginDescriptor_STRUCT_SIZE = EQP_END_OF(EQP_PluginDescriptor, function_count)
};

/* What eqp_plugin_entry returns. Static data: lives as long as the process. */
typedef struct EQP_Library {
  /* --- frozen prefix: never moves, in any major --- */
  size_t struct_size;
  uint32_t magic;     /* EQP_LIBRARY_MAGIC */
  uint32_t abi_major; /* the header version the library was compiled with */
  uint32_t abi_minor;
  /* --- end of frozen prefix --- */
  uint32_t required_host_minor; /* the oldest host minor (same major) it runs on */
  const EQP_Extension *next;    /* NULL in 1.0 */
  const char *name;             /* library name, for messages */
  const char *version;          /* library version */
  const char *build;            /* free text: compiler, date, commit */
  const EQP_PluginDescriptor *const *plugins; /* plugin_count pointers */
  size_t plugin_count;
  /* [optional] Called once, before any other call, with the host table to keep in one
   * global. A failure refuses the whole library with err's message. */
  EQP_Status (*init)(const EQP_HostApi *host, EQP_Error *err);
  /* [optional] Called once at exit instead of ELF destructors. The library is never
   * unloaded. */
  void (*shutdown)(void);
} EQP_Library;
enum {
  EQP_Library_PREFIX_SIZE = EQP_END_OF(EQP_Library, abi_minor),
  EQP_Library_MIN_SIZE = EQP_END_OF(EQP_Library, plugin_count),
  EQP_Library_STRUCT_SIZE = EQP_END_OF(EQP_Library, shutdown)
};

/* The one symbol a plugin library exports. Does no work: returns static data (so listing
 * plugins has no side effects). May return NULL when it cannot serve this host (the host
 * then refuses the file with that sentence). `host` is valid for the call only. */
const EQP_Library *eqp_plugin_entry(const EQP_HostInfo *host);

/* The entry's type, for dlsym. */
typedef const EQP_Library *(*EQP_PluginEntryFn)(const EQP_HostInfo *host);

/* ========================================================================================== */
/* Struct sizes: a field appended without updating its constant fails to compile.             */
/* ========================================================================================== */
#if defined(__cplusplus)
#define EQP_STATIC_ASSERT(c, m) static_assert(c, m)
#else
#define EQP_STATIC_ASSERT(c, m) _Static_assert(c, m)
#endif
#define EQP_ALIGN8(n) (((n) + 7u) & ~(size_t)7u)
EQP_STATIC_ASSERT(sizeof(EQP_Tensor) == 56, "EQP_Tensor is frozen");
EQP_STATIC_ASSERT(sizeof(EQP_Library) == EQP_ALIGN8(EQP_Library_STRUCT_SIZE), "EQP_Library");
EQP_STATIC_ASSERT(sizeof(EQP_PluginDescriptor) ==
                      EQP_ALIGN8(EQP_PluginDescriptor_STRUCT_SIZE), "EQP_PluginDescriptor");
EQP_STATIC_ASSERT(sizeof(EQP_ModelVTable) == EQP_ALIGN8(EQP_ModelVTable_STRUCT_SIZE),
                  "EQP_ModelVTable");
EQP_STATIC_ASSERT(sizeof(EQP_DynamicsVTable) == EQP_ALIGN8(EQP_DynamicsVTable_STRUCT_SIZE),
                  "EQP_DynamicsVTable");
EQP_STATIC_ASSERT(sizeof(EQP_LearnerVTable) == EQP_ALIGN8(EQP_LearnerVTable_STRUCT_SIZE),
                  "EQP_LearnerVTable");
EQP_STATIC_ASSERT(sizeof(EQP_CommunicatorVTable) ==
                      EQP_ALIGN8(EQP_CommunicatorVTable_STRUCT_SIZE), "EQP_CommunicatorVTable");
EQP_STATIC_ASSERT(sizeof(EQP_CommunicatorInfo) == EQP_ALIGN8(EQP_CommunicatorInfo_STRUCT_SIZE),
                  "EQP_CommunicatorInfo");
EQP_STATIC_ASSERT(sizeof(EQP_HostApi) == EQP_ALIGN8(EQP_HostApi_STRUCT_SIZE), "EQP_HostApi");
EQP_STATIC_ASSERT(sizeof(EQP_HostKernelApi) == EQP_ALIGN8(EQP_HostKernelApi_STRUCT_SIZE),
                  "EQP_HostKernelApi");
EQP_STATIC_ASSERT(sizeof(EQP_HostSessionApi) == EQP_ALIGN8(EQP_HostSessionApi_STRUCT_SIZE),
                  "EQP_HostSessionApi");
EQP_STATIC_ASSERT(sizeof(EQP_HostModelApi) == EQP_ALIGN8(EQP_HostModelApi_STRUCT_SIZE),
                  "EQP_HostModelApi");
EQP_STATIC_ASSERT(sizeof(EQP_OptionSpec) == EQP_ALIGN8(EQP_OptionSpec_STRUCT_SIZE),
                  "EQP_OptionSpec");

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EQPROP_H */
