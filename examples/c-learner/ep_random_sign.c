/* A learner plugin in plain C against eqprop.h alone: Equilibrium Propagation with a random
 * sign of β drawn per minibatch (Scellier & Bengio 2017; the C-VF runs of Ernoult et al. 2020).
 *
 * Build and drop into a plugin folder (from the repository root):
 *
 *   cc -O2 -shared -fPIC -std=c11 -Wall -Wextra -I Core/ABI/include \
 *      examples/c-learner/ep_random_sign.c -o myplugins/libep_random_sign.so
 *   eqprop train examples/c-learner/p1h-ep-c.yaml --plugins myplugins
 *
 * It drives the phases through host->session, reads its options through host->config, draws
 * the sign from the host's seeded stream, and measures with host->kernel how far the nudged
 * phase moved the output layer (logged as the metric `nudge_shift`). */
#include "eqprop.h"

static const EQP_HostApi *host;

typedef struct Rule {
  int64_t nudged_steps;
  double beta;
  int64_t batch;         /* batch size the state sets were made for */
  EQP_TensorSet *free;   /* s*: end of the free phase */
  EQP_TensorSet *nudged; /* s^β */
} Rule;

static EQP_Status rule_init(const EQP_HostApi *api, EQP_Error *err) {
  if (api == NULL || api->struct_size < EQP_HostApi_STRUCT_SIZE) return EQP_ERR_ABI_MISMATCH;
  (void)err;
  host = api;
  return EQP_OK;
}

static EQP_Status rule_create(const EQP_LearnerCreateArgs *args, EQP_LearnerInstance **out,
                              EQP_Error *err) {
  Rule *rule;
  EQP_Status status;
  if (args == NULL || out == NULL)
    return host->error->set(err, EQP_ERR_INVALID_ARGUMENT, "ep_random_sign: args or out is NULL");
  rule = (Rule *)host->memory->alloc(sizeof(Rule), 0);
  if (rule == NULL) return host->error->set(err, EQP_ERR_OUT_OF_MEMORY, "ep_random_sign: no memory");
  rule->batch = 0;
  rule->free = NULL;
  rule->nudged = NULL;
  status = host->config->get_i64(args->options, "nudged_steps", &rule->nudged_steps, err);
  if (status == EQP_OK) status = host->config->get_f64(args->options, "beta", &rule->beta, err);
  if (status == EQP_OK && rule->beta <= 0)
    status = host->error->set(err, EQP_ERR_INVALID_ARGUMENT, "learner.beta: must be > 0");
  if (status != EQP_OK) {
    host->memory->free(rule);
    return status;
  }
  *out = (EQP_LearnerInstance *)rule;
  return EQP_OK;
}

/* The session frees the state sets when it ends; only the rule itself is ours. */
static void rule_destroy(EQP_LearnerInstance *learner) { host->memory->free(learner); }

static int64_t element_count(const EQP_Tensor *t) {
  int64_t n = 1;
  int32_t axis;
  for (axis = 0; axis < t->ndim; axis++) n *= t->shape[axis];
  return n;
}

static EQP_Status relax(EQP_Session *session, EQP_TensorSet *states, double beta, int64_t steps,
                        uint32_t start, EQP_RunResult *result, EQP_Error *err) {
  EQP_RelaxArgs args = {0};
  args.struct_size = EQP_RelaxArgs_STRUCT_SIZE;
  args.states = states;
  args.beta = beta;
  args.steps = steps;
  args.start = start;
  result->struct_size = EQP_RunResult_STRUCT_SIZE;
  return host->session->relax(session, &args, result, err);
}

