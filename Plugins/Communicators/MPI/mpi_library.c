/* The `mpi` communicator plugin's library record and its one exported symbol. */
#include "mpi_plugin.h"

EQP_MPI_HIDDEN const EQP_HostApi *eqp_mpi_host;

static const EQP_PluginDescriptor descriptor = {
    .struct_size = EQP_PluginDescriptor_STRUCT_SIZE,
    .kind = EQP_KIND_COMMUNICATOR,
    .id = "mpi",
    .display_name = "MPI",
    .version = "1.0.0",
    .vtable = &eqp_mpi_vtable,
    .description = eqp_mpi_description,
};
static const EQP_PluginDescriptor *const plugins[] = {&descriptor};

static EQP_Status library_init(const EQP_HostApi *api, EQP_Error *err) {
  (void)err; /* no host table yet, no error->set: the status alone refuses the library */
  if (!EQP_HAS(api, EQP_HostApi, memory) || api->error == NULL || api->memory == NULL)
    return EQP_ERR_ABI_MISMATCH;
  eqp_mpi_host = api;
  return EQP_OK;
}

static const EQP_Library library = {
    .struct_size = EQP_Library_STRUCT_SIZE,
    .magic = EQP_LIBRARY_MAGIC,
    .abi_major = EQP_ABI_MAJOR,
    .abi_minor = EQP_ABI_MINOR,
    .required_host_minor = 3, /* the communicator kind is 1.3's */
    .name = "eqprop_mpi",
    .version = "1.0.0",
    .build = eqp_mpi_build,
    .plugins = plugins,
    .plugin_count = 1,
    .init = library_init,
};

/* The one exported symbol: static data, no work (MPI_Init waits for create). */
const EQP_Library *eqp_plugin_entry(const EQP_HostInfo *info) {
  (void)info;
  return &library;
}
