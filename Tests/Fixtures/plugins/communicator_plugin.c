/* A communicator plugin for the tests, built with one `cc` command against eqprop.h alone.
 *
 * Without macros it is a valid communicator "fake": a job of one process whose collectives
 * leave the data as it is (what a sum, broadcast or gather over one rank gives). Each macro
 * changes one thing:
 *
 *   COMMUNICATOR_ID="mpi"           another id
 *   COMMUNICATOR_BARRIER_FAILS      barrier refuses with a sentence
 *   COMMUNICATOR_NULL_ALLGATHER     the vtable lacks the required allgather
 *
 *   cc -shared -fPIC -std=c11 -Wall -Wextra -Werror -I Core/ABI/include \
 *      [-DCOMMUNICATOR_BARRIER_FAILS ...] communicator_plugin.c -o libcommunicator.so
 */
#include <string.h>

#include "eqprop.h"

#ifndef COMMUNICATOR_ID
#define COMMUNICATOR_ID "fake"
#endif

static const EQP_HostApi *host_api;

struct EQP_CommunicatorInstance {
  int64_t rank;
};
static struct EQP_CommunicatorInstance the_instance;

static EQP_Status fake_init(const EQP_HostApi *host, EQP_Error *err) {
  (void)err;
  host_api = host;
  return EQP_OK;
}

static EQP_Status fake_create(const EQP_CommunicatorCreateArgs *args,
                              EQP_CommunicatorInstance **out, EQP_Error *err) {
  (void)args;
  (void)err;
  *out = &the_instance;
  return EQP_OK;
}

static void fake_destroy(EQP_CommunicatorInstance *c) { (void)c; }

static EQP_Status fake_info(EQP_CommunicatorInstance *c, EQP_CommunicatorInfo *out,
                            EQP_Error *err) {
  (void)err;
  out->rank = c->rank;
  out->size = 1;
  out->library = "fake transport";
  return EQP_OK;
}

static EQP_Status fake_allreduce_sum(EQP_CommunicatorInstance *c, void *buffer, int64_t count,
                                     uint32_t dtype, EQP_Error *err) {
  (void)c;
  (void)buffer;
  (void)count;
  (void)dtype;
  (void)err;
  return EQP_OK;
}

static EQP_Status fake_broadcast(EQP_CommunicatorInstance *c, void *buffer, int64_t bytes,
                                 int64_t root, EQP_Error *err) {
  (void)c;
  (void)buffer;
  (void)bytes;
  (void)root;
  (void)err;
  return EQP_OK;
}

static EQP_Status fake_allgather(EQP_CommunicatorInstance *c, const void *send, void *recv,
                                 const int64_t *counts, EQP_Error *err) {
  (void)c;
  (void)err;
  if (counts[0] > 0) memcpy(recv, send, (size_t)counts[0]);
  return EQP_OK;
}

static EQP_Status fake_barrier(EQP_CommunicatorInstance *c, EQP_Error *err) {
  (void)c;
#ifdef COMMUNICATOR_BARRIER_FAILS
  return host_api->error->set(err, EQP_ERR_IO, "fake: barrier fails on purpose");
#else
  (void)err;
  return EQP_OK;
#endif
}

static void fake_abort(EQP_CommunicatorInstance *c, int32_t code) {
  (void)c;
  (void)code;
}

static const EQP_CommunicatorVTable vtable = {
    .struct_size = EQP_CommunicatorVTable_STRUCT_SIZE,
    .create = fake_create,
    .destroy = fake_destroy,
    .info = fake_info,
    .allreduce_sum = fake_allreduce_sum,
    .broadcast = fake_broadcast,
#ifndef COMMUNICATOR_NULL_ALLGATHER
    .allgather = fake_allgather,
#endif
    .barrier = fake_barrier,
    .abort = fake_abort,
};

static const EQP_PluginDescriptor descriptor = {
    .struct_size = EQP_PluginDescriptor_STRUCT_SIZE,
    .kind = EQP_KIND_COMMUNICATOR,
    .id = COMMUNICATOR_ID,
    .display_name = "Fake communicator (C)",
    .version = "1.0.0",
    .vtable = &vtable,
};
static const EQP_PluginDescriptor *const plugins[] = {&descriptor};

static const EQP_Library library = {
    .struct_size = EQP_Library_STRUCT_SIZE,
    .magic = EQP_LIBRARY_MAGIC,
    .abi_major = EQP_ABI_MAJOR,
    .abi_minor = EQP_ABI_MINOR,
    .required_host_minor = 3,
    .name = "communicator",
    .version = "1.0.0",
    .build = "cc",
    .plugins = plugins,
    .plugin_count = 1,
    .init = fake_init,
};

const EQP_Library *eqp_plugin_entry(const EQP_HostInfo *host) {
  (void)host;
#ifdef COMMUNICATOR_NULL_ALLGATHER
  (void)fake_allgather; /* compiled, but deliberately left out of the vtable */
#endif
  return &library;
}
