/* A small C learner plugin built by the tests with one `cc` command against eqprop.h alone.
 *
 * Without macros it is a valid plugin: learner "fixture", which leaves the gradient at zero
 * (a control that does not learn). Each FIXTURE_* macro breaks one rule of the ABI, so the
 * tests can check that the host refuses it with the right sentence:
 *
 *   cc -shared -fPIC -std=c11 -Wall -Wextra -Werror -I Core/ABI/include \
 *      [-DFIXTURE_BAD_MAGIC ...] fixture_plugin.c -o libfixture.so
 */
#include "eqprop.h"

#ifndef FIXTURE_ID
#define FIXTURE_ID "fixture"
#endif

static const EQP_HostApi *host_api;

typedef struct FixtureLearner {
  int64_t batches;
} FixtureLearner;

static FixtureLearner the_learner;

static EQP_Status fixture_init(const EQP_HostApi *host, EQP_Error *err) {
#ifdef FIXTURE_INIT_FAILS
  return host->error->set(err, EQP_ERR_INTERNAL, "fixture init refuses on purpose");
#else
  (void)err;
  host_api = host;
  return EQP_OK;
#endif
}

static EQP_Status learner_create(const EQP_LearnerCreateArgs *args, EQP_LearnerInstance **out,
                                 EQP_Error *err) {
  if (args == NULL || out == NULL)
    return host_api->error->set(err, EQP_ERR_INVALID_ARGUMENT, "fixture: args or out is NULL");
  the_learner.batches = 0;
  *out = (EQP_LearnerInstance *)&the_learner;
  return EQP_OK;
}

static void learner_destroy(EQP_LearnerInstance *learner) { (void)learner; }

/* Leaves args->grads at zero: the host then applies no change. */
static EQP_Status learner_train_batch(EQP_LearnerInstance *learner, EQP_Session *session,
                                      const EQP_BatchArgs *args, EQP_BatchResult *out,
                                      EQP_Error *err) {
  (void)session;
  (void)args;
#ifdef FIXTURE_TRAIN_BATCH_FAILS
  return host_api->error->set(err, EQP_ERR_NUMERIC, "fixture: train_batch fails on purpose");
#endif
  (void)err;
  ((FixtureLearner *)learner)->batches += 1;
  out->applied = 0;
  return EQP_OK;
}

static double fixture_batches(EQP_LearnerInstance *learner) {
  return (double)((FixtureLearner *)learner)->batches;
}

static const EQP_LearnerVTable learner_vtable = {
#ifdef FIXTURE_SHORT_VTABLE
    .struct_size = EQP_LearnerVTable_MIN_SIZE - 8,
#else
    .struct_size = EQP_LearnerVTable_STRUCT_SIZE,
#endif
    .create = learner_create,
    .destroy = learner_destroy,
#ifndef FIXTURE_NULL_TRAIN_BATCH
    .train_batch = learner_train_batch,
#endif
};

static const EQP_OptionSpec option_scale = {
    .struct_size = EQP_OptionSpec_STRUCT_SIZE,
    .name = "scale",
    .type = EQP_OPT_FLOAT,
    .flags = EQP_OPT_HAS_MIN,
#ifndef FIXTURE_OPTION_WITHOUT_DEFAULT
    .default_value = "1.0",
#endif
    .doc = "an option that does nothing",
    .min = 0.0,
};
static const EQP_OptionSpec *const options[] = {&option_scale};

static const EQP_ExtensionFunction function_batches = {
    .struct_size = EQP_ExtensionFunction_STRUCT_SIZE,
    .name = "batches",
#ifdef FIXTURE_BAD_SIGNATURE
    .signature = "d(px)",
#else
    .signature = "d(p)",
#endif
    .fn = (void (*)(void))fixture_batches,
    .doc = "minibatches seen",
};
static const EQP_ExtensionFunction *const functions[] = {&function_batches};

#if defined(FIXTURE_DYNAMICS_CAP_LIE) || defined(FIXTURE_NULL_DYNAMICS_RUN)
#define FIXTURE_HAS_DYNAMICS
#endif

#ifdef FIXTURE_HAS_DYNAMICS
/* A dynamics that breaks a promise: it claims step_vjp without providing it, or leaves out
 * the required run. */
