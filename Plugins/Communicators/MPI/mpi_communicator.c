/* The `mpi` communicator: EQP_CommunicatorVTable over a duplicate of MPI_COMM_WORLD.
 *
 * The host makes every call from the thread that called create (MPI_THREAD_FUNNELED); its
 * worker threads never touch MPI. Errors return (MPI_ERRORS_RETURN) and become an EQP_Status
 * with MPI's own sentence, so the host can name the plugin and the call, then abort the job. */
#define _GNU_SOURCE /* dladdr; before the first system header */
#include "mpi_plugin.h"

#if EQP_MPI_AVAILABLE

#include <dlfcn.h>
#include <limits.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most elements one MPI call moves: MPI counts are int. A test build lowers it
 * (-DEQP_MPI_CHUNK=1000) so that the chunked path runs with small buffers. */
#ifndef EQP_MPI_CHUNK
#define EQP_MPI_CHUNK INT_MAX
#endif

EQP_MPI_HIDDEN const char eqp_mpi_description[] =
    "Joins the processes of an mpirun or srun launch through MPI (one communicator per "
    "process, a duplicate of MPI_COMM_WORLD). Rebuild it with your cluster's mpicc.";
#define TEXT(x) #x
#define NUMBER_TEXT(x) TEXT(x)
EQP_MPI_HIDDEN const char eqp_mpi_build[] =
    "C, against <mpi.h> of MPI " NUMBER_TEXT(MPI_VERSION) "." NUMBER_TEXT(MPI_SUBVERSION);

struct EQP_CommunicatorInstance {
  MPI_Comm comm;
  int rank;
  int size;
  int initialized_here;   /* this plugin called MPI_Init_thread, so destroy finalizes */
  int *counts;            /* size entries, scratch for MPI_Allgatherv */
  int *displacements;     /* size entries */
  char library[MPI_MAX_LIBRARY_VERSION_STRING];
};

/* An EQP_Status with MPI's sentence for `code`, returned by a failed `call`. The closest code
 * to "the messages between processes failed" is EQP_ERR_IO. */
static EQP_Status mpi_failure(EQP_Error *err, const char *call, int code) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS)
    snprintf(text, sizeof text, "MPI error code %d", code);
  char message[MPI_MAX_ERROR_STRING + 64];
  snprintf(message, sizeof message, "%s failed: %s", call, text);
  return eqp_mpi_host->error->set(err, EQP_ERR_IO, message);
}

static EQP_Status refuse(EQP_Error *err, EQP_Status code, const char *message) {
  return eqp_mpi_host->error->set(err, code, message);
}

/* What carries the messages, for run.json: the library version's first line up to its first
 * comma ("Open MPI v4.1.4", "MPICH Version: 4.0"), tabs as spaces, trimmed. */
static void library_name(char *out, size_t size) {
  int length = 0;
  if (MPI_Get_library_version(out, &length) != MPI_SUCCESS || length <= 0) {
    snprintf(out, size, "MPI %d.%d", MPI_VERSION, MPI_SUBVERSION);
    return;
  }
  out[strcspn(out, "\n,")] = '\0';
  for (char *c = out; *c != '\0'; c++)
    if (*c == '\t') *c = ' ';
  size_t end = strlen(out);
  while (end > 0 && out[end - 1] == ' ') out[--end] = '\0';
  size_t start = strspn(out, " ");
  memmove(out, out + start, end - start + 1);
}

/* Open MPI opens its components (mca_*.so) with dlopen, and its documentation ("Dynamically
 * loading libmpi at runtime") asks that libmpi's symbols then be global. The host loads this
 * plugin, and with it libmpi, RTLD_LOCAL; where the components do not link libmpi themselves
 * MPI_Init then fails ("mca_base_component_repository_open: unable to open ... undefined
 * symbol"). Debian's Open MPI 4.1.4 links them and works either way; a cluster's own build
 * may not. Reopening the library that holds MPI_Init with RTLD_GLOBAL (NOLOAD: it is loaded
 * already) promotes its symbols; found through dladdr, not a soname, so any MPI works. */
static void promote_mpi_symbols(void) {
  Dl_info info;
  /* Through an integer: ISO C has no direct function-to-object pointer conversion. */
  if (dladdr((void *)(uintptr_t)&MPI_Init_thread, &info) != 0 && info.dli_fname != NULL)
    dlopen(info.dli_fname, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD);
}

static void release(EQP_CommunicatorInstance *c) {
  eqp_mpi_host->memory->free(c->counts);
  eqp_mpi_host->memory->free(c->displacements);
  eqp_mpi_host->memory->free(c);
}

