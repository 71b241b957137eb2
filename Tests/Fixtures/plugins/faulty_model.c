/* A small C model built by the tests, for the failures only a running model can show
 * (Tests/HostTests/MalformedPluginCorpusTests.swift).
 *
 * Without macros it is a valid, useless model "faulty": one output layer s0 of 10 units fed
 * by 784 inputs, a weight W [10, 784] it never reads, a drive and scores of zero, a cost of
 * zero. Each macro breaks one promise:
 *
 *   FAULTY_FAILS_IN=drive   that call (any function of the vtable) returns EQP_ERR_INTERNAL
 *   FAULTY_NAN_DRIVE        drive writes NaN into every unit
 *   FAULTY_NULL_PREDICT     the required predict is left out of the vtable
 *   FAULTY_WIDTH=N          the output layer's extent (0 or negative: an impossible shape)
 *   FAULTY_NO_LAYERS        layer_count 0
 *   FAULTY_MISSING_LAYER    layer_count 2, the second entry NULL
 *   FAULTY_HUGE_PARAM       W of shape [2^31, 2^31, 2^31]: its element count overflows
 *   FAULTY_LR_GROUPS        lr_group_count 3, though W is in group 0
 *
 *   cc -shared -fPIC -std=c11 -Wall -Wextra -Werror -I Core/ABI/include \
 *      [-DFAULTY_NAN_DRIVE ...] faulty_model.c -o libfaulty.so
 */
#include <math.h>
#include <string.h>

#include "eqprop.h"

static const EQP_HostApi *host;

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)
#ifdef FAULTY_FAILS_IN
static const char failing_call[] = STRINGIFY(FAULTY_FAILS_IN);
#else
static const char failing_call[] = "";
#endif

/* Returns from the calling function with an error when `call` is the one that must fail. */
#define FAULT_POINT(call, err)                                                              \
  do {                                                                                      \
    if (strcmp(failing_call, call) == 0)                                                    \
      return host->error->set(err, EQP_ERR_INTERNAL, "faulty: " call " fails on purpose"); \
  } while (0)

#ifndef FAULTY_WIDTH
#define FAULTY_WIDTH 10
#endif
#ifdef FAULTY_NAN_DRIVE
#define DRIVE_VALUE NAN
#else
#define DRIVE_VALUE 0.0
#endif

enum { CLASSES = 10, INPUTS = 784 };

/* ---------------------------------------------------------------------------------------- */
/* The layout: static data, the same for every instance                                     */
/* ---------------------------------------------------------------------------------------- */

static const int64_t output_shape[] = {FAULTY_WIDTH};
static const int64_t input_shape[] = {INPUTS};
#ifdef FAULTY_HUGE_PARAM
static const int64_t weight_shape[] = {INT64_C(1) << 31, INT64_C(1) << 31, INT64_C(1) << 31};
#else
static const int64_t weight_shape[] = {CLASSES, INPUTS};
#endif

static const EQP_LayerSpec output_layer = {
    .struct_size = EQP_LayerSpec_STRUCT_SIZE,
    .name = "s0",
    .ndim = 1,
    .clip = EQP_CLIP_NONE,
    .shape = output_shape,
};
#ifdef FAULTY_MISSING_LAYER
static const EQP_LayerSpec *const layers[] = {&output_layer, NULL};
#else
static const EQP_LayerSpec *const layers[] = {&output_layer};
#endif

static const EQP_ParamSpec weight = {
    .struct_size = EQP_ParamSpec_STRUCT_SIZE,
    .name = "W",
    .ndim = (int32_t)(sizeof weight_shape / sizeof weight_shape[0]),
    .role = EQP_PARAM_WEIGHT,
    .shape = weight_shape,
    .lr_group = 0,
};
static const EQP_ParamSpec *const params[] = {&weight};

static const EQP_ModelLayout layout = {
    .struct_size = EQP_ModelLayout_STRUCT_SIZE,
#ifdef FAULTY_NO_LAYERS
    .layer_count = 0,
#else
    .layer_count = sizeof layers / sizeof layers[0],
#endif
    .layers = layers,
    .param_count = 1,
    .params = params,
    .input_ndim = 1,
#ifdef FAULTY_LR_GROUPS
    .lr_group_count = 3,
#else
    .lr_group_count = 1,
#endif
    .input_shape = input_shape,
    .class_count = CLASSES,
};

/* ---------------------------------------------------------------------------------------- */
/* The vtable                                                                               */
/* ---------------------------------------------------------------------------------------- */

/* The model keeps no state: one static object serves as instance and workspace. */
static int nothing;

/* Sets every element of a host tensor to `value`. */
static void fill(EQP_Tensor *t, double value) {
  int64_t count = 1;
  for (int32_t axis = 0; axis < t->ndim; axis++) count *= t->shape[axis];
  char *data = (char *)t->data + t->byte_offset;
  for (int64_t i = 0; i < count; i++) {
    if (t->dtype == EQP_DTYPE_F64)
      ((double *)data)[i] = value;
    else
      ((float *)data)[i] = (float)value;
  }
}

static EQP_Status model_create(const EQP_ModelCreateArgs *args, EQP_ModelInstance **out,
                               EQP_Error *err) {
  (void)args;
  FAULT_POINT("create", err);
  *out = (EQP_ModelInstance *)&nothing;
  return EQP_OK;
}

