/* A dynamics plugin in plain C against eqprop.h alone: the relaxation every EP paper uses,
 *
 *   s ← clip(s + ε(F(s) − s) − εβ·∂ℓ/∂s)      for all layers at once, T steps,
 *
 * stopping early once ‖s_{t+1} − s_t‖∞ < tolerance. ε = 1 is the discrete map s ← F(s) of the
 * prototypical models; ε < 1 the Euler step of the energy-based ones.
 *
 * Build and drop into a plugin folder (from the repository root):
 *
 *   cc -O2 -shared -fPIC -std=c11 -Wall -Wextra -I Core/ABI/include \
 *      examples/c-dynamics/fixed_point.c -o myplugins/libfixed_point.so
 *   eqprop train examples/c-dynamics/fixed-point.yaml --plugins myplugins
 *
 * A dynamics never sees a model's vtable: it calls the bound model through host->model, which
 * forwards drive (F) and cost_grad (the nudge). The layer shapes and clip ranges come from the
 * model's layout. Without step_vjp it cannot serve BPTT or RBP; EP needs only run. */
#include <math.h> /* isnan, INFINITY: macros, no libm */
#include <string.h>

#include "eqprop.h"

static const EQP_HostApi *host; /* set once by init, before any other call */

#define TRY(call)                          \
  do {                                     \
    EQP_Status status_ = (call);           \
    if (status_ != EQP_OK) return status_; \
  } while (0)

enum { MAX_LAYERS = 16 }; /* enough for an example; create refuses deeper models */

typedef struct Dynamics {
  EQP_DynamicsInfo info;         /* the options, as describe reports them */
  uint32_t dtype;
  int32_t device;
  const EQP_ModelLayout *layout; /* the model's, valid as long as this instance */
  int64_t batch;                 /* the batch `next` was allocated for (0: none yet) */
  EQP_Tensor next[MAX_LAYERS];   /* s_{t+1}, built while s_t is still read */
} Dynamics;

static void *at(const EQP_Tensor *t) { return (char *)t->data + t->byte_offset; }

/* Writes an out-struct: no byte past the caller's struct_size, which ends as the smaller of
 * the caller's and ours (the header's rule, so an older or newer caller stays safe). */
static void write_out(void *out, const void *value, size_t own_size) {
  size_t caller_size = *(const size_t *)out;
  size_t size = caller_size < own_size ? caller_size : own_size;
  if (size < sizeof(size_t)) return;
  memcpy(out, value, size);
  *(size_t *)out = size;
}

/* Elements of layer l for one example. */
static int64_t per_example(const EQP_LayerSpec *layer) {
  int64_t n = 1;
  for (int32_t axis = 0; axis < layer->ndim; axis++) n *= layer->shape[axis];
  return n;
}

static EQP_Status dynamics_create(const EQP_DynamicsCreateArgs *args, EQP_DynamicsInstance **out,
                                  EQP_Error *err) {
  Dynamics *d;
  EQP_Status status;
  if (args == NULL || out == NULL || args->layout == NULL)
    return host->error->set(err, EQP_ERR_INVALID_ARGUMENT, "fixed_point.create: args, out or layout is NULL");
  if (args->layout->layer_count > MAX_LAYERS)
    return host->error->set(err, EQP_ERR_UNSUPPORTED, "fixed_point: the model has more than 16 layers");
  d = (Dynamics *)host->memory->alloc(sizeof *d, 0);
  if (d == NULL) return host->error->set(err, EQP_ERR_OUT_OF_MEMORY, "fixed_point: no memory");
  memset(d, 0, sizeof *d);
  d->info.struct_size = EQP_DynamicsInfo_STRUCT_SIZE;
  d->dtype = args->dtype;
  d->device = args->device_type;
  d->layout = args->layout;
  /* The host has checked each option against its spec and filled in the defaults. */
  status = host->config->get_i64(args->options, "free_steps", &d->info.free_steps, err);
  if (status == EQP_OK) status = host->config->get_f64(args->options, "epsilon", &d->info.epsilon, err);
  if (status == EQP_OK) status = host->config->get_f64(args->options, "tolerance", &d->info.tolerance, err);
  if (status == EQP_OK && d->info.epsilon <= 0)
    status = host->error->set(err, EQP_ERR_INVALID_ARGUMENT, "dynamics.epsilon: must be in (0, 1]");
  if (status != EQP_OK) {
    host->memory->free(d);
    return status;
  }
  *out = (EQP_DynamicsInstance *)d;
  return EQP_OK;
}