static EQP_Status rule_train_batch(EQP_LearnerInstance *learner, EQP_Session *session,
                                   const EQP_BatchArgs *args, EQP_BatchResult *out,
                                   EQP_Error *err) {
  const EQP_HostSessionApi *api = host->session;
  Rule *rule = (Rule *)learner;
  int64_t batch = api->batch_size(session);
  EQP_RunResult free_run = {0}, nudged_run = {0};
  EQP_Status status;
  double loss = 0, beta, shift = 0;
  int64_t errors = 0;
  size_t count = 0;
  EQP_Tensor *free_layers, *nudged_layers;

  if (rule->batch != batch) { /* first batch, or a new batch size: make the state sets */
    api->set_destroy(session, rule->free);
    api->set_destroy(session, rule->nudged);
    if ((status = api->states_create(session, &rule->free, err)) != EQP_OK) return status;
    if ((status = api->states_create(session, &rule->nudged, err)) != EQP_OK) return status;
    rule->batch = batch;
  }
  if ((status = relax(session, rule->free, 0.0, 0, EQP_START_DEFAULT, &free_run, err)) != EQP_OK)
    return status;
  if ((status = api->evaluate(session, rule->free, &loss, &errors, err)) != EQP_OK) return status;

  beta = host->rng->uniform(api->rng(session)) < 0.5 ? rule->beta : -rule->beta;
  if ((status = api->set_copy(session, rule->nudged, rule->free, err)) != EQP_OK) return status;
  status = relax(session, rule->nudged, beta, rule->nudged_steps, EQP_START_CURRENT, &nudged_run, err);
  if (status != EQP_OK) return status;

  /* g = −(Φ_θ(s^β) − Φ_θ(s*)) / (β B): the host applies θ ← θ − η g. */
  status = api->param_grad(session, rule->nudged, -1.0 / (beta * (double)batch), args->grads, err);
  if (status == EQP_OK)
    status = api->param_grad(session, rule->free, 1.0 / (beta * (double)batch), args->grads, err);
  if (status != EQP_OK) return status;

  /* Layer 0 is the output: how far did the nudge move it? */
  free_layers = api->set_tensors(rule->free, &count);
  nudged_layers = api->set_tensors(rule->nudged, &count);
  status = host->kernel->max_abs_diff(api->dtype(session), element_count(&free_layers[0]),
                                      free_layers[0].data, nudged_layers[0].data, &shift, err);
  if (status == EQP_OK) status = api->log_metric(session, "nudge_shift", shift, err);
  if (status != EQP_OK) return status;

  out->applied = 0;
  out->loss_sum = loss;
  out->errors = errors;
  out->free_steps = free_run.steps_used;
  return EQP_OK;
}

static const EQP_LearnerVTable vtable = {
    .struct_size = EQP_LearnerVTable_STRUCT_SIZE,
    .create = rule_create,
    .destroy = rule_destroy,
    .train_batch = rule_train_batch,
};

static const EQP_OptionSpec nudged_steps = {
    .struct_size = EQP_OptionSpec_STRUCT_SIZE,
    .name = "nudged_steps",
    .type = EQP_OPT_INT,
    .flags = EQP_OPT_REQUIRED | EQP_OPT_HAS_MIN,
    .doc = "K: steps of the nudged phase",
    .min = 1,
};
static const EQP_OptionSpec beta = {
    .struct_size = EQP_OptionSpec_STRUCT_SIZE,
    .name = "beta",
    .type = EQP_OPT_FLOAT,
    .flags = EQP_OPT_REQUIRED | EQP_OPT_HAS_MIN,
    .doc = "|β|: nudging strength; its sign is drawn per minibatch",
    .min = 0,
};
static const EQP_OptionSpec *const options[] = {&nudged_steps, &beta};

static const EQP_PluginDescriptor descriptor = {
    .struct_size = EQP_PluginDescriptor_STRUCT_SIZE,
    .kind = EQP_KIND_LEARNER,
    .id = "ep_random_sign",
    .display_name = "EP with a random sign of beta (C)",
    .version = "1.0.0",
    .capabilities = EQP_LEARNER_CAP_F64,
    .vtable = &vtable,
    .description = "Equilibrium Propagation with beta's sign drawn per minibatch, in plain C.",
    .options = options,
    .option_count = 2,
};
static const EQP_PluginDescriptor *const plugins[] = {&descriptor};

static const EQP_Library library = {
    .struct_size = EQP_Library_STRUCT_SIZE,
    .magic = EQP_LIBRARY_MAGIC,
    .abi_major = EQP_ABI_MAJOR,
    .abi_minor = EQP_ABI_MINOR,
    .name = "ep_random_sign",
    .version = "1.0.0",
    .build = "examples/c-learner",
    .plugins = plugins,
    .plugin_count = 1,
    .init = rule_init,
};

const EQP_Library *eqp_plugin_entry(const EQP_HostInfo *info) {
  (void)info;
  return &library;
}
