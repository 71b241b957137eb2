/* A model plugin in plain C against eqprop.h alone: a layered Hopfield energy with one hidden
 * layer and the hard sigmoid (Scellier & Bengio 2017, without lateral weights).
 *
 * Build and drop into a plugin folder (from the repository root):
 *
 *   cc -O2 -shared -fPIC -std=c11 -Wall -Wextra -I Core/ABI/include \
 *      examples/c-model/layered_energy.c -lm -o myplugins/liblayered_energy.so
 *   eqprop train examples/c-model/layered-energy.yaml --plugins myplugins
 *   eqprop check gdu examples/c-model/layered-energy-check.yaml --plugins myplugins
 *
 * Layers are indexed from the output: s0 (the classes), s1 (hidden), then the input x.
 *   Φ(x, s) = s0·W01·s1 + s1·W1x·x + b0·s0 + b1·s1        E(x, s) = ½‖s‖² − Φ(x, s)
 *   drive   F = s − ∂E/∂s = ∂Φ/∂s:   F0 = W01·s1 + b0,   F1 = W01ᵀ·s0 + W1x·x + b1
 *   cost    ℓ = ½‖s0 − y‖²
 * The layout gives both layers the range [0, 1], which the dynamics clips to; on it the hard
 * sigmoid is the identity, so F is exactly s − ∂E/∂s (EQP_MODEL_CAP_ENERGY).
 *
 * Every product goes through host->kernel. Tensors are batch-major ([batch, width], row-major),
 * so W·s for every example of a batch is the GEMM s·Wᵀ. */
#include <math.h>
#include <string.h>

#include "eqprop.h"

static const EQP_HostApi *host; /* set once by init, before any other call */

/* Returns from the calling function when a call fails; the callee already wrote the message. */
#define TRY(call)                          \
  do {                                     \
    EQP_Status status_ = (call);           \
    if (status_ != EQP_OK) return status_; \
  } while (0)

/* θ, in the order the layout declares it. */
enum { W01, B0, W1X, B1, PARAM_COUNT };

typedef struct Model {
  int64_t out, hidden, in; /* widths of s0, s1 and x */
  uint32_t dtype;
  int32_t device;
  /* The layout and everything it points to: owned by the instance, valid until destroy. */
  int64_t out_shape[1], hidden_shape[1], in_shape[1], w01_shape[2], w1x_shape[2];
  EQP_LayerSpec layers[2];
  const EQP_LayerSpec *layer_list[2];
  EQP_ParamSpec params[PARAM_COUNT];
  const EQP_ParamSpec *param_list[PARAM_COUNT];
  EQP_ModelLayout layout;
} Model;

/* Scratch memory for one batch size, from the host allocator. */
typedef struct Workspace {
  int64_t batch;
  EQP_Tensor input_term; /* [batch, hidden]: x·W1xᵀ + b1, cached by prepare */
  EQP_Tensor scratch;    /* [batch, max(out, hidden)]: temporaries of phi and cost */
} Workspace;

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

/* Refuses a NULL output: the sentence names the call and the argument. */
static EQP_Status missing(const char *what, EQP_Error *err) {
  return host->error->set(err, EQP_ERR_INVALID_ARGUMENT, what);
}

/* Row r of a batch-major array of rows `width` wide. */
static const void *row(const void *base, int64_t r, int64_t width, uint32_t dtype) {
  return (const char *)base + r * width * (dtype == EQP_DTYPE_F64 ? 8 : 4);
}

/* ---------------------------------------------------------------------------------------- */
/* Instance: options in, layout out                                                         */
/* ---------------------------------------------------------------------------------------- */

static void declare_layer(EQP_LayerSpec *spec, const char *name, const int64_t *shape) {
  spec->struct_size = EQP_LayerSpec_STRUCT_SIZE;
  spec->name = name;
  spec->ndim = 1;
  spec->shape = shape;
  spec->clip = EQP_CLIP_RANGE;
  spec->lower = 0;
  spec->upper = 1;
}