static EQP_Status dynamics_create(const EQP_DynamicsCreateArgs *args, EQP_DynamicsInstance **out,
                                  EQP_Error *err) {
  (void)args;
  (void)out;
  return host_api->error->set(err, EQP_ERR_UNSUPPORTED, "fixture dynamics cannot run");
}
static void dynamics_destroy(EQP_DynamicsInstance *dynamics) { (void)dynamics; }
static EQP_Status dynamics_describe(const EQP_DynamicsInstance *dynamics, EQP_DynamicsInfo *out,
                                    EQP_Error *err) {
  (void)dynamics;
  (void)out;
  return host_api->error->set(err, EQP_ERR_UNSUPPORTED, "fixture dynamics cannot run");
}
static EQP_Status dynamics_run(EQP_DynamicsInstance *dynamics, const EQP_RunArgs *args,
                               EQP_RunResult *out, EQP_Error *err) {
  (void)dynamics;
  (void)args;
  (void)out;
  return host_api->error->set(err, EQP_ERR_UNSUPPORTED, "fixture dynamics cannot run");
}
static const EQP_DynamicsVTable dynamics_vtable = {
    .struct_size = EQP_DynamicsVTable_STRUCT_SIZE,
    .create = dynamics_create,
    .destroy = dynamics_destroy,
    .describe = dynamics_describe,
#ifndef FIXTURE_NULL_DYNAMICS_RUN
    .run = dynamics_run,
#endif
    .step_vjp = NULL,
};
#endif

static const EQP_PluginDescriptor descriptor = {
#ifdef FIXTURE_TRUNCATED_DESCRIPTOR
    /* A plugin built before options and functions existed: the host must not read them. */
    .struct_size = EQP_PluginDescriptor_MIN_SIZE,
#elif defined(FIXTURE_SHORT_DESCRIPTOR)
    .struct_size = EQP_PluginDescriptor_MIN_SIZE - 8,
#else
    .struct_size = EQP_PluginDescriptor_STRUCT_SIZE,
#endif
#if defined(FIXTURE_UNKNOWN_KIND)
    .kind = 9,
#else
    .kind = EQP_KIND_LEARNER,
#endif
    .id = FIXTURE_ID,
    .display_name = "Fixture learner (C)",
    .version = "1.0.0",
    .capabilities = 0,
    .vtable = &learner_vtable,
    .description = "Leaves every gradient at zero.",
    .options = options,
    .option_count = 1,
    .functions = functions,
    .function_count = 1,
};
#ifdef FIXTURE_HAS_DYNAMICS
/* A second plugin in the same library: refused alone, the learner still loads. */
static const EQP_PluginDescriptor lying_descriptor = {
    .struct_size = EQP_PluginDescriptor_STRUCT_SIZE,
    .kind = EQP_KIND_DYNAMICS,
    .id = "liar",
    .display_name = "Dynamics that breaks a promise",
    .version = "1.0.0",
#ifdef FIXTURE_DYNAMICS_CAP_LIE
    .capabilities = EQP_DYNAMICS_CAP_STEP_VJP,
#endif
    .vtable = &dynamics_vtable,
};
static const EQP_PluginDescriptor *const plugins[] = {&descriptor, &lying_descriptor};
#define FIXTURE_PLUGIN_COUNT 2
#else
static const EQP_PluginDescriptor *const plugins[] = {&descriptor};
#define FIXTURE_PLUGIN_COUNT 1
#endif

static const EQP_Library library = {
#if defined(FIXTURE_SHORT_PREFIX)
    .struct_size = 12,
#elif defined(FIXTURE_SHORT_LIBRARY)
    .struct_size = EQP_Library_MIN_SIZE - 8,
#else
    .struct_size = EQP_Library_STRUCT_SIZE,
#endif
#ifdef FIXTURE_BAD_MAGIC
    .magic = 0xdeadbeef,
#else
    .magic = EQP_LIBRARY_MAGIC,
#endif
#ifdef FIXTURE_OTHER_MAJOR
    .abi_major = EQP_ABI_MAJOR + 1,
#else
    .abi_major = EQP_ABI_MAJOR,
#endif
#if defined(FIXTURE_MINOR_AHEAD)
    /* Built against a newer header, but uses only what this host has. */
    .abi_minor = EQP_ABI_MINOR + 1,
    .required_host_minor = EQP_ABI_MINOR,
#elif defined(FIXTURE_NEEDS_NEWER_HOST)
    .abi_minor = EQP_ABI_MINOR + 1,
    .required_host_minor = EQP_ABI_MINOR + 1,
#else
    .abi_minor = EQP_ABI_MINOR,
    .required_host_minor = 0,
#endif
    .next = NULL,
    .name = "fixture",
    .version = "1.0.0",
    .build = "cc",
    .plugins = plugins,
    .plugin_count = FIXTURE_PLUGIN_COUNT,
    .init = fixture_init,
    .shutdown = NULL,
};

#ifdef FIXTURE_NO_ENTRY
const EQP_Library *not_the_entry(const EQP_HostInfo *host);
const EQP_Library *not_the_entry(const EQP_HostInfo *host) {
#else
const EQP_Library *eqp_plugin_entry(const EQP_HostInfo *host) {
#endif
  (void)host;
#ifdef FIXTURE_NULL_TRAIN_BATCH
  (void)learner_train_batch; /* compiled, but deliberately left out of the vtable */
#endif
#ifdef FIXTURE_NULL_DYNAMICS_RUN
  (void)dynamics_run;
#endif
#ifdef FIXTURE_NULL_RESULT
  (void)library;
  return NULL;
#else
  return &library;
#endif
}
