/* The `mpi` communicator of a build that found no <mpi.h>. The library still loads, so
 * `eqprop plugins` lists it and a single-process run is undisturbed; a process that needs MPI
 * (started by a launcher, or given --communicator mpi) gets this create's sentence. The entry
 * does not return NULL instead: the host would refuse the file without saying why, and
 * `eqprop plugins` would fail on every machine without MPI. */
#include "mpi_plugin.h"

#if !EQP_MPI_AVAILABLE

#include <stdlib.h>

EQP_MPI_HIDDEN const char eqp_mpi_description[] =
    "Unavailable: built without MPI's headers (mpi.h), so it cannot join a job. Install "
    "libopenmpi-dev (scripts/install-packages does) and rebuild eqprop.";
EQP_MPI_HIDDEN const char eqp_mpi_build[] = "C, without <mpi.h>";

static EQP_Status missing_create(const EQP_CommunicatorCreateArgs *args,
                                 EQP_CommunicatorInstance **out, EQP_Error *err) {
  (void)args;
  (void)out;
  return eqp_mpi_host->error->set(
      err, EQP_ERR_UNSUPPORTED,
      "eqprop_mpi was built without MPI headers (no mpi.h was found); install libopenmpi-dev "
      "(scripts/install-packages does) and rebuild eqprop");
}

/* No instance can exist, so the calls below are never reached; the vtable still has to hold
 * every required function for the loader to accept it. */
static void missing_destroy(EQP_CommunicatorInstance *c) { (void)c; }

static EQP_Status no_instance(EQP_Error *err) {
  return eqp_mpi_host->error->set(err, EQP_ERR_UNSUPPORTED, "eqprop_mpi was built without MPI");
}

static EQP_Status missing_info(EQP_CommunicatorInstance *c, EQP_CommunicatorInfo *out,
                               EQP_Error *err) {
  (void)c;
  (void)out;
  return no_instance(err);
}

static EQP_Status missing_allreduce_sum(EQP_CommunicatorInstance *c, void *buffer, int64_t count,
                                        uint32_t dtype, EQP_Error *err) {
  (void)c;
  (void)buffer;
  (void)count;
  (void)dtype;
  return no_instance(err);
}

static EQP_Status missing_broadcast(EQP_CommunicatorInstance *c, void *buffer, int64_t bytes,
                                    int64_t root, EQP_Error *err) {
  (void)c;
  (void)buffer;
  (void)bytes;
  (void)root;
  return no_instance(err);
}

static EQP_Status missing_allgather(EQP_CommunicatorInstance *c, const void *send, void *recv,
                                    const int64_t *counts, EQP_Error *err) {
  (void)c;
  (void)send;
  (void)recv;
  (void)counts;
  return no_instance(err);
}

static EQP_Status missing_barrier(EQP_CommunicatorInstance *c, EQP_Error *err) {
  (void)c;
  return no_instance(err);
}

static void missing_abort(EQP_CommunicatorInstance *c, int32_t code) {
  (void)c;
  _Exit(code);
}

EQP_MPI_HIDDEN const EQP_CommunicatorVTable eqp_mpi_vtable = {
    .struct_size = EQP_CommunicatorVTable_STRUCT_SIZE,
    .create = missing_create,
    .destroy = missing_destroy,
    .info = missing_info,
    .allreduce_sum = missing_allreduce_sum,
    .broadcast = missing_broadcast,
    .allgather = missing_allgather,
    .barrier = missing_barrier,
    .abort = missing_abort,
};

#endif