static void declare_param(EQP_ParamSpec *spec, const char *name, uint32_t role, int32_t ndim,
                          const int64_t *shape, uint32_t lr_group) {
  spec->struct_size = EQP_ParamSpec_STRUCT_SIZE;
  spec->name = name; /* the key in weights.safetensors */
  spec->ndim = ndim;
  spec->role = role;
  spec->shape = shape;
  spec->lr_group = lr_group; /* optimizer.lr[lr_group], output first */
}

static void build_layout(Model *m) {
  m->out_shape[0] = m->w01_shape[0] = m->out;
  m->hidden_shape[0] = m->w01_shape[1] = m->w1x_shape[0] = m->hidden;
  m->in_shape[0] = m->w1x_shape[1] = m->in;
  declare_layer(&m->layers[0], "s0", m->out_shape);
  declare_layer(&m->layers[1], "s1", m->hidden_shape);
  declare_param(&m->params[W01], "W01", EQP_PARAM_WEIGHT, 2, m->w01_shape, 0);
  declare_param(&m->params[B0], "b0", EQP_PARAM_BIAS, 1, m->out_shape, 0);
  declare_param(&m->params[W1X], "W1x", EQP_PARAM_WEIGHT, 2, m->w1x_shape, 1);
  declare_param(&m->params[B1], "b1", EQP_PARAM_BIAS, 1, m->hidden_shape, 1);
  for (int i = 0; i < 2; i++) m->layer_list[i] = &m->layers[i];
  for (int k = 0; k < PARAM_COUNT; k++) m->param_list[k] = &m->params[k];
  m->layout.struct_size = EQP_ModelLayout_STRUCT_SIZE;
  m->layout.layer_count = 2;
  m->layout.layers = m->layer_list;
  m->layout.param_count = PARAM_COUNT;
  m->layout.params = m->param_list;
  m->layout.input_ndim = 1;
  m->layout.input_shape = m->in_shape;
  m->layout.lr_group_count = 2;
  m->layout.class_count = m->out;
  /* capabilities 0: this instance has every bit of the descriptor */
}

static EQP_Status model_create(const EQP_ModelCreateArgs *args, EQP_ModelInstance **out,
                               EQP_Error *err) {
  int64_t sizes[3];
  size_t count = 0;
  Model *m;
  if (args == NULL || out == NULL)
    return host->error->set(err, EQP_ERR_INVALID_ARGUMENT, "layered_energy.create: args or out is NULL");
  if (args->dtype != EQP_DTYPE_F32 && args->dtype != EQP_DTYPE_F64)
    return host->error->set(err, EQP_ERR_UNSUPPORTED, "layered_energy: the dtype is neither f32 nor f64");
  /* The host has checked the option against its spec (a list of integers ≥ 1). */
  TRY(host->config->get_i64_list(args->options, "layers", sizes, 3, &count, err));
  if (count != 3)
    return host->error->set(err, EQP_ERR_INVALID_ARGUMENT,
                            "model.layers: give three sizes, output first: [classes, hidden, input]");
  m = (Model *)host->memory->alloc(sizeof *m, 0);
  if (m == NULL) return host->error->set(err, EQP_ERR_OUT_OF_MEMORY, "layered_energy: no memory");
  memset(m, 0, sizeof *m); /* a field left unset reads as 0: "absent" */
  m->out = sizes[0];
  m->hidden = sizes[1];
  m->in = sizes[2];
  m->dtype = args->dtype;
  m->device = args->device_type;
  build_layout(m);
  *out = (EQP_ModelInstance *)m;
  return EQP_OK;
}

static void model_destroy(EQP_ModelInstance *m) { host->memory->free(m); }

static EQP_Status model_describe(const EQP_ModelInstance *instance, EQP_ModelLayout *out,
                                 EQP_Error *err) {
  const Model *m = (const Model *)instance;
  if (m == NULL || out == NULL)
    return host->error->set(err, EQP_ERR_INVALID_ARGUMENT, "layered_energy.describe: model or out is NULL");
  write_out(out, &m->layout, EQP_ModelLayout_STRUCT_SIZE);
  return EQP_OK;
}

/* PyTorch's default for a linear layer: weights and biases U(±1/√fan_in), from the host's
 * seeded stream so that a seed replays. */
