// Open MPI's C header, through the include path pkg-config's ompi-c reports. The module map
// has no `link "mpi"`: pkg-config's Libs add -lmpi where MPI is installed, and where it is not
// the MPI plugin builds without it (Plugins/Communicators/MPI/mpi_plugin.h).
#if __has_include(<mpi.h>)
#include <mpi.h>
#endif