/* Joins MPI (unless the process already did) and sets up the instance's communicator. */
static EQP_Status communicator_create(const EQP_CommunicatorCreateArgs *args,
                                      EQP_CommunicatorInstance **out, EQP_Error *err) {
  (void)args; /* nothing to read yet */
  if (out == NULL) return refuse(err, EQP_ERR_INVALID_ARGUMENT, "create: out is NULL");
  int finalized = 0, initialized = 0;
  MPI_Finalized(&finalized);
  if (finalized)
    return refuse(err, EQP_ERR_INVALID_ARGUMENT,
                  "MPI was finalized already in this process: a process joins a job once");
  MPI_Initialized(&initialized);
  if (!initialized) {
    promote_mpi_symbols();
    /* The level granted is not checked: the host calls MPI from one thread whatever it is. */
    int provided = 0;
    int code = MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
    if (code != MPI_SUCCESS) return mpi_failure(err, "MPI_Init_thread", code);
  }
  EQP_CommunicatorInstance *c = eqp_mpi_host->memory->alloc(sizeof *c, 0);
  if (c == NULL) return refuse(err, EQP_ERR_OUT_OF_MEMORY, "create: no memory");
  memset(c, 0, sizeof *c);
  c->comm = MPI_COMM_NULL; /* not 0 in every MPI (Open MPI's is a pointer) */
  c->initialized_here = !initialized;
  /* A duplicate, so our messages never match those of another MPI user in the process. */
  int code = MPI_Comm_dup(MPI_COMM_WORLD, &c->comm);
  if (code == MPI_SUCCESS) code = MPI_Comm_set_errhandler(c->comm, MPI_ERRORS_RETURN);
  if (code == MPI_SUCCESS) code = MPI_Comm_rank(c->comm, &c->rank);
  if (code == MPI_SUCCESS) code = MPI_Comm_size(c->comm, &c->size);
  if (code != MPI_SUCCESS) {
    EQP_Status status = mpi_failure(err, "setting up the communicator", code);
    if (c->comm != MPI_COMM_NULL) MPI_Comm_free(&c->comm);
    release(c);
    return status;
  }
  c->counts = eqp_mpi_host->memory->alloc(sizeof(int) * (size_t)c->size, 0);
  c->displacements = eqp_mpi_host->memory->alloc(sizeof(int) * (size_t)c->size, 0);
  if (c->counts == NULL || c->displacements == NULL) {
    MPI_Comm_free(&c->comm);
    release(c);
    return refuse(err, EQP_ERR_OUT_OF_MEMORY, "create: no memory");
  }
  library_name(c->library, sizeof c->library);
  *out = c;
  return EQP_OK;
}

static void communicator_destroy(EQP_CommunicatorInstance *c) {
  if (c == NULL) return;
  MPI_Comm_free(&c->comm);
  if (c->initialized_here) MPI_Finalize();
  release(c);
}

static EQP_Status communicator_info(EQP_CommunicatorInstance *c, EQP_CommunicatorInfo *out,
                                    EQP_Error *err) {
  if (c == NULL || out == NULL) return refuse(err, EQP_ERR_INVALID_ARGUMENT, "info: NULL argument");
  EQP_CommunicatorInfo info = {
      .struct_size = EQP_CommunicatorInfo_STRUCT_SIZE,
      .rank = c->rank,
      .size = c->size,
      .library = c->library,
  };
  /* The out-struct rule: no byte past the caller's size, which becomes the smaller one. */
  size_t size = out->struct_size < EQP_CommunicatorInfo_STRUCT_SIZE
                    ? out->struct_size
                    : EQP_CommunicatorInfo_STRUCT_SIZE;
  if (size < sizeof(size_t)) return refuse(err, EQP_ERR_ABI_MISMATCH, "info: out->struct_size is 0");
  memcpy(out, &info, size);
  out->struct_size = size;
  return EQP_OK;
}

static MPI_Datatype mpi_type(uint32_t dtype) {
  switch (dtype) {
    case EQP_DTYPE_F32: return MPI_FLOAT;
    case EQP_DTYPE_F64: return MPI_DOUBLE;
    case EQP_DTYPE_I64: return MPI_INT64_T;
    default: return MPI_DATATYPE_NULL;
  }
}

static size_t element_size(uint32_t dtype) { return dtype == EQP_DTYPE_F32 ? 4 : 8; }

/* Every rank must end with the same bits. With two ranks each sum is one addition, which IEEE
 * arithmetic makes commutative, so MPI_Allreduce agrees whatever its algorithm. With more, MPI
 * does not promise that every rank adds in the same order, so rank 0 reduces and broadcasts
 * its result: a second pass over the data, paid for replicas of θ that never drift apart. */