static void dynamics_destroy(EQP_DynamicsInstance *instance) {
  Dynamics *d = (Dynamics *)instance;
  if (d == NULL) return;
  for (size_t l = 0; l < MAX_LAYERS; l++) host->memory->tensor_free(&d->next[l]);
  host->memory->free(d);
}

static EQP_Status dynamics_describe(const EQP_DynamicsInstance *instance, EQP_DynamicsInfo *out,
                                    EQP_Error *err) {
  const Dynamics *d = (const Dynamics *)instance;
  if (d == NULL || out == NULL)
    return host->error->set(err, EQP_ERR_INVALID_ARGUMENT, "fixed_point.describe: instance or out is NULL");
  write_out(out, &d->info, EQP_DynamicsInfo_STRUCT_SIZE);
  return EQP_OK;
}

/* The buffers of s_{t+1}, made once per batch size (never inside the step loop). */
static EQP_Status ensure_next(Dynamics *d, int64_t batch, EQP_Error *err) {
  if (batch == d->batch) return EQP_OK;
  for (size_t l = 0; l < d->layout->layer_count; l++) {
    const EQP_LayerSpec *layer = d->layout->layers[l];
    int64_t shape[2] = {batch, per_example(layer)};
    host->memory->tensor_free(&d->next[l]);
    memset(&d->next[l], 0, sizeof d->next[l]);
    TRY(host->memory->tensor_alloc(d->dtype, 2, shape, d->device, &d->next[l], err));
  }
  d->batch = batch;
  return EQP_OK;
}

static EQP_Status dynamics_run(EQP_DynamicsInstance *instance, const EQP_RunArgs *args,
                               EQP_RunResult *out, EQP_Error *err) {
  Dynamics *d = (Dynamics *)instance;
  const EQP_HostKernelApi *k = host->kernel;
  const EQP_HostModelApi *model = host->model;
  if (d == NULL || args == NULL || out == NULL || args->eval == NULL || args->eval->states == NULL)
    return host->error->set(err, EQP_ERR_INVALID_ARGUMENT, "fixed_point.run: args, eval, states or out is NULL");
  const EQP_ModelEval *ev = args->eval;
  const EQP_Tensor *states = ev->states; /* s_t, written in place: the views' data is ours */
  size_t layers = d->layout->layer_count;
  if (ev->layer_count != layers)
    return host->error->set(err, EQP_ERR_INVALID_ARGUMENT, "fixed_point.run: wrong number of state layers");
  double epsilon = d->info.epsilon;
  int early_stop = d->info.tolerance > 0 && !(args->flags & EQP_RELAX_NO_EARLY_STOP);
  EQP_RunResult result = {0};
  result.struct_size = EQP_RunResult_STRUCT_SIZE;
  TRY(ensure_next(d, ev->batch, err));

  for (int64_t step = 0; step < args->steps; step++) {
    /* next = F(s), mixed with s by ε, plus the nudge −εβ·∂ℓ/∂s (cost_grad accumulates). */
    TRY(model->drive(args->model, ev, d->next, err));
    if (epsilon != 1) {
      for (size_t l = 0; l < layers; l++) {
        int64_t n = ev->batch * per_example(d->layout->layers[l]);
        TRY(k->axpby(d->dtype, n, 1 - epsilon, at(&states[l]), epsilon, at(&d->next[l]), err));
      }
    }
    if (args->beta != 0) TRY(model->cost_grad(args->model, ev, -epsilon * args->beta, d->next, NULL, err));
    /* Clip to the model's ranges; ‖next − s‖∞ when it is needed (early stop, the last step). */
    result.residual = 0;
    for (size_t l = 0; l < layers; l++) {
      const EQP_LayerSpec *layer = d->layout->layers[l];
      int64_t n = ev->batch * per_example(layer);
      double change = 0;
      if (layer->clip == EQP_CLIP_RANGE) TRY(k->clip(d->dtype, n, layer->lower, layer->upper, at(&d->next[l]), err));
      if (early_stop || step == args->steps - 1) {
        TRY(k->max_abs_diff(d->dtype, n, at(&d->next[l]), at(&states[l]), &change, err));
        if (isnan(change)) change = INFINITY; /* NaN never counts as converged */
        if (change > result.residual) result.residual = change;
      }
    }
    if (args->on_step != NULL) /* C-EP's updates, BPTT's tape, the checks' series */
      TRY(args->on_step(args->user_data, step, states, d->next, layers, err));
    for (size_t l = 0; l < layers; l++) { /* s ← next, all layers at once */
      int64_t n = ev->batch * per_example(d->layout->layers[l]);
      TRY(k->convert(d->dtype, d->dtype, n, at(&d->next[l]), at(&states[l]), err));
    }
    result.steps_used = step + 1;
    if (early_stop && result.residual < d->info.tolerance) {
      result.converged = 1;
      break;
    }
  }
  write_out(out, &result, EQP_RunResult_STRUCT_SIZE); /* only on success */
  return EQP_OK;
}