static EQP_Status model_init_params(EQP_ModelInstance *instance, EQP_Tensor *params,
                                    size_t count, EQP_Rng *rng, EQP_Error *err) {
  const Model *m = (const Model *)instance;
  double bound[PARAM_COUNT];
  if (m == NULL || params == NULL || count != PARAM_COUNT)
    return host->error->set(err, EQP_ERR_INVALID_ARGUMENT, "layered_energy.init_params: expected 4 tensors");
  bound[W01] = bound[B0] = 1 / sqrt((double)m->hidden);
  bound[W1X] = bound[B1] = 1 / sqrt((double)m->in);
  for (int k = 0; k < PARAM_COUNT; k++)
    TRY(host->rng->fill_uniform(rng, &params[k], -bound[k], bound[k], err));
  return EQP_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Workspaces                                                                               */
/* ---------------------------------------------------------------------------------------- */

static void model_workspace_destroy(EQP_ModelInstance *m, EQP_Workspace *workspace) {
  Workspace *ws = (Workspace *)workspace;
  (void)m;
  if (ws == NULL) return;
  host->memory->tensor_free(&ws->input_term); /* a zeroed view: nothing */
  host->memory->tensor_free(&ws->scratch);
  host->memory->free(ws);
}

static EQP_Status model_workspace_create(EQP_ModelInstance *instance, int64_t batch,
                                         uint32_t dtype, EQP_Workspace **out, EQP_Error *err) {
  const Model *m = (const Model *)instance;
  int64_t term_shape[2], scratch_shape[2];
  Workspace *ws;
  EQP_Status status;
  if (m == NULL || out == NULL || batch <= 0 || dtype != m->dtype)
    return host->error->set(err, EQP_ERR_INVALID_ARGUMENT,
                            "layered_energy.workspace_create: needs out, a batch > 0 and the model's dtype");
  ws = (Workspace *)host->memory->alloc(sizeof *ws, 0);
  if (ws == NULL) return host->error->set(err, EQP_ERR_OUT_OF_MEMORY, "layered_energy: no memory");
  memset(ws, 0, sizeof *ws);
  ws->batch = batch;
  term_shape[0] = scratch_shape[0] = batch;
  term_shape[1] = m->hidden;
  scratch_shape[1] = m->out > m->hidden ? m->out : m->hidden;
  status = host->memory->tensor_alloc(dtype, 2, term_shape, m->device, &ws->input_term, err);
  if (status == EQP_OK)
    status = host->memory->tensor_alloc(dtype, 2, scratch_shape, m->device, &ws->scratch, err);
  if (status != EQP_OK) {
    model_workspace_destroy(instance, (EQP_Workspace *)ws);
    return status; /* *out untouched */
  }
  *out = (EQP_Workspace *)ws;
  return EQP_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* The math. Every call checks the eval once; tensor shapes follow the layout.              */
/* ---------------------------------------------------------------------------------------- */

/* The pointers one call works with. */
typedef struct Eval {
  const Model *m;
  Workspace *ws;
  int64_t batch;
  uint32_t dtype;
  void *theta[PARAM_COUNT];
  void *s0, *s1, *x, *y; /* NULL when the eval has none */
} Eval;

static EQP_Status open_eval(const EQP_ModelInstance *instance, const EQP_ModelEval *ev,
                            int needs_states, int needs_target, Eval *e, EQP_Error *err) {
  const Model *m = (const Model *)instance;
  if (m == NULL || ev == NULL || ev->workspace == NULL || ev->params == NULL ||
      ev->param_count != PARAM_COUNT || ev->input == NULL)
    return host->error->set(err, EQP_ERR_INVALID_ARGUMENT,
                            "layered_energy: the eval lacks its workspace, 4 parameters or input");
  if (needs_states && (ev->states == NULL || ev->layer_count != 2))
    return host->error->set(err, EQP_ERR_INVALID_ARGUMENT, "layered_energy: the eval needs 2 state layers");
  if (needs_target && ev->target == NULL)
    return host->error->set(err, EQP_ERR_INVALID_ARGUMENT, "layered_energy: the eval has no target");
  e->m = m;
  e->ws = (Workspace *)ev->workspace;
  if (ev->batch != e->ws->batch || ev->params[0].dtype != m->dtype)
    return host->error->set(err, EQP_ERR_INVALID_ARGUMENT,
                            "layered_energy: the eval's batch or dtype differs from its workspace's");
  e->batch = ev->batch;
  e->dtype = m->dtype;
  for (int k = 0; k < PARAM_COUNT; k++) e->theta[k] = at(&ev->params[k]);
  e->s0 = needs_states ? at(&ev->states[0]) : NULL;
  e->s1 = needs_states ? at(&ev->states[1]) : NULL;
  e->x = at(ev->input);
  e->y = ev->target != NULL ? at(ev->target) : NULL;
  return EQP_OK;
}

/* Caches x·W1xᵀ + b1, which depends on x and θ but not on s. */
static EQP_Status model_prepare(EQP_ModelInstance *instance, const EQP_ModelEval *ev,
                                EQP_Error *err) {
  const EQP_HostKernelApi *k = host->kernel;
  Eval e;
  TRY(open_eval(instance, ev, 0, 0, &e, err));
  void *term = at(&e.ws->input_term);
  TRY(k->gemm(e.dtype, 0, 1, e.batch, e.m->hidden, e.m->in, 1, e.x, e.m->in, e.theta[W1X],
              e.m->in, 0, term, e.m->hidden, err));
  return k->add_row_vector(e.dtype, e.batch, e.m->hidden, 1, e.theta[B1], term, err);
}

/* f0 = s1·W01ᵀ + b0, for drive and phi. */
static EQP_Status output_drive(const Eval *e, void *f0, EQP_Error *err) {
  int64_t B = e->batch, C = e->m->out, H = e->m->hidden;
  TRY(host->kernel->gemm(e->dtype, 0, 1, B, C, H, 1, e->s1, H, e->theta[W01], H, 0, f0, C, err));
  return host->kernel->add_row_vector(e->dtype, B, C, 1, e->theta[B0], f0, err);
}

/* F0 = s1·W01ᵀ + b0 and F1 = s0·W01 + (x·W1xᵀ + b1): no clip, nudge or ε (the dynamics'). */
static EQP_Status model_drive(EQP_ModelInstance *instance, const EQP_ModelEval *ev,
                              EQP_Tensor *out, EQP_Error *err) {
  const EQP_HostKernelApi *k = host->kernel;
  Eval e;
  if (out == NULL) return missing("layered_energy.drive: out is NULL", err);
  TRY(open_eval(instance, ev, 1, 0, &e, err));
  int64_t B = e.batch, C = e.m->out, H = e.m->hidden;
  void *f1 = at(&out[1]);
  TRY(output_drive(&e, at(&out[0]), err));
  TRY(k->convert(e.dtype, e.dtype, B * H, at(&e.ws->input_term), f1, err));
  return k->gemm(e.dtype, 0, 0, B, H, C, 1, e.s0, C, e.theta[W01], H, 1, f1, H, err);
}

/* grads += coeff·Σ_batch ∂Φ/∂θ: outer products and row sums. */
static EQP_Status model_param_grad(EQP_ModelInstance *instance, const EQP_ModelEval *ev,
                                   double coeff, EQP_Tensor *grads, EQP_Error *err) {
  const EQP_HostKernelApi *k = host->kernel;
  Eval e;
  if (grads == NULL) return missing("layered_energy.param_grad: grads is NULL", err);
  TRY(open_eval(instance, ev, 1, 0, &e, err));
  int64_t B = e.batch, C = e.m->out, H = e.m->hidden, D = e.m->in;
  TRY(k->outer_acc(e.dtype, B, C, H, coeff, e.s0, e.s1, at(&grads[W01]), err));
  TRY(k->sum_rows(e.dtype, B, C, coeff, e.s0, 1, at(&grads[B0]), err));
  TRY(k->outer_acc(e.dtype, B, H, D, coeff, e.s1, e.x, at(&grads[W1X]), err));
  return k->sum_rows(e.dtype, B, H, coeff, e.s1, 1, at(&grads[B1]), err);
}

/* per_example[b] = Φ(x_b, s_b) = s0·(W01·s1 + b0) + s1·(W1x·x + b1). */
static EQP_Status model_phi(EQP_ModelInstance *instance, const EQP_ModelEval *ev,
                            double *per_example, EQP_Error *err) {
  const EQP_HostKernelApi *k = host->kernel;
  Eval e;
  if (per_example == NULL) return missing("layered_energy.phi: per_example is NULL", err);
  TRY(open_eval(instance, ev, 1, 0, &e, err));
  int64_t B = e.batch, C = e.m->out, H = e.m->hidden;
  void *f0 = at(&e.ws->scratch), *term = at(&e.ws->input_term);
  TRY(output_drive(&e, f0, err));
  for (int64_t b = 0; b < B; b++) {
    double output_part, hidden_part;
    TRY(k->dot(e.dtype, C, row(e.s0, b, C, e.dtype), row(f0, b, C, e.dtype), &output_part, err));
    TRY(k->dot(e.dtype, H, row(e.s1, b, H, e.dtype), row(term, b, H, e.dtype), &hidden_part, err));
    per_example[b] = output_part + hidden_part;
  }
  return EQP_OK;
}

/* per_example[b] = ½‖s0_b − y_b‖². */
static EQP_Status model_cost(EQP_ModelInstance *instance, const EQP_ModelEval *ev,
                             double *per_example, EQP_Error *err) {
  const EQP_HostKernelApi *k = host->kernel;
  Eval e;
  if (per_example == NULL) return missing("layered_energy.cost: per_example is NULL", err);
  TRY(open_eval(instance, ev, 1, 1, &e, err));
  int64_t B = e.batch, C = e.m->out;
  void *residual = at(&e.ws->scratch);
  TRY(k->convert(e.dtype, e.dtype, B * C, e.s0, residual, err));
  TRY(k->axpby(e.dtype, B * C, -1, e.y, 1, residual, err));
  for (int64_t b = 0; b < B; b++) {
    const void *r = row(residual, b, C, e.dtype);
    double squares;
    TRY(k->dot(e.dtype, C, r, r, &squares, err));
    per_example[b] = 0.5 * squares;
  }
  return EQP_OK;
}

/* grad_states[0] += coeff·(s0 − y); ℓ has no parameters, so grad_params stays as it is. */
static EQP_Status model_cost_grad(EQP_ModelInstance *instance, const EQP_ModelEval *ev,
                                  double coeff, EQP_Tensor *grad_states, EQP_Tensor *grad_params,
                                  EQP_Error *err) {
  const EQP_HostKernelApi *k = host->kernel;
  Eval e;
  (void)grad_params;
  if (grad_states == NULL) return missing("layered_energy.cost_grad: grad_states is NULL", err);
  TRY(open_eval(instance, ev, 1, 1, &e, err));
  int64_t n = e.batch * e.m->out;
  TRY(k->axpby(e.dtype, n, coeff, e.s0, 1, at(&grad_states[0]), err));
  return k->axpby(e.dtype, n, -coeff, e.y, 1, at(&grad_states[0]), err);
}

/* The scores are the output layer itself. */
static EQP_Status model_predict(EQP_ModelInstance *instance, const EQP_ModelEval *ev,
                                EQP_Tensor *scores, EQP_Error *err) {
  Eval e;
  if (scores == NULL) return missing("layered_energy.predict: scores is NULL", err);
  TRY(open_eval(instance, ev, 1, 0, &e, err));
  return host->kernel->convert(e.dtype, e.dtype, e.batch * e.m->out, e.s0, at(scores), err);
}

/* F is linear in s: with g the cotangent on F, cot_s0 = g1·W01ᵀ and cot_s1 = g0·W01
 * (overwritten); cot_θ += the same outer products as param_grad, with g in place of s. */
static EQP_Status model_vjp(EQP_ModelInstance *instance, const EQP_ModelEval *ev,
                            const EQP_Tensor *cot_out, EQP_Tensor *cot_states,
                            EQP_Tensor *cot_params, EQP_Error *err) {
  const EQP_HostKernelApi *k = host->kernel;
  Eval e;
  if (cot_out == NULL || cot_states == NULL)
    return missing("layered_energy.vjp: cot_out or cot_states is NULL", err);
  TRY(open_eval(instance, ev, 1, 0, &e, err));
  int64_t B = e.batch, C = e.m->out, H = e.m->hidden, D = e.m->in;
  const void *g0 = at(&cot_out[0]), *g1 = at(&cot_out[1]);
  TRY(k->gemm(e.dtype, 0, 1, B, C, H, 1, g1, H, e.theta[W01], H, 0, at(&cot_states[0]), C, err));
  TRY(k->gemm(e.dtype, 0, 0, B, H, C, 1, g0, C, e.theta[W01], H, 0, at(&cot_states[1]), H, err));
  if (cot_params == NULL) return EQP_OK;
  TRY(k->outer_acc(e.dtype, B, C, H, 1, g0, e.s1, at(&cot_params[W01]), err));
  TRY(k->outer_acc(e.dtype, B, C, H, 1, e.s0, g1, at(&cot_params[W01]), err));
  TRY(k->sum_rows(e.dtype, B, C, 1, g0, 1, at(&cot_params[B0]), err));
  TRY(k->outer_acc(e.dtype, B, H, D, 1, g1, e.x, at(&cot_params[W1X]), err));
  return k->sum_rows(e.dtype, B, H, 1, g1, 1, at(&cot_params[B1]), err);
}

/* ---------------------------------------------------------------------------------------- */
/* What the library declares                                                                */
/* ---------------------------------------------------------------------------------------- */

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
    .predict = model_predict,
    .vjp = model_vjp, /* promised by EQP_MODEL_CAP_VJP */
    .phi = model_phi, /* promised by EQP_MODEL_CAP_PHI */
};

static const EQP_OptionSpec layers_option = {
    .struct_size = EQP_OptionSpec_STRUCT_SIZE,
    .name = "layers",
    .type = EQP_OPT_INT_LIST,
    .flags = EQP_OPT_REQUIRED | EQP_OPT_HAS_MIN,
    .doc = "[classes, hidden, input] widths, output first, e.g. [10, 256, 784]",
    .min = 1,
};
static const EQP_OptionSpec *const options[] = {&layers_option};

static const EQP_PluginDescriptor descriptor = {
    .struct_size = EQP_PluginDescriptor_STRUCT_SIZE,
    .kind = EQP_KIND_MODEL,
    .id = "example-c-energy",
    .display_name = "Layered Hopfield energy (C example)",
    .version = "1.0.0",
    .capabilities = EQP_MODEL_CAP_PHI | EQP_MODEL_CAP_VJP | EQP_MODEL_CAP_F64 | EQP_MODEL_CAP_ENERGY,
    .vtable = &vtable,
    .description = "One hidden layer, E = ½‖s‖² − Φ with bilinear Φ, states clipped to [0, 1] "
                   "(the hard sigmoid), cost ½‖s0 − y‖²; examples/c-model.",
    .options = options,
    .option_count = 1,
};
static const EQP_PluginDescriptor *const plugins[] = {&descriptor};

static EQP_Status library_init(const EQP_HostApi *api, EQP_Error *err) {
  (void)err; /* no host table, no error->set: the status alone refuses the library */
  if (!EQP_HAS(api, EQP_HostApi, kernel)) return EQP_ERR_ABI_MISMATCH;
  host = api;
  return EQP_OK;
}

static const EQP_Library library = {
    .struct_size = EQP_Library_STRUCT_SIZE,
    .magic = EQP_LIBRARY_MAGIC,
    .abi_major = EQP_ABI_MAJOR,
    .abi_minor = EQP_ABI_MINOR,
    .required_host_minor = 0, /* calls nothing newer than ABI 1.0 */
    .name = "layered_energy",
    .version = "1.0.0",
    .build = "examples/c-model",
    .plugins = plugins,
    .plugin_count = 1,
    .init = library_init,
};

/* The one exported symbol: static data, no work. */
const EQP_Library *eqp_plugin_entry(const EQP_HostInfo *info) {
  (void)info;
  return &library;
}