static EQP_Status communicator_allreduce_sum(EQP_CommunicatorInstance *c, void *buffer,
                                             int64_t count, uint32_t dtype, EQP_Error *err) {
  MPI_Datatype type = mpi_type(dtype);
  if (type == MPI_DATATYPE_NULL)
    return refuse(err, EQP_ERR_UNSUPPORTED, "allreduce_sum: dtype must be F32, F64 or I64");
  if (c == NULL || count < 0 || (buffer == NULL && count > 0))
    return refuse(err, EQP_ERR_INVALID_ARGUMENT, "allreduce_sum: NULL instance or buffer, or count < 0");
  char *bytes = buffer;
  for (int64_t done = 0; done < count;) {
    int chunk = (int)(count - done < EQP_MPI_CHUNK ? count - done : EQP_MPI_CHUNK);
    char *part = bytes + (size_t)done * element_size(dtype);
    int code;
    if (c->size <= 2) {
      code = MPI_Allreduce(MPI_IN_PLACE, part, chunk, type, MPI_SUM, c->comm);
      if (code != MPI_SUCCESS) return mpi_failure(err, "MPI_Allreduce", code);
    } else {
      code = MPI_Reduce(c->rank == 0 ? MPI_IN_PLACE : part, part, chunk, type, MPI_SUM, 0, c->comm);
      if (code != MPI_SUCCESS) return mpi_failure(err, "MPI_Reduce", code);
      code = MPI_Bcast(part, chunk, type, 0, c->comm);
      if (code != MPI_SUCCESS) return mpi_failure(err, "MPI_Bcast", code);
    }
    done += chunk;
  }
  return EQP_OK;
}

static EQP_Status communicator_broadcast(EQP_CommunicatorInstance *c, void *buffer,
                                         int64_t bytes, int64_t root, EQP_Error *err) {
  if (c == NULL || bytes < 0 || (buffer == NULL && bytes > 0))
    return refuse(err, EQP_ERR_INVALID_ARGUMENT, "broadcast: NULL instance or buffer, or bytes < 0");
  if (root < 0 || root >= c->size)
    return refuse(err, EQP_ERR_INVALID_ARGUMENT, "broadcast: root is not a rank of the job");
  for (int64_t done = 0; done < bytes;) {
    int chunk = (int)(bytes - done < EQP_MPI_CHUNK ? bytes - done : EQP_MPI_CHUNK);
    int code = MPI_Bcast((char *)buffer + done, chunk, MPI_BYTE, (int)root, c->comm);
    if (code != MPI_SUCCESS) return mpi_failure(err, "MPI_Bcast", code);
    done += chunk;
  }
  return EQP_OK;
}

/* MPI_Allgatherv's counts and displacements are int: a total beyond INT_MAX bytes is refused
 * (the same way on every rank, since counts are), not split, as nothing the host gathers
 * (metrics, sweep results) comes near it. */
static EQP_Status communicator_allgather(EQP_CommunicatorInstance *c, const void *send,
                                         void *recv, const int64_t *counts, EQP_Error *err) {
  if (c == NULL || counts == NULL)
    return refuse(err, EQP_ERR_INVALID_ARGUMENT, "allgather: NULL instance or counts");
  int64_t total = 0;
  for (int r = 0; r < c->size; r++) {
    if (counts[r] < 0)
      return refuse(err, EQP_ERR_INVALID_ARGUMENT, "allgather: a count is negative");
    if (counts[r] > INT_MAX - total) {
      char message[200];
      snprintf(message, sizeof message,
               "allgather: more than %d bytes in all, beyond MPI's int counts; gather in parts",
               INT_MAX);
      return refuse(err, EQP_ERR_UNSUPPORTED, message);
    }
    c->displacements[r] = (int)total;
    c->counts[r] = (int)counts[r];
    total += counts[r];
  }
  if ((send == NULL && counts[c->rank] > 0) || (recv == NULL && total > 0))
    return refuse(err, EQP_ERR_INVALID_ARGUMENT, "allgather: send or recv is NULL");
  int code = MPI_Allgatherv(send, c->counts[c->rank], MPI_BYTE, recv, c->counts,
                            c->displacements, MPI_BYTE, c->comm);
  return code == MPI_SUCCESS ? EQP_OK : mpi_failure(err, "MPI_Allgatherv", code);
}

static EQP_Status communicator_barrier(EQP_CommunicatorInstance *c, EQP_Error *err) {
  if (c == NULL) return refuse(err, EQP_ERR_INVALID_ARGUMENT, "barrier: instance is NULL");
  int code = MPI_Barrier(c->comm);
  return code == MPI_SUCCESS ? EQP_OK : mpi_failure(err, "MPI_Barrier", code);
}

static void communicator_abort(EQP_CommunicatorInstance *c, int32_t code) {
  MPI_Abort(c != NULL ? c->comm : MPI_COMM_WORLD, code);
  _Exit(code); /* MPI_Abort does not return; this keeps the promise if it ever did */
}

EQP_MPI_HIDDEN const EQP_CommunicatorVTable eqp_mpi_vtable = {
    .struct_size = EQP_CommunicatorVTable_STRUCT_SIZE,
    .create = communicator_create,
    .destroy = communicator_destroy,
    .info = communicator_info,
    .allreduce_sum = communicator_allreduce_sum,
    .broadcast = communicator_broadcast,
    .allgather = communicator_allgather,
    .barrier = communicator_barrier,
    .abort = communicator_abort,
};

#endif
