/* A small C learner plugin whose extension functions use every signature letter, built by the
 * tests with one `cc` command against eqprop.h alone:
 *
 *   cc -shared -fPIC -std=c11 -Wall -Wextra -Werror -I Core/ABI/include \
 *      [-DEXTENSION_BAD_SIGNATURE] extension_plugin.c -o libextension.so
 *
 * Learner "ext" leaves the gradient at zero (θ stays at its initial values) and counts the
 * minibatches it sees. Each function computes something a test can check exactly.
 * EXTENSION_BAD_SIGNATURE gives `mix` a malformed signature, so the plugin is refused.
 */
#include <math.h>
#include <string.h>

#include "eqprop.h"

static const EQP_HostApi *host_api;

typedef struct ExtLearner {
  int64_t batches;
} ExtLearner;

static ExtLearner the_learner;

static EQP_Status ext_init(const EQP_HostApi *host, EQP_Error *err) {
  (void)err;
  host_api = host;
  return EQP_OK;
}

static EQP_Status learner_create(const EQP_LearnerCreateArgs *args, EQP_LearnerInstance **out,
                                 EQP_Error *err) {
  if (args == NULL || out == NULL)
    return host_api->error->set(err, EQP_ERR_INVALID_ARGUMENT, "ext: args or out is NULL");
  the_learner.batches = 0;
  *out = (EQP_LearnerInstance *)&the_learner;
  return EQP_OK;
}

static void learner_destroy(EQP_LearnerInstance *learner) { (void)learner; }

static EQP_Status learner_train_batch(EQP_LearnerInstance *learner, EQP_Session *session,
                                      const EQP_BatchArgs *args, EQP_BatchResult *out,
                                      EQP_Error *err) {
  (void)session;
  (void)args;
  (void)err;
  ((ExtLearner *)learner)->batches += 1;
  out->applied = 0;
  return EQP_OK;
}

static const EQP_LearnerVTable learner_vtable = {
    .struct_size = EQP_LearnerVTable_STRUCT_SIZE,
    .create = learner_create,
    .destroy = learner_destroy,
    .train_batch = learner_train_batch,
};

/* --- the extension functions, one or more per signature letter --------------------------- */

/* d(idfl): each argument lands in its own decimal digit range. */
static double ext_mix(int32_t i, double d, float f, int64_t l) {
  return (double)i + 10.0 * d + 100.0 * (double)f + 1000.0 * (double)l;
}

/* l(s): the string's length in bytes. */
static int64_t ext_length(const char *text) { return text == NULL ? -1 : (int64_t)strlen(text); }

/* i(i), l(l), f(f): the return types, with values outside the smaller types' ranges. */
static int32_t ext_twice(int32_t x) { return 2 * x; }
static int64_t ext_square(int64_t x) { return x * x; }
static float ext_half(float x) { return x / 2.0f; }

/* d(pP): the sum of θ's first tensor; NaN when p is not this plugin's instance. */
static double ext_theta_sum(EQP_LearnerInstance *learner, const EQP_TensorSet *theta) {
  if (learner != (EQP_LearnerInstance *)&the_learner || theta == NULL) return NAN;
  size_t count = 0;
  const EQP_Tensor *tensors = host_api->session->set_tensors(theta, &count);
  if (count == 0) return NAN;
  int64_t n = 1;
  for (int32_t axis = 0; axis < tensors[0].ndim; axis++) n *= tensors[0].shape[axis];
  double sum = 0.0;
  for (int64_t k = 0; k < n; k++) {
    if (tensors[0].dtype == EQP_DTYPE_F64)
      sum += ((const double *)tensors[0].data)[k];
    else
      sum += (double)((const float *)tensors[0].data)[k];
  }
  return sum;
}

/* l(t): 1000 × ndim + the element count of the tensor. */
static int64_t ext_elements(const EQP_Tensor *tensor) {
  int64_t n = 1;
  for (int32_t axis = 0; axis < tensor->ndim; axis++) n *= tensor->shape[axis];
  return 1000 * tensor->ndim + n;
}

/* d(p), v(p): minibatches seen, and setting them back to zero. */
static double ext_batches(EQP_LearnerInstance *learner) {
  return (double)((ExtLearner *)learner)->batches;
}
static void ext_reset(EQP_LearnerInstance *learner) { ((ExtLearner *)learner)->batches = 0; }

/* i(e): always fails through the host's sink. */
static int32_t ext_fail(EQP_Error *err) {
  return host_api->error->set(err, EQP_ERR_INVALID_ARGUMENT, "ext: fail refuses on purpose");
}

#define EXT_FUNCTION(var, fname, sig, function, text)                                    \
  static const EQP_ExtensionFunction var = {.struct_size = EQP_ExtensionFunction_STRUCT_SIZE, \
                                            .name = fname,                                 \
                                            .signature = sig,                              \
                                            .fn = (void (*)(void))function,                \
                                            .doc = text}

#ifdef EXTENSION_BAD_SIGNATURE
EXT_FUNCTION(f_mix, "mix", "d(idfx)", ext_mix, "a malformed signature");
#else
EXT_FUNCTION(f_mix, "mix", "d(idfl)", ext_mix, "i + 10 d + 100 f + 1000 l");
#endif
EXT_FUNCTION(f_length, "length", "l(s)", ext_length, "strlen");
EXT_FUNCTION(f_twice, "twice", "i(i)", ext_twice, "2 x");
EXT_FUNCTION(f_square, "square", "l(l)", ext_square, "x * x");
EXT_FUNCTION(f_half, "half", "f(f)", ext_half, "x / 2");
EXT_FUNCTION(f_theta_sum, "theta_sum", "d(pP)", ext_theta_sum, "sum of θ's first tensor");
EXT_FUNCTION(f_elements, "elements", "l(t)", ext_elements, "1000 ndim + element count");
EXT_FUNCTION(f_batches, "batches", "d(p)", ext_batches, "minibatches seen");
EXT_FUNCTION(f_reset, "reset", "v(p)", ext_reset, "forgets the minibatches seen");
EXT_FUNCTION(f_fail, "fail", "i(e)", ext_fail, "reports a failure");

static const EQP_ExtensionFunction *const functions[] = {
    &f_mix, &f_length, &f_twice, &f_square, &f_half,
    &f_theta_sum, &f_elements, &f_batches, &f_reset, &f_fail,
};

static const EQP_PluginDescriptor descriptor = {
    .struct_size = EQP_PluginDescriptor_STRUCT_SIZE,
    .kind = EQP_KIND_LEARNER,
    .id = "ext",
    .display_name = "Extension-function fixture (C)",
    .version = "1.0.0",
    .capabilities = 0,
    .vtable = &learner_vtable,
    .description = "Leaves every gradient at zero; exports one function per signature letter.",
    .functions = functions,
    .function_count = sizeof functions / sizeof functions[0],
};
static const EQP_PluginDescriptor *const plugins[] = {&descriptor};

static const EQP_Library library = {
    .struct_size = EQP_Library_STRUCT_SIZE,
    .magic = EQP_LIBRARY_MAGIC,
    .abi_major = EQP_ABI_MAJOR,
    .abi_minor = EQP_ABI_MINOR,
    .required_host_minor = 0,
    .next = NULL,
    .name = "extension",
    .version = "1.0.0",
    .build = "cc",
    .plugins = plugins,
    .plugin_count = 1,
    .init = ext_init,
    .shutdown = NULL,
};

const EQP_Library *eqp_plugin_entry(const EQP_HostInfo *host) {
  (void)host;
  return &library;
}