static const EQP_DynamicsVTable vtable = {
    .struct_size = EQP_DynamicsVTable_STRUCT_SIZE,
    .create = dynamics_create,
    .destroy = dynamics_destroy,
    .describe = dynamics_describe,
    .run = dynamics_run,
};

static const EQP_OptionSpec free_steps_option = {
    .struct_size = EQP_OptionSpec_STRUCT_SIZE,
    .name = "free_steps",
    .type = EQP_OPT_INT,
    .flags = EQP_OPT_REQUIRED | EQP_OPT_HAS_MIN,
    .doc = "T: steps of a free phase",
    .min = 1,
};
static const EQP_OptionSpec epsilon_option = {
    .struct_size = EQP_OptionSpec_STRUCT_SIZE,
    .name = "epsilon",
    .type = EQP_OPT_FLOAT,
    .flags = EQP_OPT_HAS_MIN | EQP_OPT_HAS_MAX,
    .default_value = "1",
    .doc = "ε: Euler step (1 = the discrete map s ← F(s))",
    .min = 0,
    .max = 1,
};
static const EQP_OptionSpec tolerance_option = {
    .struct_size = EQP_OptionSpec_STRUCT_SIZE,
    .name = "tolerance",
    .type = EQP_OPT_FLOAT,
    .flags = EQP_OPT_HAS_MIN,
    .default_value = "0",
    .doc = "stop a phase once ‖s_{t+1} − s_t‖∞ < tolerance (0: never)",
    .min = 0,
};
static const EQP_OptionSpec *const options[] = {&free_steps_option, &epsilon_option, &tolerance_option};

static const EQP_PluginDescriptor descriptor = {
    .struct_size = EQP_PluginDescriptor_STRUCT_SIZE,
    .kind = EQP_KIND_DYNAMICS,
    .id = "example-c-fixed-point",
    .display_name = "Fixed-point relaxation (C example)",
    .version = "1.0.0",
    .capabilities = EQP_DYNAMICS_CAP_F64 | EQP_DYNAMICS_CAP_EARLY_STOP,
    .vtable = &vtable,
    .description = "s ← clip(s + ε(F(s) − s) − εβ∂ℓ/∂s) for T steps, stopping early below a "
                   "tolerance; examples/c-dynamics.",
    .options = options,
    .option_count = 3,
};
static const EQP_PluginDescriptor *const plugins[] = {&descriptor};

static EQP_Status library_init(const EQP_HostApi *api, EQP_Error *err) {
  (void)err; /* no host table, no error->set: the status alone refuses the library */
  if (!EQP_HAS(api, EQP_HostApi, model)) return EQP_ERR_ABI_MISMATCH;
  host = api;
  return EQP_OK;
}

static const EQP_Library library = {
    .struct_size = EQP_Library_STRUCT_SIZE,
    .magic = EQP_LIBRARY_MAGIC,
    .abi_major = EQP_ABI_MAJOR,
    .abi_minor = EQP_ABI_MINOR,
    .required_host_minor = 0, /* calls nothing newer than ABI 1.0 */
    .name = "fixed_point",
    .version = "1.0.0",
    .build = "examples/c-dynamics",
    .plugins = plugins,
    .plugin_count = 1,
    .init = library_init,
};

/* The one exported symbol: static data, no work. */
const EQP_Library *eqp_plugin_entry(const EQP_HostInfo *info) {
  (void)info;
  return &library;
}