static void model_destroy(EQP_ModelInstance *m) { (void)m; }

static EQP_Status model_describe(const EQP_ModelInstance *m, EQP_ModelLayout *out,
                                 EQP_Error *err) {
  (void)m;
  FAULT_POINT("describe", err);
  size_t size = out->struct_size < sizeof layout ? out->struct_size : sizeof layout;
  memcpy(out, &layout, size); /* never past the host's struct_size */
  out->struct_size = size;
  return EQP_OK;
}

static EQP_Status model_init_params(EQP_ModelInstance *m, EQP_Tensor *theta, size_t count,
                                    EQP_Rng *rng, EQP_Error *err) {
  (void)m, (void)theta, (void)count, (void)rng;
  FAULT_POINT("init_params", err);
  return EQP_OK;
}

static EQP_Status model_workspace_create(EQP_ModelInstance *m, int64_t batch, uint32_t dtype,
                                         EQP_Workspace **out, EQP_Error *err) {
  (void)m, (void)batch, (void)dtype;
  FAULT_POINT("workspace_create", err);
  *out = (EQP_Workspace *)&nothing;
  return EQP_OK;
}

static void model_workspace_destroy(EQP_ModelInstance *m, EQP_Workspace *ws) { (void)m, (void)ws; }

static EQP_Status model_prepare(EQP_ModelInstance *m, const EQP_ModelEval *ev, EQP_Error *err) {
  (void)m, (void)ev;
  FAULT_POINT("prepare", err);
  return EQP_OK;
}

static EQP_Status model_drive(EQP_ModelInstance *m, const EQP_ModelEval *ev, EQP_Tensor *out,
                              EQP_Error *err) {
  (void)m, (void)ev;
  FAULT_POINT("drive", err);
  fill(&out[0], DRIVE_VALUE);
  return EQP_OK;
}

static EQP_Status model_param_grad(EQP_ModelInstance *m, const EQP_ModelEval *ev, double coeff,
                                   EQP_Tensor *grads, EQP_Error *err) {
  (void)m, (void)ev, (void)coeff, (void)grads;
  FAULT_POINT("param_grad", err);
  return EQP_OK;
}

static EQP_Status model_cost(EQP_ModelInstance *m, const EQP_ModelEval *ev, double *per_example,
                             EQP_Error *err) {
  (void)m;
  FAULT_POINT("cost", err);
  for (int64_t b = 0; b < ev->batch; b++) per_example[b] = 0;
  return EQP_OK;
}

static EQP_Status model_cost_grad(EQP_ModelInstance *m, const EQP_ModelEval *ev, double coeff,
                                  EQP_Tensor *grad_states, EQP_Tensor *grad_params,
                                  EQP_Error *err) {
  (void)m, (void)ev, (void)coeff, (void)grad_states, (void)grad_params;
  FAULT_POINT("cost_grad", err);
  return EQP_OK;
}

static EQP_Status model_predict(EQP_ModelInstance *m, const EQP_ModelEval *ev,
                                EQP_Tensor *scores, EQP_Error *err) {
  (void)m, (void)ev;
  FAULT_POINT("predict", err);
  fill(scores, 0);
  return EQP_OK;
}

static const EQP_ModelVTable vtable = {
    .struct_size = EQP_ModelVTable_STRUCT_SIZE,
    .create = model_create,
    .destroy = model_destroy,
    .describe = model_describe,
    .init_params = model_init_params,
    .workspace_create = model_workspace_create,
    .workspace_destroy = model_workspace_destroy,
    .prepare = model_prepare,
    .drive = model_drive,
    .param_grad = model_param_grad,
    .cost = model_cost,
    .cost_grad = model_cost_grad,
#ifndef FAULTY_NULL_PREDICT
    .predict = model_predict,
#endif
};

/* ---------------------------------------------------------------------------------------- */
/* The library                                                                              */
/* ---------------------------------------------------------------------------------------- */

static EQP_Status faulty_init(const EQP_HostApi *api, EQP_Error *err) {
  (void)err;
  host = api;
  return EQP_OK;
}

static const EQP_PluginDescriptor descriptor = {
    .struct_size = EQP_PluginDescriptor_STRUCT_SIZE,
    .kind = EQP_KIND_MODEL,
    .id = "faulty",
    .display_name = "Faulty model (C)",
    .version = "1.0.0",
    .capabilities = 0,
    .vtable = &vtable,
    .description = "Misbehaves in the one way its build asked for.",
};
static const EQP_PluginDescriptor *const plugins[] = {&descriptor};

static const EQP_Library library = {
    .struct_size = EQP_Library_STRUCT_SIZE,
    .magic = EQP_LIBRARY_MAGIC,
    .abi_major = EQP_ABI_MAJOR,
    .abi_minor = EQP_ABI_MINOR,
    .name = "faulty",
    .version = "1.0.0",
    .build = "cc",
    .plugins = plugins,
    .plugin_count = 1,
    .init = faulty_init,
};

const EQP_Library *eqp_plugin_entry(const EQP_HostInfo *host_info) {
  (void)host_info;
#ifdef FAULTY_NULL_PREDICT
  (void)model_predict; /* compiled, but deliberately left out of the vtable */
#endif
  return &library;
}
